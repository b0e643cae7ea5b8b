"""Small, exact statistics the report is built from: rates with Wilson intervals, nearest-rank
percentiles, and the fired-vs-not comparison behind every lift figure.

Definitions (also in docs/report.md):

- **Rate**: ``hits / n`` with a Wilson score 95% interval (z = 1.959964). Wilson rather than the
  normal approximation because it stays inside [0, 1] and behaves at 0 and n hits and small n.
- **Percentile (nearest rank)**: the p-th percentile of n sorted values is the value at 1-based
  rank ``ceil(p / 100 * n)``. It is always an observed value; the median of an even count is the
  lower middle value.
- **Comparison**: rate when fired vs rate when not, their ratio (lift) and their difference.
  ``too_small`` when either side has fewer than ``min_sample`` leads; otherwise ``higher`` or
  ``lower`` when the two Wilson intervals do not overlap (a conservative test: with equal
  sample sizes, roughly a two-sided p < 0.006), else ``unclear``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

Z95 = 1.959963984540054


def wilson_interval(hits: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``hits`` successes in ``n`` trials; (0, 1) when n is 0."""
    if n < 0 or hits < 0 or hits > n:
        raise ValueError(f"need 0 <= hits <= n, got hits={hits} n={n}")
    if n == 0:
        return (0.0, 1.0)
    p = hits / n
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1.0 - p) / n + z2 / (4 * n * n))
    low = 0.0 if hits == 0 else max(0.0, centre - half)
    high = 1.0 if hits == n else min(1.0, centre + half)
    return (low, high)


def nearest_rank(sorted_values: Sequence[float], percent: float) -> float | None:
    """The nearest-rank percentile of already sorted values; None for no values."""
    if not 0 < percent <= 100:
        raise ValueError(f"percent must be in (0, 100], got {percent}")
    if not sorted_values:
        return None
    rank = math.ceil(percent / 100.0 * len(sorted_values))
    return sorted_values[max(rank, 1) - 1]


@dataclass(frozen=True)
class Rate:
    """``hits`` out of ``n``; ``value`` is None when n is 0. ``low``/``high``: Wilson 95%."""

    hits: int
    n: int
    value: float | None
    low: float
    high: float

    @classmethod
    def of(cls, hits: int, n: int) -> Rate:
        low, high = wilson_interval(hits, n)
        return cls(hits=hits, n=n, value=hits / n if n else None, low=low, high=high)


class Verdict(StrEnum):
    TOO_SMALL = "too_small"
    HIGHER = "higher"
    LOWER = "lower"
    UNCLEAR = "unclear"


@dataclass(frozen=True)
class Comparison:
    """An outcome's rate among leads where a signal fired vs where it did not.

    ``ratio`` (the lift) is None when the not-fired rate is 0 or unknown; ``difference`` is None
    when either rate is unknown.
    """

    fired: Rate
    not_fired: Rate
    ratio: float | None
    difference: float | None
    verdict: Verdict

    @classmethod
    def of(cls, fired: Rate, not_fired: Rate, min_sample: int) -> Comparison:
        ratio: float | None = None
        difference: float | None = None
        if fired.value is not None and not_fired.value is not None:
            difference = fired.value - not_fired.value
            if not_fired.value > 0:
                ratio = fired.value / not_fired.value
        if min(fired.n, not_fired.n) < min_sample or fired.n == 0 or not_fired.n == 0:
            verdict = Verdict.TOO_SMALL
        elif fired.low > not_fired.high:
            verdict = Verdict.HIGHER
        elif fired.high < not_fired.low:
            verdict = Verdict.LOWER
        else:
            verdict = Verdict.UNCLEAR
        return cls(fired=fired, not_fired=not_fired, ratio=ratio, difference=difference,
                   verdict=verdict)

    @property
    def too_small(self) -> bool:
        return self.verdict is Verdict.TOO_SMALL

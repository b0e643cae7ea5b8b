"""Small, exact statistics the report is built from: rates with Wilson intervals, nearest-rank
percentiles, and the fired-vs-not comparison behind every lift figure.

Definitions (also in docs/report.md):

- **Rate**: ``hits / n`` with a Wilson score 95% interval (z = 1.959964). Wilson rather than the
  normal approximation because it stays inside [0, 1] and behaves at 0 and n hits and small n.
- **Percentile (nearest rank)**: the p-th percentile of n sorted values is the value at 1-based
  rank ``ceil(p / 100 * n)``. It is always an observed value; the median of an even count is the
  lower middle value.
- **Weighted rate** (outcomes weighted by ``1 / selection probability``, see
  :mod:`connector.report.outcomes`): the Hajek estimator ``sum(w * y) / sum(w)``, with the
  Wilson interval computed at Kish's effective sample size ``n_eff = sum(w)^2 / sum(w^2)``.
  With every weight 1 it is exactly the plain rate.
- **Comparison**: rate when fired vs rate when not, their ratio (lift) and their difference
  with Newcombe's 95% interval (built from the two Wilson intervals). ``too_small`` when either
  side has fewer than ``min_sample`` (effective) leads; otherwise ``higher`` or ``lower`` when
  the two Wilson intervals do not overlap (a conservative test: with equal sample sizes,
  roughly a two-sided p < 0.006), else ``unclear``; ``withheld`` when the report knows the
  outcomes are biased by the handoff rule's selection (see ``calibration.selection_banner``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
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


def wilson_from(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson interval for an observed proportion ``p`` over a (possibly effective,
    non-integer) sample size ``n > 0``."""
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(max(0.0, p * (1.0 - p)) / n + z2 / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


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
    effective_n: float | None = None
    """Kish's effective sample size of a weighted rate (None: unweighted, it is ``n``)."""

    @classmethod
    def of(cls, hits: int, n: int) -> Rate:
        low, high = wilson_interval(hits, n)
        return cls(hits=hits, n=n, value=hits / n if n else None, low=low, high=high)

    @classmethod
    def weighted(cls, hits: int, n: int, w_hits: float, w_n: float, w2_n: float) -> Rate:
        """The Hajek rate ``w_hits / w_n`` over ``n`` sampled leads (``hits`` of them hits)
        whose weights sum to ``w_n`` and whose squared weights sum to ``w2_n``."""
        if n == 0 or w_n <= 0.0 or w2_n <= 0.0:
            return cls.of(0, 0)
        if abs(w_n - n) < 1e-9 * n and abs(w2_n - n) < 1e-9 * n:
            return cls.of(hits, n)  # every weight 1: the plain rate, exactly
        value = min(1.0, max(0.0, w_hits / w_n))
        n_eff = w_n * w_n / w2_n
        low, high = wilson_from(value, n_eff)
        if hits == 0:
            low = 0.0
        if hits == n:
            high = 1.0
        return cls(hits=hits, n=n, value=value, low=min(low, value), high=max(high, value),
                   effective_n=n_eff)

    @property
    def size(self) -> float:
        """The sample size the interval stands on: ``effective_n`` when weighted, else ``n``."""
        return self.n if self.effective_n is None else self.effective_n


class Verdict(StrEnum):
    TOO_SMALL = "too_small"
    HIGHER = "higher"
    LOWER = "lower"
    UNCLEAR = "unclear"
    WITHHELD = "withheld"


@dataclass(frozen=True)
class Comparison:
    """An outcome's rate among leads where a signal fired vs where it did not.

    ``ratio`` (the lift) is None when the not-fired rate is 0 or unknown; ``difference`` (and
    its Newcombe 95% interval ``difference_low``..``difference_high``) is None when either rate
    is unknown.
    """

    fired: Rate
    not_fired: Rate
    ratio: float | None
    difference: float | None
    verdict: Verdict
    difference_low: float | None = None
    difference_high: float | None = None

    @classmethod
    def of(cls, fired: Rate, not_fired: Rate, min_sample: int) -> Comparison:
        ratio: float | None = None
        difference: float | None = None
        d_low: float | None = None
        d_high: float | None = None
        a, b = fired.value, not_fired.value
        if a is not None and b is not None:
            difference = a - b
            if b > 0:
                ratio = a / b
            # Newcombe (1998) method 10: the hybrid score interval from the two Wilson intervals
            d_low = difference - math.sqrt((a - fired.low) ** 2 + (not_fired.high - b) ** 2)
            d_high = difference + math.sqrt((fired.high - a) ** 2 + (b - not_fired.low) ** 2)
        if min(fired.size, not_fired.size) < min_sample or fired.n == 0 or not_fired.n == 0:
            verdict = Verdict.TOO_SMALL
        elif fired.low > not_fired.high:
            verdict = Verdict.HIGHER
        elif fired.high < not_fired.low:
            verdict = Verdict.LOWER
        else:
            verdict = Verdict.UNCLEAR
        return cls(fired=fired, not_fired=not_fired, ratio=ratio, difference=difference,
                   verdict=verdict, difference_low=d_low, difference_high=d_high)

    def withheld(self) -> Comparison:
        """The same figures with no verdict (the outcomes are known to be biased); a side too
        small to read stays ``too_small``."""
        return self if self.too_small else replace(self, verdict=Verdict.WITHHELD)

    @property
    def too_small(self) -> bool:
        return self.verdict is Verdict.TOO_SMALL

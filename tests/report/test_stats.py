"""Wilson intervals, nearest-rank percentiles and fired-vs-not comparisons, hand-checked."""

from __future__ import annotations

import pytest

from connector.report.stats import Comparison, Rate, Verdict, nearest_rank, wilson_interval


@pytest.mark.parametrize(
    ("hits", "n", "low", "high"),
    [
        (5, 10, 0.2366, 0.7634),  # textbook value
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (20, 40, 0.3520, 0.6480),
        (6, 60, 0.0466, 0.2015),
        (1, 1, 0.2065, 1.0),
    ],
)
def test_wilson_interval_matches_hand_computed_values(hits: int, n: int, low: float,
                                                      high: float) -> None:
    got_low, got_high = wilson_interval(hits, n)
    assert got_low == pytest.approx(low, abs=1e-4)
    assert got_high == pytest.approx(high, abs=1e-4)


def test_wilson_interval_of_nothing_is_everything() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(5, 15), (30, 20), (40, 20), (50, 35), (90, 50), (100, 50)],
)
def test_nearest_rank_percentile(percent: float, expected: float) -> None:
    # The classic worked example: ranks ceil(p/100 * 5) of 15, 20, 35, 40, 50.
    assert nearest_rank([15, 20, 35, 40, 50], percent) == expected


def test_nearest_rank_median_of_even_count_is_lower_middle() -> None:
    assert nearest_rank([1, 2, 3, 4], 50) == 2
    assert nearest_rank([], 50) is None
    with pytest.raises(ValueError):
        nearest_rank([1.0], 0)


def test_rate_of_zero_leads_has_no_value() -> None:
    r = Rate.of(0, 0)
    assert r.value is None and (r.low, r.high) == (0.0, 1.0)


def test_comparison_ratio_difference_and_verdict() -> None:
    c = Comparison.of(Rate.of(20, 40), Rate.of(6, 60), min_sample=30)
    assert c.ratio == pytest.approx(5.0)
    assert c.difference == pytest.approx(0.4)
    assert c.verdict is Verdict.HIGHER
    lower = Comparison.of(Rate.of(6, 60), Rate.of(20, 40), min_sample=30)
    assert lower.verdict is Verdict.LOWER and lower.ratio == pytest.approx(0.2)


def test_comparison_flags_small_samples_even_when_rates_differ() -> None:
    c = Comparison.of(Rate.of(9, 10), Rate.of(1, 100), min_sample=30)
    assert c.too_small and c.verdict is Verdict.TOO_SMALL
    assert c.ratio == pytest.approx(90.0)  # still reported: the flag says not to trust it


def test_comparison_with_overlapping_intervals_is_unclear() -> None:
    c = Comparison.of(Rate.of(12, 40), Rate.of(15, 60), min_sample=30)
    assert c.verdict is Verdict.UNCLEAR


def test_comparison_ratio_undefined_when_baseline_is_zero() -> None:
    c = Comparison.of(Rate.of(5, 40), Rate.of(0, 40), min_sample=30)
    assert c.ratio is None and c.difference == pytest.approx(0.125)

"""build_report on small seeded books whose every figure is computed by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest

from connector.report import HandoffOutcome, build_report
from tests.report.factories import NOW, T0, outcome


def hours(h: float) -> datetime:
    return T0 + timedelta(hours=h)


def two_grades() -> list[HandoffOutcome]:
    """Hot (score 80): won, lost, working, rejected. Cold (score 50): 2 rejected, 1 untouched."""
    return [
        outcome(grade="Cold", score=50, rejected=True, rejection_reason="No Need",
                accepted=False, first_touch_at=hours(3)),
        outcome(grade="Hot", score=80, accepted=True, converted=True, won=True, amount_won=1000.0,
                first_touch_at=hours(2)),
        outcome(grade="Hot", score=80, accepted=True, converted=True, lost=True,
                first_touch_at=hours(4)),
        outcome(grade="Hot", score=80, accepted=True, first_touch_at=hours(1)),
        outcome(grade="Hot", score=80, accepted=False, rejected=True, rejection_reason="No Budget",
                first_touch_at=hours(10)),
        outcome(grade="Cold", score=50, rejected=True, rejection_reason="No Need",
                first_touch_at=hours(5)),
        outcome(grade="Cold", score=50),
    ]


def test_counts_rates_and_sla_per_grade() -> None:
    report = build_report(two_grades(), now=NOW)
    hot, cold = report.by_grade  # ordered by mean score, not by name
    assert (hot.key, cold.key) == ("Hot", "Cold")
    assert (hot.handed_off, hot.accepted, hot.rejected, hot.converted, hot.won, hot.lost) == (
        4, 3, 1, 2, 1, 1)
    assert hot.rejected_by_reason == (("No Budget", 1),)
    assert hot.revenue == 1000.0
    assert hot.conversion.value == 0.5 and hot.win.value == 0.25
    assert hot.acceptance.value == 0.75
    # touches after 1, 2, 4, 10 h: median rank ceil(2) = 2 h, p90 rank ceil(3.6) = 10 h
    assert (hot.sla.median_hours, hot.sla.p90_hours) == (2.0, 10.0)
    assert (cold.handed_off, cold.accepted, cold.rejected, cold.pending) == (3, 0, 2, 1)
    assert cold.rejected_by_reason == (("No Need", 2),)
    assert (cold.sla.touched, cold.sla.untouched) == (2, 1)
    assert (cold.sla.median_hours, cold.sla.p90_hours) == (3.0, 5.0)
    total = report.total
    assert total.handed_off == 7 and total.mean_score == pytest.approx((4 * 80 + 3 * 50) / 7)
    # all touches 1, 2, 3, 4, 5, 10: median rank 3 = 3 h, p90 rank ceil(5.4) = 6 -> 10 h
    assert (total.sla.median_hours, total.sla.p90_hours) == (3.0, 10.0)
    assert report.funnel == (("Handed off", 7), ("Accepted", 3), ("Converted", 2), ("Won", 1))
    assert report.rejection_reasons == (("No Need", 2), ("No Budget", 1))


def test_funnel_counts_won_and_converted_as_accepted_even_if_half_synced() -> None:
    o = outcome(accepted=None, converted=False, won=True, amount_won=5.0)
    report = build_report([o], now=NOW)
    assert (report.total.accepted, report.total.converted, report.total.won) == (1, 1, 1)
    assert report.total.pending == 0


def test_rejection_without_reason_is_counted_as_unspecified() -> None:
    report = build_report([outcome(rejected=True), outcome(rejected=True, rejection_reason=" ")],
                          now=NOW)
    assert report.rejection_reasons == (("Unspecified", 2),)


def test_versions_are_grouped_in_order_of_first_handoff() -> None:
    book = [outcome(version="v2", handed_off_at=hours(48)),
            outcome(version="v10", handed_off_at=hours(0)),
            outcome(version="v2", handed_off_at=hours(50), converted=True)]
    report = build_report(book, now=NOW)
    assert [v.key for v in report.by_version] == ["v10", "v2"]
    assert report.by_version[1].conversion.value == 0.5


def test_since_and_version_filters_and_excluded_count() -> None:
    book = [outcome(version="v1", handed_off_at=hours(0)),
            outcome(version="v1", handed_off_at=hours(30)),
            outcome(version="v2", handed_off_at=hours(30)),
            outcome(version="v2", handed_off_at=hours(0))]
    since = T0 + timedelta(hours=24)
    assert build_report(book, now=NOW, since=since).total.handed_off == 2
    only_v2 = build_report(book, now=NOW, version="v2")
    assert only_v2.total.handed_off == 2 and only_v2.excluded == 2
    both = build_report(book, now=NOW, since=since, version="v2")
    assert both.total.handed_off == 1 and both.excluded == 3
    assert both.since == since and both.version == "v2"


def test_since_accepts_a_date_and_naive_datetimes_are_utc() -> None:
    naive = datetime(2024, 3, 2, 12, 0)  # naive: read as UTC
    report = build_report([outcome(handed_off_at=naive), outcome()], now=NOW,
                          since=date(2024, 3, 2))
    assert report.total.handed_off == 1
    assert report.total.first_handoff_at is not None
    assert report.total.first_handoff_at.tzinfo is not None


def test_empty_input_gives_a_clear_empty_report() -> None:
    report = build_report([], now=NOW)
    assert report.empty
    assert report.total.handed_off == 0 and report.total.conversion.value is None
    assert report.by_grade == () and report.criteria == () and report.curve == ()
    assert report.threshold.suggested is None
    assert report.threshold.note == "No handed-off leads yet."
    assert report.generated_at == NOW


def test_everything_filtered_out_is_empty_too() -> None:
    report = build_report([outcome(version="v1")], now=NOW, version="v9")
    assert report.empty and report.excluded == 1


class OnePass:
    """An iterable that refuses a second pass: the report must stream."""

    def __init__(self, items: list[HandoffOutcome]) -> None:
        self.items, self.passes = items, 0

    def __iter__(self) -> Iterator[HandoffOutcome]:
        self.passes += 1
        assert self.passes == 1, "build_report iterated the outcomes twice"
        return iter(self.items)


def test_build_report_reads_outcomes_once() -> None:
    source = OnePass(two_grades())
    assert build_report(source, now=NOW).total.handed_off == 7


def test_grade_order_warning_when_lower_grade_converts_better() -> None:
    book = ([outcome(grade="A", score=90, converted=i < 3) for i in range(30)]
            + [outcome(grade="B", score=60, converted=i < 15) for i in range(30)])
    report = build_report(book, now=NOW)
    (warning,) = report.grade_order_warnings
    assert warning.startswith("Grade B (mean score 60.0) converts at 50.0%, more than grade A")
    assert warning.endswith("(clear).")
    small = build_report(book, now=NOW, min_sample=31)
    assert small.grade_order_warnings == ()


def test_min_sample_must_be_positive() -> None:
    with pytest.raises(ValueError):
        build_report([], now=NOW, min_sample=0)

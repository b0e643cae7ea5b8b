"""The calibration report on real flows: the sandbox's hidden intent drives what the simulated
sales team does, so a definition that reads the buying signals comes out calibrated (hot converts
more than warm, warm more than cold) and one that scores the opposite signals does not.

Both definitions hand off every grade (the example one is widened to all grades, its scores and
grades unchanged) so that every grade is measured.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from connector.report import CalibrationReport, GroupStats
from connector.report.from_store import report_from_store
from tests.feedback.world import World, make_world

HERE = Path(__file__).parent
CONTACTS = 2_000


def worked(tmp: Path, **kw: object) -> World:
    w = make_world(tmp, contacts=CONTACTS, seed=5, **kw)  # type: ignore[arg-type]
    for _ in range(6):  # six weeks, the feedback job running weekly
        w.team.work(days=7)
        w.feedback()
    return w


def report_of(w: World) -> CalibrationReport:
    return report_from_store(w.ctx.store, now=w.clock(), criterion_dimension={
        c.id: c.dimension for c in w.ctx.definition.criteria})


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalibrationReport]:
    w = worked(tmp_path_factory.mktemp("good"))
    try:
        yield report_of(w)
    finally:
        w.close()


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalibrationReport]:
    w = worked(tmp_path_factory.mktemp("bad"), definition=HERE / "bad_definition.toml",
               widen=False)
    try:
        yield report_of(w)
    finally:
        w.close()


def conversion(g: GroupStats) -> float:
    assert g.conversion.value is not None
    return g.conversion.value


def spread(report: CalibrationReport) -> float:
    """Conversion of the top grade (by mean score) minus that of the bottom grade."""
    return conversion(report.by_grade[0]) - conversion(report.by_grade[-1])


def test_example_definition_converts_in_the_true_grade_order(good: CalibrationReport) -> None:
    grades = [g.key for g in good.by_grade]
    assert grades == ["hot", "warm", "cold"]
    assert all(g.handed_off >= 30 for g in good.by_grade)
    rates = [conversion(g) for g in good.by_grade]
    assert rates[0] > rates[1] > rates[2], rates
    wins = [g.win.value for g in good.by_grade]
    assert wins[0] > wins[1] > wins[2], wins  # type: ignore[operator]
    assert good.grade_order_warnings == ()
    assert spread(good) > 0.25
    # the hot/cold gap is not noise: the 95% intervals do not overlap
    assert good.by_grade[0].conversion.low > good.by_grade[-1].conversion.high


def test_the_report_is_filled_from_the_real_flow(good: CalibrationReport) -> None:
    total = good.total
    assert total.handed_off > 300 and total.won > 0 and total.lost > 0
    assert total.revenue > 0 and total.rejected > 0
    reasons = dict(total.rejected_by_reason)
    assert len(reasons) >= 4 and "Unspecified" not in reasons
    hot, cold = good.by_grade[0].sla, good.by_grade[-1].sla
    assert hot.median_hours is not None and cold.median_hours is not None
    assert hot.median_hours < cold.median_hours  # reps call hot leads first
    assert 0 < total.sla.untouched < total.handed_off * 0.15
    assert good.criteria and good.dimensions and good.curve
    assert good.threshold is not None


def test_inverted_definition_shows_poor_calibration(good: CalibrationReport,
                                                    bad: CalibrationReport) -> None:
    assert [g.key for g in bad.by_grade][0] == "hot"
    assert spread(bad) < spread(good) / 3, (spread(bad), spread(good))
    assert bad.grade_order_warnings, [(g.key, conversion(g)) for g in bad.by_grade]

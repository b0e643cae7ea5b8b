"""Properties that hold for any book of outcomes (hypothesis)."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from connector.report import (
    CalibrationReport,
    GroupStats,
    HandoffOutcome,
    Rate,
    ThresholdObjective,
    build_report,
    report_to_json,
)
from tests.report.factories import CRITERIA, NOW, T0


@st.composite
def outcomes(draw: st.DrawFn) -> HandoffOutcome:
    version = draw(st.sampled_from(["v1", "v2"]))
    fate = draw(st.sampled_from(["none", "won", "lost"]))
    touch = draw(st.none() | st.floats(min_value=-5, max_value=500))
    return HandoffOutcome(
        hubspot_id=f"hs-{draw(st.integers(0, 10**6))}",
        handed_off_at=T0 + timedelta(hours=draw(st.integers(0, 2000))),
        version=version,
        definition_hash=f"hash-{version}",
        score=round(draw(st.floats(min_value=0, max_value=100)), 2),
        grade=draw(st.sampled_from(["A", "B", "C"])),
        fired=frozenset(draw(st.sets(st.sampled_from(sorted(CRITERIA))))),
        criterion_dimension=CRITERIA,
        accepted=draw(st.sampled_from([None, True, False])),
        rejected=draw(st.booleans()),
        rejection_reason=draw(st.none() | st.sampled_from(["No Budget", "Bad Data"])),
        converted=draw(st.booleans()),
        won=fate == "won",
        lost=fate == "lost",
        amount_won=draw(st.none() | st.floats(0, 1e6)) if fate == "won" else None,
        first_touch_at=None if touch is None else T0 + timedelta(hours=touch),
    )


books = st.lists(outcomes(), max_size=40)


def walk(value: Any) -> Iterator[Any]:
    yield value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from walk(getattr(value, f.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from walk(item)


def report_of(book: list[HandoffOutcome], min_sample: int = 5) -> CalibrationReport:
    return build_report(book, now=NOW, min_sample=min_sample,
                        objective=ThresholdObjective(min_won_share=0.5, min_leads=3))


@settings(max_examples=50, deadline=None)
@given(books)
def test_every_rate_is_a_proportion_inside_its_interval(book: list[HandoffOutcome]) -> None:
    for value in walk(report_of(book)):
        if isinstance(value, Rate):
            assert 0 <= value.hits <= value.n
            assert 0.0 <= value.low <= value.high <= 1.0
            if value.value is not None:
                assert value.low - 1e-12 <= value.value <= value.high + 1e-12


def funnel_ok(g: GroupStats) -> None:
    assert g.won <= g.converted <= g.accepted <= g.handed_off
    assert g.won + g.lost <= g.converted
    assert g.pending + g.accepted <= g.handed_off
    assert sum(count for _, count in g.rejected_by_reason) == g.rejected <= g.handed_off
    assert g.sla.touched + g.sla.untouched == g.handed_off
    if g.sla.median_hours is not None:
        assert g.sla.p90_hours is not None and 0 <= g.sla.median_hours <= g.sla.p90_hours


@settings(max_examples=50, deadline=None)
@given(books)
def test_funnel_is_monotone_and_groups_add_up(book: list[HandoffOutcome]) -> None:
    report = report_of(book)
    for g in (report.total, *report.by_grade, *report.by_version):
        funnel_ok(g)
    counts = [count for _, count in report.funnel]
    assert counts == sorted(counts, reverse=True)
    for groups in (report.by_grade, report.by_version):
        assert sum(g.handed_off for g in groups) == report.total.handed_off
        assert sum(g.won for g in groups) == report.total.won
    assert sum(b.leads for b in report.curve) == report.total.handed_off
    means = [g.mean_score or 0.0 for g in report.by_grade]
    assert means == sorted(means, reverse=True)


@settings(max_examples=50, deadline=None)
@given(books)
def test_signals_split_their_population(book: list[HandoffOutcome]) -> None:
    report = report_of(book)
    for s in (*report.criteria, *report.dimensions):
        assert 0 <= s.fired <= s.population <= report.total.handed_off
        for c in (s.conversion, s.win):
            assert c.fired.n + c.not_fired.n == s.population
            if c.fired.value is not None and c.not_fired.value is not None:
                assert c.difference is not None
                assert math.isclose(c.difference, c.fired.value - c.not_fired.value)
            if min(c.fired.n, c.not_fired.n) < report.min_sample:
                assert c.too_small


@settings(max_examples=50, deadline=None)
@given(books)
def test_suggested_threshold_is_the_best_eligible_one(book: list[HandoffOutcome]) -> None:
    th = report_of(book).threshold
    won_total = sum(o.won for o in book)
    best: tuple[float, float] | None = None  # (won per lead, -threshold), by brute force
    for t in sorted({math.floor(round(o.score, 6)) for o in book}):  # integer thresholds
        kept = [o for o in book if o.score >= t - 1e-9]
        won = sum(o.won for o in kept)
        if len(kept) >= 3 and won >= math.ceil(0.5 * won_total - 1e-9) and won_total:
            candidate = (won / len(kept), -t)
            if best is None or candidate[0] > best[0] + 1e-12:
                best = candidate
    if best is None or len(book) < 3:
        assert th.suggested is None
    else:
        assert th.shadow is not None
        assert th.shadow.suggested.won_per_lead == best[0]
        if th.suggested != th.current:  # the current bar is reported as itself when best
            assert th.suggested == -best[1]


@settings(max_examples=60, deadline=None)
@given(books)
def test_json_is_always_serialisable(book: list[HandoffOutcome]) -> None:
    json.dumps(report_to_json(report_of(book)), allow_nan=False)

"""Per-criterion and per-dimension fire rates and lifts, hand-computed."""

from __future__ import annotations

import dataclasses

import pytest

from connector.report import HandoffOutcome, SignalStats, Verdict, build_report
from tests.report.factories import NOW, outcome

CRITERIA = {"demo": "behaviour", "pricing": "behaviour", "vp": "authority", "never": "budget"}


def lead(fired: set[str], converted: bool = False, won: bool = False,
         **kw: object) -> HandoffOutcome:
    return outcome(fired=frozenset(fired), converted=converted, won=won,
                   criterion_dimension=kw.pop("criterion_dimension", CRITERIA), **kw)


def book() -> list[HandoffOutcome]:
    """100 leads. demo fired on 40 (20 converted, 10 won), not on 60 (6 converted, 3 won);
    pricing fired on 10 of the demo leads only; vp on none of the converted."""
    out = []
    for i in range(40):
        fired = {"demo"} | ({"pricing"} if i < 10 else set())
        out.append(lead(fired, converted=i < 20, won=i < 10))
    for i in range(60):
        out.append(lead({"vp"} if i >= 30 else set(), converted=i < 6, won=i < 3))
    return out


def explorable(leads: list[HandoffOutcome]) -> list[HandoffOutcome]:
    """``leads`` plus one explored lead of another grade under another definition: it lets the
    report read verdicts (exploration exists, two grades) without entering any population."""
    return [*leads, outcome(definition_hash="elsewhere", criterion_dimension={}, grade="C",
                            selection_probability=0.5)]


def by_name(signals: tuple[SignalStats, ...]) -> dict[str, SignalStats]:
    return {s.name: s for s in signals}


def test_criterion_fire_rate_and_lift_on_conversion_and_win() -> None:
    report = build_report(explorable(book()), now=NOW, min_sample=30)
    demo = by_name(report.criteria)["demo"]
    assert (demo.population, demo.fired, demo.dimension) == (100, 40, "behaviour")
    assert demo.fire_rate.value == pytest.approx(0.4)
    c, w = demo.conversion, demo.win
    assert (c.fired.hits, c.fired.n, c.not_fired.hits, c.not_fired.n) == (20, 40, 6, 60)
    assert c.fired.value == 0.5 and c.not_fired.value == pytest.approx(0.1)
    assert c.ratio == pytest.approx(5.0) and c.difference == pytest.approx(0.4)
    assert c.verdict is Verdict.HIGHER
    assert (w.fired.value, w.not_fired.value) == (0.25, 0.05)
    assert w.ratio == pytest.approx(5.0) and w.difference == pytest.approx(0.2)
    assert w.verdict is Verdict.HIGHER


def test_small_samples_are_flagged_per_side() -> None:
    signals = by_name(build_report(explorable(book()), now=NOW, min_sample=30).criteria)
    pricing = signals["pricing"]  # 10 fired < 30
    assert pricing.fired == 10 and pricing.conversion.too_small and pricing.win.too_small
    never = signals["never"]  # in the definition, never fired
    assert never.fired == 0 and never.population == 100
    assert never.conversion.fired.value is None and never.conversion.too_small
    vp = signals["vp"]  # 30 fired, 0 converted, vs 26/70
    assert vp.conversion.fired.value == 0.0 and vp.conversion.ratio == 0.0
    assert vp.conversion.verdict is Verdict.LOWER
    assert by_name(build_report(book(), now=NOW, min_sample=31).criteria)[
        "demo"].conversion.fired.n == 40
    strict = build_report(book(), now=NOW, min_sample=61)
    assert all(s.conversion.too_small for s in strict.criteria)


def test_dimension_fires_when_any_of_its_criteria_fires() -> None:
    dims = by_name(build_report(book(), now=NOW).dimensions)
    assert dims["behaviour"].fired == 40  # demo or pricing, counted once per lead
    assert dims["authority"].fired == 30
    assert dims["budget"].fired == 0 and dims["budget"].population == 100
    assert dims["behaviour"].conversion.ratio == pytest.approx(5.0)


def test_a_criterion_new_in_v2_is_measured_only_on_v2_leads() -> None:
    v1_map = {"demo": "behaviour"}
    v2_map = {"demo": "behaviour", "budget_known": "budget"}
    v1 = [lead({"demo"}, converted=True, definition_hash="h1", criterion_dimension=v1_map)
          for _ in range(5)]
    v2 = [lead({"budget_known"} if i < 4 else set(), converted=i < 2, definition_hash="h2",
               criterion_dimension=v2_map) for i in range(10)]
    signals = by_name(build_report(v1 + v2, now=NOW, min_sample=1).criteria)
    budget = signals["budget_known"]
    assert (budget.population, budget.fired) == (10, 4)
    assert budget.conversion.fired.value == 0.5 and budget.conversion.not_fired.value == 0.0
    assert signals["demo"].population == 15


def test_population_without_a_full_criterion_map_uses_the_definition_hash() -> None:
    """Snapshots only list fired criteria; the lead's definition hash still fixes the population."""
    leads = [lead({"x"} if i < 3 else set(), definition_hash="h9", criterion_dimension={"x": "d"}
                  if i < 3 else {}) for i in range(8)]
    x = by_name(build_report(leads, now=NOW).criteria)["x"]
    assert (x.population, x.fired, x.conversion.not_fired.n) == (8, 3, 5)


def test_criterion_without_a_known_dimension() -> None:
    leads = [lead({"mystery"}, criterion_dimension={})]
    (mystery,) = build_report(leads, now=NOW).criteria
    assert mystery.dimension == "(unknown)"


def test_without_exploration_the_same_figures_come_without_verdicts() -> None:
    report = build_report(book(), now=NOW, min_sample=30)
    assert report.verdicts_withheld and report.explored == 0
    assert any("no exploration" in w for w in report.selection_warnings)
    demo = by_name(report.criteria)["demo"]
    assert demo.conversion.verdict is Verdict.WITHHELD and demo.win.verdict is Verdict.WITHHELD
    assert demo.conversion.ratio == pytest.approx(5.0)  # the figures are still shown
    assert by_name(report.criteria)["pricing"].conversion.too_small  # too small stays so


def test_one_grade_only_withholds_verdicts_even_with_exploration() -> None:
    leads = [lead({"demo"} if i < 40 else set(), converted=i < 20, grade="hot",
                  selection_probability=0.5 if i % 2 else 1.0) for i in range(100)]
    report = build_report(leads, now=NOW, min_sample=10)
    assert report.explored == 50
    assert report.selection_warnings == (
        "Every handed-off lead is grade hot: nothing to compare it with, so lift verdicts are "
        "withheld.",)
    assert by_name(report.criteria)["demo"].conversion.verdict is Verdict.WITHHELD


def test_criteria_are_labelled_and_sorted_by_effect() -> None:
    report = build_report(explorable(book()), now=NOW, labels={"demo": "Asked for a demo"})
    names = [s.name for s in report.criteria]
    assert names[:2] == ["pricing", "demo"]  # +82 pts (10/10 vs 16/90), then +40 pts
    assert report.criteria[1].label == "Asked for a demo"
    differences = [s.conversion.difference for s in report.criteria
                   if s.conversion.difference is not None]
    assert differences == sorted(differences, reverse=True)
    assert names[-1] == "never"  # no measurable difference: last
    assert by_name(report.criteria)["vp"].label == "vp"  # no label known: the id


def test_a_census_rule_needs_no_exploration() -> None:
    """Leads handed off by a rule that hands off every lead passing the gates are unbiased."""
    leads = [dataclasses.replace(o, census=True) for o in book()]
    leads += [outcome(definition_hash="elsewhere", criterion_dimension={}, grade="C",
                      census=True)]
    report = build_report(leads, now=NOW, min_sample=30)
    assert report.selection_warnings == () and report.explored == 0
    assert by_name(report.criteria)["demo"].conversion.verdict is Verdict.HIGHER

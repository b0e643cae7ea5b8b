"""Selection bias, end to end over a generated population.

A criterion ("demo") raises conversion over all leads but *lowers* it among hot leads: hot means
demo OR big company, and big companies convert much better, so among hot leads the ones without
a demo are exactly the big companies (Berkson's paradox). The report must not print that "lower"
verdict: without exploration it shows the banner and withholds verdicts; with ``explore_share``
it weights the explored leads and recovers the true population lift within its interval.

The population goes through the real pipeline: the qualification engine, the handoff job's
exploration draw and ledger snapshot, and the report's reading of ledger rows.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console

from connector.jobs.handoff_batch import snapshot_of
from connector.jobs.handoff_explore import select
from connector.qualification import qualify
from connector.qualification.loader import parse_definition
from connector.records import Contact
from connector.report import (
    CalibrationReport,
    SignalStats,
    Verdict,
    build_report,
    render_terminal,
)
from connector.report.from_store import outcome_of
from connector.store import Disposition, LedgerEntry

DEFINITION = """
version = "population-test"

[dimensions.intent]
kind = "engagement"
label = "Intent"

[dimensions.fit]
kind = "fit"
label = "Company fit"

[gates.consent]
label = "not opted out"
condition = { none = [{ property = "optout", op = "equals", value = "yes" }] }

[criteria.demo]
dimension = "intent"
points = 50
label = "Asked for a demo"
condition = { property = "demo", op = "equals", value = "yes" }

[criteria.big]
dimension = "fit"
points = 50
label = "1000+ employees"
condition = { property = "big", op = "equals", value = "yes" }

[[grades]]
name = "cold"
max = 50

[[grades]]
name = "hot"
min = 50

[handoff]
grades = ["hot"]
"""

N = 10_000
NOW = datetime(2024, 6, 1, tzinfo=UTC)
T0 = NOW - timedelta(days=90)


def conversion_probability(demo: bool, big: bool) -> float:
    return 0.02 + 0.10 * demo + 0.30 * big


Population = list[tuple[str, dict[str, str], bool]]  # id, properties, converted


def population(seed: int = 11) -> Population:
    rng = random.Random(seed)
    out = []
    for i in range(N):
        demo, big = rng.random() < 0.3, rng.random() < 0.2
        props = {"demo": "yes" if demo else "no", "big": "yes" if big else "no",
                 "optout": "yes" if rng.random() < 0.1 else "no"}
        out.append((f"hs-{i}", props, rng.random() < conversion_probability(demo, big)))
    return out


def report_for(people: Population, share: float) -> CalibrationReport:
    definition = parse_definition(DEFINITION)
    outcomes = []
    for cid, props, converted in people:
        decision = qualify(Contact(cid, props), definition, T0)
        selection = select(cid, decision, share=share, seed="population")
        if selection is None:
            continue  # not handed off: no outcome
        entry = LedgerEntry(hubspot_id=cid, salesforce_id=f"00Q{cid}", salesforce_object="Lead",
                            outcome="created", snapshot=snapshot_of(decision, selection),
                            payload_hash=None, email=None, first_pushed_at=T0,
                            last_pushed_at=T0, push_count=1)
        disposition = Disposition(hubspot_id=cid, updated_at=NOW, lead_status="Working",
                                  converted=converted, is_won=converted if converted else None,
                                  is_closed=converted or None)
        outcomes.append(outcome_of(entry, disposition,
                                   criterion_dimension={"demo": "intent", "big": "fit"}))
    return build_report(outcomes, now=NOW, labels={"demo": "Asked for a demo"})


def true_difference(people: Population) -> float:
    """Conversion when demo fired minus when not, over every lead that passes the gate."""
    passing = [(p["demo"] == "yes", converted) for _, p, converted in people
               if p["optout"] != "yes"]
    fired = [c for d, c in passing if d]
    not_fired = [c for d, c in passing if not d]
    return sum(fired) / len(fired) - sum(not_fired) / len(not_fired)


def demo_of(report: CalibrationReport) -> SignalStats:
    return next(s for s in report.criteria if s.name == "demo")


def text_of(report: CalibrationReport) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=80).print(render_terminal(report))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def people() -> Population:
    return population()


def test_the_population_has_the_trap(people: Population) -> None:
    assert true_difference(people) == pytest.approx(0.10, abs=0.02)  # demo: x2 overall


def test_without_exploration_the_banner_shows_and_no_verdict_is_printed(
        people: Population) -> None:
    report = report_for(people, share=0.0)
    assert {g.key for g in report.by_grade} == {"hot"} and report.explored == 0
    demo = demo_of(report)
    # among hot leads alone demo looks harmful: the verdict that must not be printed
    assert demo.conversion.difference is not None and demo.conversion.difference < -0.05
    assert demo.conversion.fired.high < demo.conversion.not_fired.low  # would read "lower"
    assert demo.conversion.verdict is Verdict.WITHHELD
    assert all(s.conversion.verdict in (Verdict.WITHHELD, Verdict.TOO_SMALL)
               for s in report.criteria + report.dimensions)
    text = text_of(report)
    assert "Every handed-off lead is grade hot" in text
    assert "no exploration" in text
    verdicts = [line.split()[-1] for line in text.splitlines() if line.strip()]
    assert "lower" not in verdicts and "higher" not in verdicts
    assert "withheld" in verdicts


def test_with_exploration_the_true_lift_is_recovered_within_its_interval(
        people: Population) -> None:
    truth = true_difference(people)
    report = report_for(people, share=0.05)
    assert report.explored > 200 and report.selection_warnings == ()
    demo = demo_of(report)
    c = demo.conversion
    assert c.difference_low is not None and c.difference_high is not None
    assert c.difference_low <= truth <= c.difference_high
    assert c.difference == pytest.approx(truth, abs=0.03)
    assert c.verdict is Verdict.HIGHER
    assert demo.label == "Asked for a demo"
    assert c.not_fired.effective_n is not None and c.not_fired.effective_n < c.not_fired.n
    text = text_of(report)
    assert "Asked for a demo" in text
    assert "higher" in [line.split()[-1] for line in text.splitlines() if line.strip()]
    assert "of them by exploration" in text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_interval_covers_the_truth_on_other_draws(seed: int) -> None:
    people = population(seed)
    c = demo_of(report_for(people, share=0.05)).conversion
    assert c.difference_low is not None and c.difference_high is not None
    assert c.difference_low <= true_difference(people) <= c.difference_high

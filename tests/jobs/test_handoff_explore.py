"""Exploration (``[handoff] explore_share``): a seeded, flagged random share of the leads that
pass the gates but not the handoff rule is handed off, deterministically per lead."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connector.jobs.context import load_rules
from connector.jobs.handoff import HandoffJob
from connector.jobs.handoff_explore import EXPLORATION, RULE, draw, select
from connector.qualification import Decision, qualify
from connector.qualification.decision import GateResult
from connector.records import Contact
from tests.jobs.conftest import EXT, ROOT, WorldFactory

SHARE = 0.2


def decision(qualified: bool, gate_ok: bool = True, definition_hash: str = "h1") -> Decision:
    return Decision(contact_id="c", qualified=qualified, grade="warm", score=40.0, fit_score=20.0,
                    engagement_score=20.0, dimensions={},
                    gates=(GateResult("consent", gate_ok, "ok" if gate_ok else "no consent"),),
                    fired=(), version="v1", definition_hash=definition_hash,
                    decided_at=datetime(2024, 1, 1, tzinfo=UTC))


def test_selection_rules() -> None:
    assert select("1", decision(True), share=0.0, seed="s") == select("1", decision(True),
                                                                       share=0.5, seed="s")
    rule = select("1", decision(True), share=0.5, seed="s")
    assert rule is not None and (rule.kind, rule.probability) == (RULE, 1.0)
    assert select("1", decision(False), share=0.0, seed="s") is None
    ids = [str(i) for i in range(4000)]
    explored = [i for i in ids if select(i, decision(False), share=0.1, seed="s")]
    assert 320 < len(explored) < 480  # ~400 expected; binomial sd 19
    chosen = select(explored[0], decision(False), share=0.1, seed="s")
    assert chosen is not None and (chosen.kind, chosen.probability) == (EXPLORATION, 0.1)
    # a lead that fails a gate is never explored, whatever its draw
    assert not [i for i in ids if select(i, decision(False, gate_ok=False), share=0.5, seed="s")]
    # another seed or definition draws another sample
    other = [i for i in ids if select(i, decision(False, definition_hash="h2"), share=0.1,
                                      seed="s")]
    assert other != explored


@settings(max_examples=200)
@given(st.text(max_size=20), st.text(min_size=1, max_size=20), st.text(max_size=20),
       st.floats(min_value=0.0, max_value=0.5))
def test_draw_is_deterministic_uniform_and_monotone_in_the_share(
        seed: str, cid: str, h: str, share: float) -> None:
    u = draw(seed, cid, h)
    assert 0.0 <= u < 1.0 and u == draw(seed, cid, h)
    picked = select(cid, decision(False, definition_hash=h), share=share, seed=seed) is not None
    assert picked == (u < share)
    if picked:  # a larger share keeps everyone a smaller share explored
        assert select(cid, decision(False, definition_hash=h), share=min(0.5, share + 0.1),
                      seed=seed) is not None


def test_the_job_hands_off_the_rule_and_an_exact_flagged_exploration_sample(
        world_factory: WorldFactory) -> None:
    world = world_factory(contacts=1200, seed=8)
    world.settings = replace(world.settings,
                             handoff=replace(world.settings.handoff, explore_share=SHARE,
                                             explore_seed="test-seed"))
    definition, _, _ = load_rules(world.settings)
    now = datetime.now(UTC)
    rule: set[str] = set()
    explorable: set[str] = set()
    gated: set[str] = set()
    for cid in world.sandbox.hubspot.contacts.all_ids():
        d = qualify(Contact(cid, world.sandbox.hubspot.contacts.get(cid) or {}), definition, now)
        if d.qualified:
            rule.add(cid)
        elif d.failed_gates:
            gated.add(cid)
        else:
            explorable.add(cid)
    expected_explored = {c for c in explorable
                         if draw("test-seed", c, definition.hash) < SHARE}
    assert rule and gated and len(expected_explored) > 20

    ctx = world.ctx()
    report = HandoffJob(ctx).run()
    assert report.status == "succeeded", report.error
    assert report.counts["explored"] == len(expected_explored)
    assert report.counts["qualified"] == len(rule)
    ledger = ctx.store.ledger_for(sorted(rule | explorable | gated))
    assert set(ledger) == rule | expected_explored  # never a gate-failing lead
    for cid, entry in ledger.items():
        selection = entry.snapshot.extra["selection"]
        if cid in rule:
            assert selection == {"kind": "rule", "probability": 1.0}
        else:
            assert selection == {"kind": "exploration", "probability": SHARE}

    # visible to reps: the Lead's reasons say it was explored; rule leads' reasons do not
    leads = {r[EXT]: r for r in world.sandbox.salesforce.org.query(
        f"SELECT Id, {EXT}, Handoff_Reasons__c FROM Lead")}
    some = sorted(expected_explored)[0]
    assert leads[some]["Handoff_Reasons__c"].startswith("EXPLORATION: handed off at random (20%")
    assert not any(leads[c]["Handoff_Reasons__c"].startswith("EXPLORATION")
                   for c in rule if c in leads)

    # a rerun (as after a crash) explores nobody new: the draw is fixed per lead
    again = HandoffJob(world.ctx()).run(since=datetime(2000, 1, 1, tzinfo=UTC))
    assert again.status == "succeeded"
    assert set(ctx.store.ledger_for(sorted(rule | explorable | gated))) == set(ledger)
    assert again.counts["explored"] == len(expected_explored)
    ctx.store.close()


def test_a_rule_that_hands_off_every_passing_lead_is_a_census() -> None:
    from dataclasses import replace as change

    from connector.jobs.handoff_explore import CENSUS, hands_off_every_passing_lead
    from connector.qualification.definition import HandoffRule
    from connector.settings import Settings

    definition, _, _ = load_rules(Settings(base_dir=str(ROOT)))
    assert not hands_off_every_passing_lead(definition)  # hot only, authority or urgency
    pilot = change(definition, handoff=HandoffRule(grades=definition.grade_names))
    assert hands_off_every_passing_lead(pilot)
    assert hands_off_every_passing_lead(change(definition, handoff=HandoffRule()))
    assert not hands_off_every_passing_lead(
        change(definition, handoff=HandoffRule(min_score=10.0)))
    # [[handoff.or]]: a census when any clause is unrestricted, not when every clause chooses
    hot = HandoffRule(grades=("hot",))
    warm_referred = HandoffRule(grades=("warm",), require_criteria=("referred",))
    assert not hands_off_every_passing_lead(
        change(definition, handoff=change(hot, alternatives=(warm_referred,))))
    assert not hands_off_every_passing_lead(
        change(definition, handoff=HandoffRule(require_criteria=("referred",))))
    assert hands_off_every_passing_lead(
        change(definition, handoff=change(hot, alternatives=(HandoffRule(),))))
    chosen = select("1", decision(True), share=0.0, seed="s", census=True)
    assert chosen is not None and (chosen.kind, chosen.probability) == (CENSUS, 1.0)


def test_the_report_bar_with_alternatives_names_them() -> None:
    from dataclasses import replace as change

    from connector.qualification.definition import HandoffRule
    from connector.report.boundary import handoff_bar
    from connector.settings import Settings

    definition, _, _ = load_rules(Settings(base_dir=str(ROOT)))
    plain = handoff_bar(definition)
    assert plain is not None and "alternatives" not in plain.name
    either = change(definition, handoff=change(definition.handoff, alternatives=(
        HandoffRule(grades=("warm",), require_criteria=("referred",)),)))
    bar = handoff_bar(either)
    assert bar is not None and bar.score == plain.score
    assert bar.name.startswith(plain.name) and "[[handoff.or]]" in bar.name


def test_a_contact_that_becomes_a_customer_keeps_its_decision_from_before(
        world_factory: WorldFactory) -> None:
    """Outcomes without a handoff: the customer's new decision carries the old one."""
    from connector.report.customers import customer_outcomes
    from connector.report.from_store import report_from_store

    world = world_factory(contacts=400, seed=9)
    ctx = world.ctx()
    assert HandoffJob(ctx).run().status == "succeeded"
    decided = ctx.store.decisions_for(world.sandbox.hubspot.contacts.all_ids())
    ledger = ctx.store.ledger_for(sorted(decided))
    held_back = sorted(cid for cid, d in decided.items() if cid not in ledger
                       and all(g["passed"] for g in d.snapshot.extra["gates"]))
    assert len(held_back) >= 2
    first, second = held_back[:2]
    before = decided[first]
    for cid in (first, second):
        world.sandbox.hubspot.contacts.update(cid, {"lifecyclestage": "customer"})
    assert HandoffJob(world.ctx()).run().status == "succeeded"
    # a later change keeps the "before" (it is carried from decision to decision)
    world.sandbox.hubspot.contacts.update(first, {"jobtitle": "Chief Happiness Officer"})
    assert HandoffJob(world.ctx()).run().status == "succeeded"

    after = ctx.store.decisions_for([first, second])
    extra = after[first].snapshot.extra
    assert extra["customer"] is True
    assert extra["before_customer"]["grade"] == before.snapshot.grade
    assert extra["before_customer"]["score"] == before.snapshot.score
    assert extra["before_customer"]["gates_passed"] is True
    assert after[first].snapshot.extra["gates"] != before.snapshot.extra["gates"]  # now a customer

    census = list(customer_outcomes(ctx.store.iter_decisions()))
    won = {o.hubspot_id for o in census if o.won}
    assert won == {first, second}
    assert all(o.census for o in census)
    report = report_from_store(ctx.store, now=datetime.now(UTC))
    assert (report.customers, report.customer_population) == (2, len(census))
    assert report.customer_criteria
    ctx.store.close()


def test_explore_share_is_validated(tmp_path: Path) -> None:
    from connector.errors import ConfigError
    from connector.settings import load_settings

    good = tmp_path / "good.toml"
    good.write_text('[handoff]\nexplore_share = 0.05\nexplore_seed = "q4"\n')
    settings = load_settings(good)
    assert (settings.handoff.explore_share, settings.handoff.explore_seed) == (0.05, "q4")
    bad = tmp_path / "bad.toml"
    bad.write_text("[handoff]\nexplore_share = 0.9\n")
    with pytest.raises(ConfigError, match="explore_share"):
        load_settings(bad)

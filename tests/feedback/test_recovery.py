"""End to end: a crash or a stop mid-run loses nothing, a dry run writes nothing, rejected
records land in dead letters and succeed on replay once the cause is fixed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest

from connector.errors import FatalError
from connector.jobs.feedback import FeedbackJob
from connector.jobs.feedback_plan import FeedbackCursor
from connector.settings import MappingSettings
from connector_sandbox.faults import FaultRule
from tests.feedback.world import BATCH_UPDATE, EXT, ROOT_MAPPINGS, World


class AfterFirstBatch:
    """A progress sink that does something once the job's first batch is committed."""

    def __init__(self, action: Callable[[], None]) -> None:
        self.action = action
        self.batches = 0

    def total(self, contacts: int) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def advance(self, **counts: int) -> None:
        self.batches += 1
        if self.batches == 1:
            self.action()


def store_state(w: World) -> dict[str, dict[str, Any]]:
    out = {}
    for d in w.ctx.store.iter_dispositions():
        facts = asdict(d)
        facts.pop("updated_at")
        out[d.hubspot_id] = facts
    return out


def test_crash_or_stop_mid_run_loses_nothing(world: Callable[..., World]) -> None:
    clean = world("clean", contacts=700)
    clean.team.work(days=14)
    assert clean.feedback().counts["written"] > 200  # more than one batch of 200
    expected_hubspot, expected_store = clean.hubspot_state(), store_state(clean)

    crashed = world("crashed", contacts=700)
    crashed.team.work(days=14)
    fault = FaultRule(match=BATCH_UPDATE, fail_next=1, fail_status=400)
    crashed.ctx.progress = AfterFirstBatch(lambda: crashed.sandbox.hubspot.faults.add(fault))
    with pytest.raises(FatalError):
        crashed.feedback()
    run = crashed.ctx.store.recent_runs(job="feedback", limit=1)[0]
    assert run.status == "failed" and "400" in (run.error or "")
    cursor = FeedbackCursor.decode(crashed.ctx.store.get_cursor("feedback"))
    assert cursor.lead is not None and cursor.opportunity is None  # past batch 1 only
    assert 0 < len(store_state(crashed)) < len(expected_store)
    assert crashed.hubspot_state() != expected_hubspot
    crashed.sandbox.reset_counters()
    rerun = crashed.feedback()
    assert rerun.status == "succeeded"
    assert crashed.hubspot_state() == expected_hubspot
    assert store_state(crashed) == expected_store

    stopped = world("stopped", contacts=700)
    stopped.team.work(days=14)
    stop = {"now": False}
    ctx = stopped.context(stop_requested=lambda: stop["now"])
    ctx.progress = AfterFirstBatch(lambda: stop.update(now=True))
    first = FeedbackJob(ctx).run()
    assert first.status == "succeeded" and first.counts["stopped_early"] == 1
    assert stopped.hubspot_state() != expected_hubspot
    stopped.feedback()
    assert stopped.hubspot_state() == expected_hubspot
    assert store_state(stopped) == expected_store


def test_dry_run_writes_nothing_and_shows_the_changes(world: Callable[..., World]) -> None:
    w = world(contacts=300)
    w.team.work(days=10)
    w.sandbox.reset_counters()
    dry = w.feedback(dry_run=True)
    assert w.hubspot_writes() == 0
    assert w.sandbox.salesforce.counter.total("POST /services/data/*") == 0  # login aside
    assert w.sandbox.salesforce.counter.total("PATCH *") == 0
    assert list(w.ctx.store.iter_dispositions()) == []
    assert w.ctx.store.get_cursor("feedback") is None
    assert w.ctx.store.recent_runs(job="feedback") == []
    assert dry.counts["would_write"] > 0 and dry.items
    item = dry.items[0]
    assert item.diff["sales_lead_status"][0] is None and item.diff["sales_lead_status"][1]
    real = w.feedback()
    assert real.counts["written"] == dry.counts["would_write"]


def test_hubspot_rejection_is_dead_lettered_then_replayed(world: Callable[..., World]) -> None:
    w = world(contacts=400, skip_properties=["sales_amount_won"])
    w.team.work(days=28)
    report = w.feedback()
    won = {str(lead[EXT]) for lead in w.leads() if lead["IsConverted"]
           and w.opportunity(str(lead["ConvertedOpportunityId"]))["IsWon"]}
    assert won and report.counts["failed"] == len(won)
    letters = list(w.ctx.store.iter_dead_letters(job="feedback"))
    assert {d.record_key for d in letters} == won
    assert all(d.error_code.startswith("HUBSPOT_") for d in letters)
    assert all(d.fields == () or "sales_amount_won" in d.fields for d in letters)
    assert w.feedback().counts["written"] == 0  # nothing changed: no blind retry storm
    # fix the cause (create the property), then replay
    from connector.fieldmap import owned_hubspot_properties

    w.ctx.hubspot.create_property(next(p for p in owned_hubspot_properties()
                                       if p["name"] == "sales_amount_won"))
    replay = FeedbackJob(w.ctx).retry_dead_letters()
    assert replay.counts["replayed"] == len(won) and replay.counts["failed"] == 0
    assert list(w.ctx.store.iter_dead_letters(job="feedback")) == []
    for cid in won:
        assert float(w.contact(cid)["sales_amount_won"]) > 0
        assert w.contact(cid)["lifecyclestage"] == "customer"
    w.sandbox.reset_counters()
    w.feedback()
    assert w.hubspot_writes() == 0


def test_mapping_error_is_dead_lettered_then_replayed(world: Callable[..., World],
                                                     tmp_path: Path) -> None:
    strict = tmp_path / "strict-feedback.toml"
    text = (ROOT_MAPPINGS / "feedback.toml").read_text()
    text = text.replace('target = "hs_lead_status"\nunmapped = "skip"',
                        'target = "hs_lead_status"\nunmapped = "error"')
    strict.write_text(text.replace('"Nurturing" = "BAD_TIMING"\n', ""))
    w = world(contacts=400, feedback_mapping=strict)
    w.team.work(days=10)
    report = w.feedback()
    letters = list(w.ctx.store.iter_dead_letters(job="feedback"))
    nurturing = {str(lead[EXT]) for lead in w.leads() if lead["Status"] == "Nurturing"}
    assert nurturing and {d.record_key for d in letters} == nurturing
    assert {d.error_code for d in letters} == {"UNMAPPED_VALUE"}
    assert report.counts["written"] > 0
    for cid in nurturing:
        assert not w.contact(cid).get("sales_lead_status")
    stored = w.ctx.store.dispositions_for(nurturing)
    assert {d.lead_status for d in stored.values()} == {"Nurturing"}  # what sales did is kept
    fixed = w.context()
    fixed_settings = replace(fixed.settings, mappings=MappingSettings())
    from connector.jobs.context import build_context

    ctx = build_context(fixed_settings, endpoints=w.sandbox.endpoints, clock=w.clock)
    w.extra_contexts.append(ctx)
    replay = FeedbackJob(ctx).retry_dead_letters(code="UNMAPPED_VALUE")
    assert replay.counts["failed"] == 0
    assert list(w.ctx.store.iter_dead_letters(job="feedback")) == []
    for cid in nurturing:
        assert w.contact(cid)["hs_lead_status"] == "BAD_TIMING"

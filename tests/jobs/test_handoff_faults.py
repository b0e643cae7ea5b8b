"""The handoff job under faults: nothing lost, nothing duplicated, state equal to a clean run's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connector.errors import BudgetExhaustedError
from connector.hubspot.changes import iter_changed_contacts
from connector.hubspot.client import HubSpotClient
from connector.jobs.context import NoProgress
from connector.jobs.handoff import HandoffJob
from connector_sandbox.faults import FaultRule
from connector_sandbox.runner import start_sandbox
from connector_sandbox.server import serve_in_thread
from tests.jobs.conftest import (
    EXT,
    ROOT,
    World,
    WorldFactory,
    org_leads,
    qualified_ids,
    world_config,
)


def assert_clean_state(world: World, ctx_store: object) -> None:
    """Every qualified contact handed off exactly once: one ledger row, at most one Lead."""
    expected = qualified_ids(world.sandbox, world.settings)
    ledger = ctx_store.ledger_for(sorted(expected))  # type: ignore[attr-defined]
    assert set(ledger) == expected
    leads = Counter(r[EXT] for r in org_leads(world.sandbox) if r.get(EXT))
    assert max(leads.values()) == 1
    lead_rows = {cid for cid, e in ledger.items() if e.salesforce_object == "Lead"}
    assert set(leads) == lead_rows


def test_429_storms_5xx_bursts_and_dropped_connections(world_factory: WorldFactory) -> None:
    world = world_factory(contacts=1500)
    hs, sf = world.sandbox.hubspot.faults, world.sandbox.salesforce.faults
    hs.add(FaultRule(match="POST /crm/v3/objects/contacts/search", error_rates={429: 0.3},
                     retry_after=0))
    hs.add(FaultRule(match="POST /crm/v3/objects/contacts/batch/update",
                     error_rates={429: 0.3, 502: 0.1}, retry_after=0))
    sf.add(FaultRule(match="* /services/data/*/composite/*", fail_next=3, fail_status=503))
    sf.add(FaultRule(match="GET /services/data/*/query*", error_rates={500: 0.2},
                     drop_rate=0.1))
    world.settings = replace(world.settings,
                             hubspot=replace(world.settings.hubspot, max_attempts=12),
                             salesforce=replace(world.settings.salesforce, max_attempts=12))
    ctx = world.ctx()
    report = HandoffJob(ctx).run()
    assert report.status == "succeeded"
    assert ctx.stats.retries["hubspot"] > 0 and ctx.stats.retries["salesforce"] >= 3
    statuses = world.sandbox.hubspot.counter.snapshot()["by_status"]
    assert any(key.endswith(" 429") for key in statuses)
    assert_clean_state(world, ctx.store)


class ExpireSessionsOnce(NoProgress):
    def __init__(self, world: World) -> None:
        self.world, self.done = world, False

    def advance(self, **counts: int) -> None:
        if not self.done:
            self.done = self.world.sandbox.salesforce.expire_sessions() >= 0


def test_session_expiry_mid_run_is_renewed(world_factory: WorldFactory) -> None:
    world = world_factory(contacts=1500)
    ctx = world.ctx(progress=ExpireSessionsOnce(world))
    report = HandoffJob(ctx).run()
    assert report.status == "succeeded"
    counter = world.sandbox.salesforce.counter.snapshot()["by_status"]
    assert any(key.endswith(" 401") for key in counter)  # the session did expire mid-run
    assert world.sandbox.salesforce.counter.total("POST /services/oauth2/token") >= 2
    assert_clean_state(world, ctx.store)


def test_budget_share_stops_cleanly_and_keeps_the_cursor(world_factory: WorldFactory) -> None:
    world = world_factory(contacts=3000, daily_api_limit=24)
    world.settings = replace(world.settings, handoff=replace(
        world.settings.handoff, batch_size=20, salesforce_batch_size=20))
    ctx = world.ctx()
    with pytest.raises(BudgetExhaustedError):
        HandoffJob(ctx).run()
    run = ctx.store.recent_runs(job="handoff")[0]
    assert run.status == "failed" and "budget" in (run.error or "").lower()
    cursor = ctx.store.get_cursor("handoff")
    committed = ctx.store.ledger_for(sorted(qualified_ids(world.sandbox, world.settings)))
    # everything committed is really in Salesforce; the rest will come with the next budget
    leads = {r[EXT] for r in org_leads(world.sandbox) if r.get(EXT)}
    assert {c for c, e in committed.items() if e.salesforce_object == "Lead"} <= leads
    world.sandbox.salesforce.settings.patch({"daily_api_limit": 100_000})
    # the usage reading kept in the store stops every run until the next UTC day (zero calls)
    with pytest.raises(BudgetExhaustedError):
        HandoffJob(world.ctx()).run()
    kept = ctx.store.api_usage("salesforce")
    assert kept is not None  # as if taken yesterday: a new day's first run checks /limits again
    ctx.store.record_api_usage("salesforce", kept.used, kept.max,
                               kept.observed_at - timedelta(days=1))
    ctx2 = world.ctx()
    assert HandoffJob(ctx2).run().status == "succeeded"
    if cursor is not None:
        after = ctx2.store.get_cursor("handoff")
        assert after is not None and after >= cursor
    assert_clean_state(world, ctx2.store)


def write_config(world: World, path: Path) -> Path:
    return world_config(world, path, """
[handoff]
batch_size = 25
salesforce_batch_size = 25
""")


def test_sigkill_mid_run_then_rerun_loses_and_duplicates_nothing(world_factory: WorldFactory,
                                                                  tmp_path: Path) -> None:
    world = world_factory(contacts=2500)
    # slow Salesforce writes down so the kill lands in the middle of the run
    world.sandbox.salesforce.faults.add(FaultRule(match="* /services/data/*/composite/*",
                                                  latency_ms=150))
    config = write_config(world, tmp_path / "config.toml")
    proc = subprocess.Popen([sys.executable, "-m", "connector", "--config", str(config),
                             "handoff", "--json"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    counter = world.sandbox.salesforce.counter
    deadline = time.monotonic() + 120
    while counter.total("PATCH /services/data/*/composite/*") < 2:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    world.sandbox.salesforce.faults.clear()
    ctx = world.ctx()
    stale = ctx.store.recent_runs(job="handoff")
    assert stale and stale[0].status == "running"  # the killed run never finished
    report = HandoffJob(ctx).run()
    assert report.status == "succeeded"
    assert_clean_state(world, ctx.store)


def test_more_than_10k_contacts_sharing_one_timestamp_are_pulled_whole(tmp_path: Path) -> None:
    sandbox = start_sandbox(tmp_path / "sb", seed=3, contacts=10_400, existing_leads=0,
                            existing_contacts=0, rate_limits=False)
    try:
        ids = sandbox.hubspot.contacts.all_ids()
        when = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
        sandbox.hubspot.contacts.set_many_modified(ids[:10_250], when)
        client = HubSpotClient(host=sandbox.endpoints.hubspot_url,
                               token=sandbox.endpoints.hubspot_token, search_per_second=1000,
                               burst_per_10s=100_000)
        seen = [c.id for c in iter_changed_contacts(client, datetime(2000, 1, 1, tzinfo=UTC),
                                                    ["email"])]
        assert len(seen) == len(set(seen)) == len(ids)
        assert set(seen[:10_250]) == set(ids[:10_250])  # the tie is the oldest stamp
        # no query ever hit HubSpot's 10,000-result cap
        assert not any(k.endswith(" 400") for k in
                       sandbox.hubspot.counter.snapshot()["by_status"])
    finally:
        sandbox.stop()


def test_offset_paging_really_fails_past_10k(tmp_path: Path) -> None:
    """The simulator enforces the cap our keyset pull avoids (checked through the SDK)."""
    from hubspot import HubSpot
    from hubspot.crm.contacts import PublicObjectSearchRequest
    from hubspot.crm.contacts.exceptions import ApiException

    from connector_sandbox.hubspot import HubSpotSimConfig, HubSpotSimulator

    sim = HubSpotSimulator(HubSpotSimConfig(rate_limits=False, max_search_results=1_000))
    sim.seed_contacts(1_100, seed=1)
    server = serve_in_thread(sim.app)
    try:
        api = HubSpot(access_token=sim.config.token, host=server.url).crm.contacts.search_api
        with pytest.raises(ApiException) as info:
            api.do_search(public_object_search_request=PublicObjectSearchRequest(
                limit=200, after="1000", properties=["email"]))
        assert info.value.status == 400
    finally:
        server.stop()

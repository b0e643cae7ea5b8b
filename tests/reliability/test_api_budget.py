"""The Salesforce API ceiling holds exactly: usage is never above it, and while it is reached a
new run (a new process: fresh clients) or a daemon tick spends no call at all."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from connector.daemon.metrics import DaemonMetrics
from connector.daemon.runner import JobRunner
from connector.errors import BudgetExhaustedError
from connector.jobs.handoff import HandoffJob
from connector.salesforce.client import ApiBudget
from connector.store import StateStore
from tests.jobs.conftest import World, WorldFactory


def calls(world: World) -> int:
    return int(world.sandbox.salesforce.counter.total() + world.sandbox.hubspot.counter.total())


def small_batches(world: World) -> None:
    world.settings = replace(world.settings, handoff=replace(
        world.settings.handoff, batch_size=20, salesforce_batch_size=20))


def test_usage_never_passes_the_cap_and_a_reached_cap_spends_nothing(
        world_factory: WorldFactory) -> None:
    world = world_factory(contacts=3000, daily_api_limit=24)  # ceiling: 50 % -> 12 calls
    small_batches(world)
    with pytest.raises(BudgetExhaustedError):
        HandoffJob(world.ctx()).run()
    usage = world.sandbox.salesforce.usage
    assert usage.used() == 12  # spent up to the ceiling, not one call more
    with StateStore.open(world.settings.store.url) as store:
        kept = store.api_usage("salesforce")
    assert kept is not None and (kept.used, kept.max) == (12, 24)
    before = calls(world)
    for _ in range(3):  # new runs, new clients: the kept reading stops them before any call
        with pytest.raises(BudgetExhaustedError):
            HandoffJob(world.ctx()).run()
    assert calls(world) == before and usage.used() == 12


def test_a_daemon_tick_at_the_cap_spends_nothing(world_factory: WorldFactory) -> None:
    world = world_factory(contacts=2000, daily_api_limit=10)  # ceiling: 5 calls
    small_batches(world)
    with StateStore.open(world.settings.store.url) as store:
        runner = JobRunner(world.settings, store, owner="tick-test",
                           factories={"handoff": HandoffJob},
                           metrics=DaemonMetrics(owner="tick-test"),
                           shutdown=threading.Event(), endpoints=world.sandbox.endpoints)
        first = runner.run("handoff")
        assert first.status == "failed" and "budget" in (first.error or "").lower()
        assert world.sandbox.salesforce.usage.used() == 5
        before = calls(world)
        for _ in range(3):
            assert runner.run("handoff").status == "failed"
        assert calls(world) == before


def test_clients_sharing_a_budget_never_pass_its_ceiling_together() -> None:
    budget = ApiBudget(share=0.5, used=8, limit=20)  # ceiling 10: two calls left
    assert budget.reserve() and budget.reserve()
    assert not budget.reserve()  # two in flight: a third would pass the ceiling
    budget.settle()
    budget.observe(9, 20)  # the first came back: 9 used, one still in flight
    assert not budget.reserve()
    budget.settle()
    assert budget.reserve()  # 9 used, nothing in flight: the last call

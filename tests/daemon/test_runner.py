"""One run under a lease, on a real SQLite store: skip when held elsewhere, heartbeat while
running, stop after the current batch when the lease is lost, stale runs marked interrupted.
The jobs here are tiny stand-ins that follow the job contract (start_run / finish_run, check
``stop_requested`` between batches); the end-to-end tests run the real jobs."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from connector.callstats import CallStats
from connector.daemon.metrics import DaemonMetrics
from connector.daemon.runner import JobRunner
from connector.settings import DaemonSettings, Settings
from connector.store import StateStore


@dataclass
class Report:
    run_id: int | None
    status: str = "running"
    counts: Counter[str] = field(default_factory=Counter)


class BatchJob:
    """Processes ``batches`` batches of ``pause`` seconds each, stopping early on request."""

    def __init__(self, ctx: Any, batches: int, pause: float,
                 started: threading.Event | None = None) -> None:
        self.ctx, self.batches, self.pause, self.started = ctx, batches, pause, started

    def run(self) -> Report:
        ctx = self.ctx
        report = Report(ctx.store.start_run("handoff", ctx.clock(), owner=ctx.owner))
        if self.started:
            self.started.set()
        for _ in range(self.batches):
            time.sleep(self.pause)
            report.counts["pushed"] += 1
            if ctx.stop_requested():
                report.counts["stopped_early"] = 1
                break
        report.status = "succeeded"
        ctx.store.finish_run(report.run_id, ctx.clock(), status="succeeded",
                             counts=dict(report.counts), api_calls={})
        return report


def _build(settings: Settings, **kw: Any) -> Any:
    return SimpleNamespace(store=kw["store"], clock=kw["clock"], owner=kw["owner"],
                           stop_requested=kw["stop_requested"], stats=CallStats(),
                           salesforce=SimpleNamespace(budget=None))


@pytest.fixture
def store(tmp_path: Path) -> Any:
    opened = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    yield opened
    opened.close()


def _runner(store: StateStore, owner: str, job: Any, ttl: int = 3) -> JobRunner:
    settings = replace(Settings(), daemon=DaemonSettings(lease_ttl_seconds=ttl))
    return JobRunner(settings, store, owner=owner, factories={"handoff": job},
                     metrics=DaemonMetrics(owner=owner), shutdown=threading.Event(),
                     build=_build)


def now() -> datetime:
    return datetime.now(UTC)


def test_skips_while_another_instance_holds_the_lease(store: StateStore) -> None:
    assert store.try_acquire_lease("handoff", "other", now(), 30)
    runner = _runner(store, "me", lambda ctx: BatchJob(ctx, 1, 0))
    result = runner.run("handoff")
    assert result.status == "skipped" and result.holder == "other"
    assert result.lease_expires_at is not None and result.lease_expires_at > now()
    assert store.recent_runs("handoff") == []
    store.release_lease("handoff", "other")
    assert runner.run("handoff").status == "succeeded"
    assert store.lease_holder("handoff", now()) is None  # released after the run


def test_heartbeat_keeps_the_lease_through_a_run_longer_than_the_ttl(store: StateStore) -> None:
    started = threading.Event()
    runner = _runner(store, "me", lambda ctx: BatchJob(ctx, 10, 0.5, started), ttl=3)
    result: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: result.update(r=runner.run("handoff")))
    thread.start()
    assert started.wait(10)
    deadline = time.monotonic() + 4.5  # past the 3 s TTL: only heartbeats keep it ours
    while time.monotonic() < deadline:
        assert not store.try_acquire_lease("handoff", "other", now(), 3)
        time.sleep(0.3)
    thread.join(20)
    assert result["r"].status == "succeeded" and result["r"].counts["pushed"] == 10
    assert not result["r"].lease_lost


def test_lost_lease_stops_the_run_after_its_current_batch(store: StateStore) -> None:
    started = threading.Event()
    runner = _runner(store, "me", lambda ctx: BatchJob(ctx, 100, 0.2, started), ttl=3)
    result: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: result.update(r=runner.run("handoff")))
    thread.start()
    assert started.wait(10)
    store.release_lease("handoff", "me")  # as if it had expired and another took it over
    assert store.try_acquire_lease("handoff", "other", now(), 30)
    thread.join(20)
    r = result["r"]
    assert r.lease_lost and r.counts["stopped_early"] == 1 and r.counts["pushed"] < 100
    holder = store.lease_holder("handoff", now())
    assert holder is not None and holder.owner == "other"  # not released by "me"


def test_runs_of_a_dead_holder_are_marked_interrupted(store: StateStore) -> None:
    dead = store.start_run("handoff", now(), owner="dead")
    runner = _runner(store, "me", lambda ctx: BatchJob(ctx, 1, 0))
    assert runner.run("handoff").status == "succeeded"
    stale = store.get_run(dead)
    assert stale is not None and stale.status == "interrupted" and stale.finished_at


def test_one_process_never_runs_a_job_twice_at_once(store: StateStore) -> None:
    started = threading.Event()
    runner = _runner(store, "me", lambda ctx: BatchJob(ctx, 5, 0.2, started))
    thread = threading.Thread(target=runner.run, args=("handoff",))
    thread.start()
    assert started.wait(10)
    second = runner.run("handoff")
    assert second.status == "skipped" and second.error == "already running here"
    thread.join(20)

"""``/metrics`` and ``/healthz`` over real HTTP (httpx) from a daemon running in-process against
the sandbox: the run, its records, API calls, retries and rate-limit waits, the Salesforce
budget, the last success, the lease holder; health fails when the job has not succeeded within
the window and when the scheduler is dead. Also: the scheduler's job options, and recovery of
this instance's stale runs on start."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from connector.daemon.jobs import available_jobs
from connector.daemon.service import Daemon
from connector.settings import DaemonSettings, Settings
from connector.store import StateStore
from connector_sandbox.faults import FaultRule
from tests.fixtures.sandbox import ROOT, settings_for

from .helpers import now, provision, wait_for

pytestmark = pytest.mark.timeout(120)
WINDOW_S = 4


def samples(url: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = httpx.get(f"{url}/metrics", timeout=10).text
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str,
          **labels: str) -> float | None:
    return found.get((name, frozenset(labels.items())))


def test_metrics_and_healthz_over_http(sandbox: Any, tmp_path: Path) -> None:
    settings = settings_for(sandbox, tmp_path, daemon=DaemonSettings(
        handoff_schedule="interval:1h", jitter_seconds=2, misfire_grace_seconds=45,
        lease_ttl_seconds=10, metrics_port=0, health_window_seconds=WINDOW_S,
        instance_id="metrics-test"))
    provision(settings)
    # two rate-limited searches: retried after Retry-After, counted as retries and waits
    sandbox.hubspot.faults.add(FaultRule(match="POST /crm/v3/objects/contacts/search",
                                         fail_next=2, fail_status=429, retry_after=0.2))
    daemon = Daemon(settings, factories={"handoff": available_jobs()["handoff"]})
    daemon.start()
    try:
        assert daemon.server is not None
        url = daemon.server.url
        job = daemon.scheduler.get_job("handoff")  # type: ignore[union-attr]
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 45)
        assert job.trigger.jitter == 2

        wait_for("a successful run", lambda: value(samples(url), "connector_job_runs_total",
                                                  job="handoff", status="succeeded"), 60)
        health = httpx.get(f"{url}/healthz", timeout=10)
        assert health.status_code == 200, health.text
        body = health.json()
        assert body["status"] == "ok" and body["scheduler"] == "running"
        assert body["jobs"]["handoff"]["ok"] and body["jobs"]["handoff"]["last_success"]

        found = samples(url)
        assert value(found, "connector_job_runs_total", job="handoff", status="succeeded") == 1
        assert value(found, "connector_job_runs_total", job="handoff", status="failed") == 0
        assert value(found, "connector_job_run_duration_seconds_count", job="handoff") == 1
        assert (value(found, "connector_job_records_total", job="handoff", outcome="created")
                or 0) > 0
        assert (value(found, "connector_job_records_total", job="handoff", outcome="pulled")
                or 0) >= 300
        assert (value(found, "connector_api_calls_total", system="hubspot", status="200")
                or 0) > 0
        assert (value(found, "connector_api_calls_total", system="salesforce", status="200")
                or 0) > 0
        assert value(found, "connector_api_calls_total", system="hubspot", status="429") == 2
        assert value(found, "connector_api_retries_total", system="hubspot") == 2
        assert (value(found, "connector_api_rate_limit_wait_seconds_total", system="hubspot")
                or 0) >= 0.2
        assert (value(found, "connector_salesforce_api_used") or 0) > 0
        assert value(found, "connector_salesforce_api_limit") == 100_000
        last = value(found, "connector_job_last_success_timestamp_seconds", job="handoff")
        assert last is not None and abs(last - time.time()) < 60
        assert value(found, "connector_scheduler_running") == 1
        assert value(found, "connector_store_up") == 1

        # the lease holder, read at scrape time: here another instance holds the lease
        store = daemon.store
        assert store is not None
        assert store.try_acquire_lease("handoff", "other-instance", now(), 30)
        found = samples(url)
        assert value(found, "connector_lease_holder", job="handoff", owner="other-instance") == 1
        assert value(found, "connector_lease_held", job="handoff") == 0
        assert httpx.get(f"{url}/healthz").json()["jobs"]["handoff"]["lease_holder"] == \
            "other-instance"
        store.release_lease("handoff", "other-instance")

        # no success within the window (the next run is an hour away): failing
        def failing_health() -> httpx.Response | None:
            r = httpx.get(f"{url}/healthz")
            return r if r.status_code == 503 else None

        failing = wait_for("/healthz to fail on the window", failing_health,
                           WINDOW_S + 30, interval=0.25)
        assert any("handoff has not succeeded" in f for f in failing.json()["failures"])

        # a dead scheduler fails the check too
        daemon.scheduler.shutdown(wait=False)  # type: ignore[union-attr]
        dead = httpx.get(f"{url}/healthz")
        assert dead.status_code == 503 and dead.json()["scheduler"] == "stopped"
        assert "scheduler is not running" in dead.json()["failures"]
        assert httpx.get(f"{url}/nope").status_code == 404
    finally:
        assert daemon.stop() == 0


def test_start_marks_this_instances_stale_runs_interrupted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    settings = replace(Settings(base_dir=str(ROOT)).with_store(url),
                       daemon=DaemonSettings(instance_id="host-1"))
    with StateStore.open(url) as store:
        crashed = store.start_run("handoff", now() - timedelta(seconds=5), owner="host-1")
        assert store.try_acquire_lease("handoff", "host-1", now(), 60)  # still "live"
        other = store.start_run("feedback", now(), owner="host-2")
        assert store.try_acquire_lease("feedback", "host-2", now(), 60)
    daemon = Daemon(settings, factories={"handoff": available_jobs()["handoff"]})
    daemon.open()
    try:
        assert daemon.store is not None
        store = daemon.store
        mine = store.get_run(crashed)
        assert mine is not None and mine.status == "interrupted"
        assert mine.error == "interrupted: the daemon restarted"
        assert store.lease_holder("handoff", now()) is None
        theirs = store.get_run(other)  # another live instance's run is left alone
        assert theirs is not None and theirs.status == "running"
    finally:
        assert daemon.stop() == 0

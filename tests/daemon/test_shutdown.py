"""Graceful shutdown of a daemon subprocess: SIGTERM in the middle of a run finishes the current
batch, commits the cursor, releases the lease and exits 0; a second signal exits at once with a
non-zero code and still loses nothing (the next start marks the run interrupted and resumes)."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connector.settings import load_settings
from connector.store import StateStore
from connector_sandbox.faults import FaultRule

from .helpers import (
    check_leads,
    now,
    provision,
    runs_of,
    start_daemon,
    wait_for,
    write_config,
)

pytestmark = pytest.mark.timeout(240)
# slow Salesforce writes a little, so that a run has many batches still to go when signalled
SLOW_WRITES = FaultRule(match="* /services/data/*/composite/*", latency_ms=400)


@pytest.fixture
def sandbox_1500(tmp_path: Path) -> Iterator[Any]:
    from connector_sandbox.runner import start_sandbox

    sb = start_sandbox(tmp_path / "sandbox", seed=9, contacts=1_500, existing_leads=20,
                       existing_contacts=10)
    try:
        yield sb
    finally:
        sb.stop()


def _modified_ms(sandbox: Any) -> dict[str, int]:
    """Each contact's ``lastmodifieddate`` now (the write-back will bump it later)."""
    from connector.datetimes import to_epoch_ms
    from connector.hubspot.client import parse_hubspot_datetime

    out: dict[str, int] = {}
    for cid in sandbox.hubspot.contacts.all_ids():
        stamp = parse_hubspot_datetime((sandbox.hubspot.contacts.get(cid) or {})
                                       .get("lastmodifieddate"))
        out[cid] = to_epoch_ms(stamp) if stamp is not None else 0
    return out


def test_sigterm_mid_run_exits_cleanly_with_a_committed_cursor(
        sandbox_1500: Any, tmp_path: Path) -> None:
    config = write_config(tmp_path / "daemon.toml", store_url=f"sqlite:///{tmp_path / 'st.db'}",
                          sandbox_workdir=sandbox_1500.workdir,
                          daemon={"handoff_schedule": "interval:1h", "instance_id": "solo",
                                  "lease_ttl_seconds": 10, "shutdown_timeout_seconds": 30},
                          handoff={"batch_size": 5, "salesforce_batch_size": 5})
    settings = load_settings(config)
    provision(settings)
    sandbox_1500.salesforce.faults.add(SLOW_WRITES)
    modified = _modified_ms(sandbox_1500)
    store = StateStore.open(settings.store.url)
    daemon = start_daemon(config, "first")
    try:
        def mid_run() -> bool:
            running = store.recent_runs("handoff", limit=1, status="running")
            return bool(running) and sum(1 for _ in store.iter_ledger()) >= 5

        wait_for("a run with leads committed", mid_run, 90, interval=0.05,
                 on_fail=daemon.log)
        daemon.signal(signal.SIGTERM)
        signalled = time.monotonic()
        assert daemon.wait(60) == 0, daemon.log()[-4000:]
        print(f"\nSIGTERM -> exit 0 in {time.monotonic() - signalled:.2f} s")

        (run,) = runs_of(store)
        assert run.status == "succeeded" and run.counts.get("stopped_early") == 1, run
        assert store.lease_holder("handoff", now()) is None
        cursor = store.get_cursor("handoff")
        assert cursor is not None
        before = {cid for cid, ms in modified.items() if ms < int(cursor)}
        assert len(before) < len(modified), "stopped before the end"
        figures = check_leads(sandbox_1500, settings, store, now(), only=before)
        assert figures["expected"] >= 5, "the cursor moved past committed leads"
        print(f"committed before the cursor: {len(before)} contacts, {figures}")
    finally:
        daemon.stop()
        store.close()


def test_second_signal_exits_at_once_and_loses_nothing(
        sandbox_1500: Any, tmp_path: Path) -> None:
    config = write_config(tmp_path / "daemon.toml", store_url=f"sqlite:///{tmp_path / 'st.db'}",
                          sandbox_workdir=sandbox_1500.workdir,
                          daemon={"handoff_schedule": "interval:1h", "instance_id": "solo",
                                  "lease_ttl_seconds": 10, "shutdown_timeout_seconds": 60},
                          handoff={"batch_size": 5, "salesforce_batch_size": 5})
    settings = load_settings(config)
    provision(settings)
    sandbox_1500.salesforce.faults.add(SLOW_WRITES)
    store = StateStore.open(settings.store.url)
    daemon = start_daemon(config, "impatient")
    try:
        wait_for("a run with a committed batch",
                 lambda: store.recent_runs("handoff", limit=1, status="running")
                 and sum(1 for _ in store.iter_ledger()) >= 5, 90, interval=0.05,
                 on_fail=daemon.log)
        # the first signal while a push has just reached the server (held SLOW_WRITES' 400 ms:
        # the batch in flight is still running); the second once the first was handled (two
        # signals before the handler runs would merge into one)
        counter, pushes = sandbox_1500.salesforce.counter, "* /services/data/*/composite/*"
        arrived = counter.arrived(pushes)
        wait_for("a push in flight", lambda: counter.arrived(pushes) > arrived, 60,
                 interval=0.002, on_fail=daemon.log)
        daemon.signal(signal.SIGTERM)
        wait_for("the first signal handled", lambda: "shutdown requested" in daemon.log(), 10,
                 interval=0.002, on_fail=daemon.log)
        daemon.signal(signal.SIGTERM)
        signalled = time.monotonic()
        code = daemon.wait(30)
        elapsed = time.monotonic() - signalled
        print(f"\nsecond SIGTERM -> exit {code} in {elapsed:.2f} s")
        assert code == 128 + signal.SIGTERM, daemon.log()[-4000:]
        assert elapsed < 10
        (abandoned,) = store.recent_runs("handoff", status="running")

        # the next start (same instance id) marks it interrupted and finishes the work
        sandbox_1500.salesforce.faults.clear()
        again = start_daemon(config, "once", "--once")
        assert again.wait(120) == 0, again.log()[-4000:]
        marked = store.get_run(abandoned.id)
        assert marked is not None and marked.status == "interrupted"
        assert [r.status for r in runs_of(store)] == ["interrupted", "succeeded"]
        figures = check_leads(sandbox_1500, settings, store, now())
        print(f"after --once: {figures}")
    finally:
        daemon.stop()
        store.close()

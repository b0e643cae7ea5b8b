"""Two daemon processes against one PostgreSQL schema and one sandbox: one is SIGKILLed in the
middle of a run; the survivor takes over within the lease TTL; the runs never overlap; every
qualified contact ends up with exactly one Salesforce Lead."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from connector.settings import load_settings
from connector.store import StateStore

from .helpers import (
    DaemonProcess,
    assert_no_overlap,
    check_leads,
    leads_by_contact,
    make_hot,
    now,
    provision,
    runs_of,
    start_daemon,
    wait_for,
    write_config,
)

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(240)]

TTL_S = 6
INTERVAL_S = 2
# the takeover attempt fires 0.25 s after the dead holder's lease expires; allow for process
# start-up of the run (context build, TLS) on a loaded 2-core machine
TAKEOVER_SLACK_S = 3.0


@pytest.fixture
def big_sandbox(tmp_path: Path) -> Iterator[Any]:
    from connector_sandbox.runner import start_sandbox

    sb = start_sandbox(tmp_path / "sandbox", seed=5, contacts=3_000, existing_leads=30,
                       existing_contacts=20, search_lag_s=1.0)
    try:
        yield sb
    finally:
        sb.stop()


def test_two_instances_sigkill_one_mid_run(big_sandbox: Any, pg_url: str,
                                           tmp_path: Path) -> None:
    configs = [
        write_config(tmp_path / f"{name}.toml", store_url=pg_url,
                     sandbox_workdir=big_sandbox.workdir,
                     daemon={"handoff_schedule": f"interval:{INTERVAL_S}s", "jitter_seconds": 1,
                             "lease_ttl_seconds": TTL_S, "misfire_grace_seconds": 30,
                             "instance_id": name, "shutdown_timeout_seconds": 30},
                     handoff={"batch_size": 25, "salesforce_batch_size": 25})
        for name in ("daemon-a", "daemon-b")
    ]
    store = StateStore.open(pg_url)
    daemons: dict[str, DaemonProcess] = {}
    try:
        settings = load_settings(configs[0])
        provision(settings)
        for config in configs:
            name = config.stem
            daemons[name] = start_daemon(config, name)

        def logs() -> str:
            return "\n".join(f"--- {n}\n{d.log()[-4000:]}" for n, d in daemons.items())

        # 1. catch a run in the middle of its work (a batch committed, more to go) and kill it
        def running_with_progress() -> Any:
            for run in store.recent_runs("handoff", limit=5, status="running"):
                if store.get_cursor("handoff") is not None and run.owner in daemons:
                    return run
            return None

        victim_run = wait_for("a handoff run in progress", running_with_progress, 90,
                              interval=0.05, on_fail=logs)
        victim = daemons[str(victim_run.owner)]
        survivor = next(d for n, d in daemons.items() if n != victim.name)
        victim.signal(signal.SIGKILL)
        killed_at = now()
        assert victim.wait(10) == -signal.SIGKILL

        # 2. the survivor takes over within the lease TTL
        def survivor_run() -> Any:
            runs = [r for r in runs_of(store) if r.owner == survivor.name
                    and r.started_at > killed_at]
            return runs[0] if runs else None

        takeover = wait_for("the survivor's takeover", survivor_run, TTL_S + 30, on_fail=logs)
        takeover_s = (takeover.started_at - killed_at).total_seconds()
        print(f"\ntakeover after SIGKILL: {takeover_s:.2f} s (lease TTL {TTL_S} s)")
        assert takeover_s <= TTL_S + TAKEOVER_SLACK_S, logs()
        interrupted = store.get_run(victim_run.id)
        assert interrupted is not None and interrupted.status == "interrupted"

        # 3. more cycles with fresh work: hand-raises arrive while the survivor runs
        fresh: list[str] = []
        for wave in range(3):
            fresh += make_hot(big_sandbox, settings, 8, f"wave{wave}", exclude=set(fresh))
            time.sleep(INTERVAL_S)
        last_change = now()

        def caught_up() -> bool:
            after = [r for r in runs_of(store) if r.status == "succeeded"
                     and r.started_at > takeover.started_at]
            late = [r for r in after if r.started_at > last_change + timedelta(seconds=1.5)]
            return len(after) >= 6 and len(late) >= 2

        wait_for("more cycles after the last change", caught_up, 120, on_fail=logs)
        survivor.signal(signal.SIGTERM)
        assert survivor.wait(60) == 0, logs()

        # 4. the runs table: many cycles, none overlapping, none left running
        runs = runs_of(store)
        print(f"handoff runs: {len(runs)} "
              f"({sum(r.owner == 'daemon-a' for r in runs)} by a, "
              f"{sum(r.owner == 'daemon-b' for r in runs)} by b)")
        assert len(runs) >= 8
        assert all(r.status != "running" for r in runs)
        assert_no_overlap(runs)
        assert store.lease_holder("handoff", now()) is None

        # 5. no lead lost or duplicated
        figures = check_leads(big_sandbox, settings, store, last_change)
        assert set(fresh) <= set(leads_by_contact(big_sandbox))
        print(f"leads: {figures}")
    finally:
        for daemon in daemons.values():
            daemon.stop()
        store.close()

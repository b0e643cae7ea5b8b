"""High availability on PostgreSQL: a manual run paused with SIGSTOP past its lease's TTL is
taken over; when it wakes up it writes nothing more, to either system or to the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connector.jobs.handoff import HandoffJob
from connector.jobs.lease import leased
from connector.settings import StoreSettings
from connector.settings_checks import MIN_LEASE_TTL_S
from connector_sandbox.faults import FaultRule
from tests.jobs.conftest import ROOT, World, WorldFactory, hs_writes, sf_writes, world_config
from tests.jobs.test_handoff_faults import assert_clean_state

TTL_S = MIN_LEASE_TTL_S  # the shortest lease a config may ask for
PUSH_LATENCY_MS = 1500


def write_config(world: World, path: Path) -> Path:
    return world_config(world, path, f"""
[handoff]
batch_size = 25
salesforce_batch_size = 25
[daemon]
lease_ttl_seconds = {TTL_S}
""")


def wait_for(check: object, what: str, proc: subprocess.Popen[bytes], limit_s: float = 120,
             poll_s: float = 0.02) -> None:
    deadline = time.monotonic() + limit_s
    while not check():  # type: ignore[operator]
        assert proc.poll() is None, f"the run ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(poll_s)


def writes(world: World) -> tuple[int, int]:
    return sf_writes(world.sandbox), hs_writes(world.sandbox)


@pytest.mark.postgres
def test_a_paused_holder_writes_nothing_after_the_takeover(world_factory: WorldFactory,
                                                           pg_url: str, tmp_path: Path) -> None:
    world = world_factory(contacts=2500)
    world.settings = replace(world.settings, store=StoreSettings(url=pg_url))
    world.sandbox.salesforce.faults.add(FaultRule(match="* /services/data/*/composite/*",
                                                  latency_ms=PUSH_LATENCY_MS))
    config = write_config(world, tmp_path / "config.toml")
    paused = subprocess.Popen([sys.executable, "-m", "connector", "--config", str(config),
                               "handoff", "--json"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        counter = world.sandbox.salesforce.counter
        # paused while it waits on its second push (the server holds it PUSH_LATENCY_MS): the
        # push lands during the pause, before the takeover; the write-back to HubSpot comes next,
        # after the takeover, and the lease check in the client must refuse it. Pausing at a
        # random moment instead could land between that check and the send: no client-side
        # check closes that window (neither API has conditional batch writes; docs/operations.md)
        wait_for(lambda: counter.arrived("PATCH /services/data/*/composite/*") >= 2,
                 "two pushes", paused, poll_s=0.005)
        os.kill(paused.pid, signal.SIGSTOP)
        assert counter.total("PATCH /services/data/*/composite/*") < 2, \
            "paused too late: the second push had already been answered"
        time.sleep(TTL_S + 1)  # its lease expires while it sleeps
        ctx = world.ctx(owner="taker")
        assert ctx.store.try_acquire_lease("handoff", "taker", datetime.now(UTC), 60)
        assert ctx.store.mark_stale_runs_interrupted(datetime.now(UTC), job="handoff") == 1
        time.sleep(0.5)  # calls sent before the pause have landed
        before = writes(world)
        os.kill(paused.pid, signal.SIGCONT)
        paused.wait(60)
        stderr = paused.stderr.read().decode() if paused.stderr else ""
        assert "Traceback" not in stderr, stderr
        assert writes(world) == before, stderr  # zero writes after the takeover
        run = ctx.store.recent_runs(job="handoff")[0]
        assert run.owner != "taker" and run.status == "interrupted", (run, stderr)
        ctx.store.release_lease("handoff", "taker")
    finally:
        if paused.poll() is None:
            os.kill(paused.pid, signal.SIGCONT)
            paused.kill()
            paused.wait(30)
    world.sandbox.salesforce.faults.clear()
    ctx = world.ctx()
    with leased(ctx, "handoff"):
        assert HandoffJob(ctx).run().status == "succeeded"
    assert_clean_state(world, ctx.store)

"""Lease fencing: a holder that lost its lease (paused past the TTL, another owner took over)
commits nothing and finishes nothing; a killed manual run's lease is taken at once by a rerun
on the same host, and its run closed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from connector.errors import FatalError
from connector.jobs.lease import leased, process_is_dead
from connector.store import LeaseLostError, StateStore
from tests.jobs.conftest import WorldFactory

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_commit_after_a_takeover_is_rolled_back(store: StateStore) -> None:
    assert store.try_acquire_lease("handoff", "paused", at(0), 10)
    with store.transaction() as tx:
        tx.require_lease("handoff", "paused", at(5))
        tx.set_cursor("handoff", "c1", at(5))
    assert store.try_acquire_lease("handoff", "taker", at(11), 10)  # expired: taken over
    with pytest.raises(LeaseLostError), store.transaction() as tx:
        tx.require_lease("handoff", "paused", at(12))
        tx.set_cursor("handoff", "c2", at(12))
    assert store.get_cursor("handoff") == "c1"
    assert not store.lease_owned("handoff", "paused", at(12))
    assert store.lease_owned("handoff", "taker", at(12))


def test_an_expired_lease_fences_even_before_a_takeover(store: StateStore) -> None:
    assert store.try_acquire_lease("handoff", "slow", at(0), 10)
    with pytest.raises(LeaseLostError), store.transaction() as tx:
        tx.require_lease("handoff", "slow", at(10))


def test_a_run_closed_by_the_next_holder_stays_closed(store: StateStore) -> None:
    assert store.try_acquire_lease("handoff", "paused", at(0), 10)
    run_id = store.start_run("handoff", at(0), owner="paused")
    assert store.try_acquire_lease("handoff", "taker", at(11), 10)
    assert store.mark_stale_runs_interrupted(at(11), job="handoff") == 1
    # the paused holder wakes up and tries to record success: nothing changes
    assert not store.finish_run(run_id, at(12), "succeeded", {"created": 9}, {})
    run = store.get_run(run_id)
    assert run is not None and run.status == "interrupted" and run.counts == {}


def test_take_over_names_the_dead_owner(store: StateStore) -> None:
    assert store.try_acquire_lease("handoff", "dead", at(0), 60)
    assert not store.take_over_lease("handoff", "someone-else", "me", at(1), 60)
    assert store.take_over_lease("handoff", "dead", "me", at(1), 60)
    holder = store.lease_holder("handoff", at(2))
    assert holder is not None and holder.owner == "me"


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_process_is_dead_only_for_a_gone_process_of_this_host() -> None:
    host = socket.gethostname()
    assert process_is_dead(f"{host}-{dead_pid()}")
    assert not process_is_dead(f"{host}-{os.getppid()}")  # alive
    assert not process_is_dead(f"{host}-{os.getpid()}")  # ourselves
    assert not process_is_dead(f"other-host-{dead_pid()}")
    assert not process_is_dead("instance-a")


def test_a_same_host_rerun_takes_a_killed_runs_lease_and_closes_its_run(
        world_factory: WorldFactory) -> None:
    world = world_factory(contacts=100)
    ctx = world.ctx()
    now = datetime.now(UTC)
    killed = f"{socket.gethostname()}-{dead_pid()}"
    assert ctx.store.try_acquire_lease("handoff", killed, now, 600)
    run_id = ctx.store.start_run("handoff", now, owner=killed)
    with leased(ctx, "handoff"):
        holder = ctx.store.lease_holder("handoff", datetime.now(UTC))
        assert holder is not None and holder.owner == ctx.owner
        run = ctx.store.get_run(run_id)
        assert run is not None and run.status == "interrupted"
        assert ctx.lease_job == "handoff"
    assert ctx.lease_job is None


def test_a_live_holder_is_never_taken_over(world_factory: WorldFactory) -> None:
    world = world_factory(contacts=100)
    ctx = world.ctx()
    alive = f"{socket.gethostname()}-{os.getppid()}"
    assert ctx.store.try_acquire_lease("handoff", alive, datetime.now(UTC), 600)
    with pytest.raises(FatalError, match="running elsewhere"), leased(ctx, "handoff"):
        pass

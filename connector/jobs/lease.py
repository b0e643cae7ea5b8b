"""Hold a job's lease for a manual run, so a CLI run and a daemon never run a job at once."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from connector.errors import FatalError
from connector.jobs.context import JobContext

T = TypeVar("T")


@contextmanager
def leased(ctx: JobContext, job: str) -> Iterator[None]:
    """Take ``job``'s lease for ``ctx.owner`` (heartbeat on a thread), or refuse to start when
    another instance holds it. A lost lease asks the run to stop after its current batch."""
    from connector.daemon.runner import LeaseKeeper

    ttl = float(ctx.settings.daemon.lease_ttl_seconds)
    store = ctx.store
    if not store.try_acquire_lease(job, ctx.owner, ctx.clock(), ttl) \
            and not _take_over_from_dead_process(ctx, job, ttl):
        holder = store.lease_holder(job, ctx.clock())
        who = f"{holder.owner} until {holder.expires_at:%H:%M:%S}Z" if holder else "another run"
        raise FatalError(f"job {job!r} is running elsewhere ({who}); try again later",
                         code="LEASE_HELD")
    keeper = LeaseKeeper(store, job, ctx.owner, ttl, clock=ctx.clock).start()
    previous, previous_lease = ctx.stop_requested, ctx.lease_job
    ctx.stop_requested = lambda: previous() or keeper.lost.is_set()
    ctx.lease_job = job
    try:
        # runs of a killed holder (no lease any more: we hold it) are closed as interrupted
        store.mark_stale_runs_interrupted(ctx.clock(), job=job)
        yield
    finally:
        ctx.stop_requested, ctx.lease_job = previous, previous_lease
        keeper.stop()
        store.release_lease(job, ctx.owner)


def _take_over_from_dead_process(ctx: JobContext, job: str, ttl: float) -> bool:
    """A same-host rerun may take the lease of a holder whose process is gone (a killed manual
    run), without waiting for the TTL. Owners are ``<host>-<pid>`` (``instance_id``)."""
    holder = ctx.store.lease_holder(job, ctx.clock())
    if holder is None or not process_is_dead(holder.owner):
        return False
    return ctx.store.take_over_lease(job, holder.owner, ctx.owner, ctx.clock(), ttl)


def process_is_dead(owner: str) -> bool:
    """True only if ``owner`` names a process of this host (``<host>-<pid>``) that no longer
    exists; any doubt (another host, a configured instance id, no permission) is False."""
    host, _, pid = owner.rpartition("-")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but not ours to signal
        return False
    return False


def run_leased(ctx: JobContext, job: str, fn: Callable[[], T], *, dry_run: bool = False) -> T:
    """Run ``fn`` under ``job``'s lease; a dry run writes nothing, so it needs no lease."""
    if dry_run:
        return fn()
    with leased(ctx, job):
        return fn()

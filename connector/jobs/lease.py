"""Hold a job's lease for a manual run, so a CLI run and a daemon never run a job at once."""

from __future__ import annotations

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
    if not store.try_acquire_lease(job, ctx.owner, ctx.clock(), ttl):
        holder = store.lease_holder(job, ctx.clock())
        who = f"{holder.owner} until {holder.expires_at:%H:%M:%S}Z" if holder else "another run"
        raise FatalError(f"job {job!r} is running elsewhere ({who}); try again later",
                         code="LEASE_HELD")
    keeper = LeaseKeeper(store, job, ctx.owner, ttl, clock=ctx.clock).start()
    previous = ctx.stop_requested
    ctx.stop_requested = lambda: previous() or keeper.lost.is_set()
    try:
        yield
    finally:
        ctx.stop_requested = previous
        keeper.stop()
        store.release_lease(job, ctx.owner)


def run_leased(ctx: JobContext, job: str, fn: Callable[[], T], *, dry_run: bool = False) -> T:
    """Run ``fn`` under ``job``'s lease; a dry run writes nothing, so it needs no lease."""
    if dry_run:
        return fn()
    with leased(ctx, job):
        return fn()

"""Job leases, the one mechanism the CLI and the daemon share: at most one owner runs a job at
any moment, across processes and machines.

``held`` takes the lease in the store (atomic; ``LeaseHeld`` when another owner holds it),
renews it on a ``LeaseKeeper`` thread every ``ttl/3`` while the block runs (``keeper.lost`` is set
when it cannot: taken over, or the store unreachable for a whole TTL) and releases it after.
``leased`` / ``run_leased`` wrap a manual run: a lost lease asks the run to stop after its
current batch. The daemon's ``JobRunner`` uses ``held`` the same way.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

import structlog

from connector.errors import FatalError
from connector.jobs.context import JobContext, utc_now
from connector.store import Lease, StateStore

T = TypeVar("T")
log = structlog.get_logger("connector.lease")


class LeaseHeld(FatalError):
    """Another owner holds the job's lease (``holder``: who and until when, if still known)."""

    def __init__(self, job: str, holder: Lease | None) -> None:
        who = f"{holder.owner} until {holder.expires_at:%H:%M:%S}Z" if holder else "another run"
        super().__init__(f"job {job!r} is running elsewhere ({who}); try again later",
                         code="LEASE_HELD")
        self.holder = holder


class LeaseKeeper:
    """Renews a held lease every ``ttl/3`` on a thread; sets ``lost`` if it cannot."""

    def __init__(self, store: StateStore, job: str, owner: str, ttl_s: float,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.store, self.job, self.owner, self.ttl_s, self.clock = store, job, owner, ttl_s, clock
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"lease-{job}", daemon=True)

    def start(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.ttl_s)

    def _loop(self) -> None:
        last_ok = time.monotonic()
        while not self._stop.wait(self.ttl_s / 3):
            try:
                renewed = self.store.heartbeat_lease(self.job, self.owner, self.clock(), self.ttl_s)
            except Exception as exc:  # store unreachable: keep trying until the lease runs out
                log.warning("lease heartbeat failed", job=self.job, error=str(exc))
                if time.monotonic() - last_ok < self.ttl_s:
                    continue
                renewed = False
            if not renewed:
                log.error("lease lost: stopping the run after its current batch", job=self.job)
                self.lost.set()
                return
            last_ok = time.monotonic()


@contextmanager
def held(store: StateStore, job: str, owner: str, ttl_s: float,
         clock: Callable[[], datetime] = utc_now, *,
         take_over: Callable[[], bool] | None = None) -> Iterator[LeaseKeeper]:
    """Hold ``job``'s lease for ``owner`` while the block runs (see the module docstring).
    Raises ``LeaseHeld`` before the block when another owner holds it (unless ``take_over``,
    asked then, took it). A failed release is logged, not raised: the lease expires on its own
    within the TTL."""
    now = clock()
    if not store.try_acquire_lease(job, owner, now, ttl_s) and not (take_over and take_over()):
        raise LeaseHeld(job, store.lease_holder(job, now))
    keeper = LeaseKeeper(store, job, owner, ttl_s, clock).start()
    try:
        yield keeper
    finally:
        keeper.stop()
        try:
            store.release_lease(job, owner)
        except Exception as exc:  # it expires on its own within the TTL
            log.warning("could not release the lease", job=job, error=str(exc))


@contextmanager
def leased(ctx: JobContext, job: str) -> Iterator[None]:
    """Take ``job``'s lease for ``ctx.owner`` for a manual run, or refuse to start (``LeaseHeld``)
    when another instance holds it. A lost lease asks the run to stop after its current batch."""
    ttl = float(ctx.settings.daemon.lease_ttl_seconds)
    with held(ctx.store, job, ctx.owner, ttl, ctx.clock,
              take_over=lambda: _take_over_from_dead_process(ctx, job, ttl)) as keeper:
        previous, previous_lease = ctx.stop_requested, ctx.lease_job
        ctx.stop_requested = lambda: previous() or keeper.lost.is_set()
        ctx.lease_job = job
        try:
            # runs of a killed holder (no lease any more: we hold it) are closed as interrupted
            ctx.store.mark_stale_runs_interrupted(ctx.clock(), job=job)
            yield
        finally:
            ctx.stop_requested, ctx.lease_job = previous, previous_lease


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

"""One job run under the job's lease.

    acquire the lease (atomic in the store) ── held elsewhere? skip, say who holds it
       │
    mark the job's stale runs interrupted (their owners no longer hold the lease: we do)
       │
    heartbeat thread every ttl/3 ── lease lost (taken over, or the store unreachable for a whole
       │                             TTL)? ask the job to stop after its current batch
    build a fresh JobContext (re-reads the definition and mappings) and run the job
       │
    stop the heartbeat, release the lease, feed the metrics, log the outcome

An in-process lock per job backs up APScheduler's ``max_instances=1`` for the extra one-off
"takeover" attempts the service schedules, so two threads of one process never run a job at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import structlog

from connector.errors import ConfigError, ConnectorError
from connector.jobs.context import JobContext, utc_now
from connector.jobs.lease import LeaseHeld, LeaseKeeper, held
from connector.settings import Settings
from connector.store import StateStore

from .logging import get_logger
from .metrics import DaemonMetrics

log = get_logger("connector.daemon.runner")


class Job(Protocol):
    def run(self) -> Any: ...


JobFactory = Callable[[JobContext], Job]
ContextBuilder = Callable[..., JobContext]


@dataclass
class RunResult:
    job: str
    status: str
    """succeeded / failed / interrupted / error, or skipped (lease held elsewhere or busy)."""
    run_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0
    holder: str | None = None
    lease_expires_at: datetime | None = None
    error: str | None = None
    lease_lost: bool = False


class JobRunner:
    """Runs jobs by name under their leases; shared by the scheduler's worker threads."""

    def __init__(self, settings: Settings, store: StateStore, *, owner: str,
                 factories: dict[str, JobFactory], metrics: DaemonMetrics,
                 shutdown: threading.Event, build: ContextBuilder | None = None,
                 endpoints: Any = None, clock: Callable[[], datetime] = utc_now) -> None:
        from connector.jobs.context import build_context

        self.settings, self.store, self.owner = settings, store, owner
        self.factories, self.metrics, self.shutdown = factories, metrics, shutdown
        self.build = build or build_context
        self.endpoints, self.clock = endpoints, clock
        from connector.connections import ClientPool

        self.pool = ClientPool(settings, endpoints=endpoints)
        self.ttl_s = float(settings.daemon.lease_ttl_seconds)
        self._locks = {job: threading.Lock() for job in factories}
        self._active: set[str] = set()
        self._active_lock = threading.Lock()

    def active(self) -> set[str]:
        """Jobs running in this process right now."""
        with self._active_lock:
            return set(self._active)

    def run(self, job: str) -> RunResult:
        if self.shutdown.is_set():
            return RunResult(job, "skipped", error="shutting down")
        if not self._locks[job].acquire(blocking=False):
            return RunResult(job, "skipped", holder=self.owner, error="already running here")
        try:
            return self._run_locked(job)
        except Exception as exc:  # the store is unreachable: try again on the next tick
            log.error("could not take or keep the lease", job=job,
                      error=f"{type(exc).__name__}: {exc}")
            self.metrics.observe_run(job, "error", 0.0)
            return RunResult(job, "error", error=f"{type(exc).__name__}: {exc}")
        finally:
            self._locks[job].release()

    def _run_locked(self, job: str) -> RunResult:
        now = self.clock()
        try:
            with held(self.store, job, self.owner, self.ttl_s, self.clock) as keeper:
                with self._active_lock:
                    self._active.add(job)
                try:
                    stale = self.store.mark_stale_runs_interrupted(now, job=job)
                    if stale:
                        log.warning("marked runs of a lost holder interrupted", job=job,
                                    runs=stale)
                    with structlog.contextvars.bound_contextvars(job=job):
                        return self._run_leased(job, keeper)
                finally:
                    with self._active_lock:
                        self._active.discard(job)
        except LeaseHeld as busy:
            lease = busy.holder
            self.metrics.observe_skip(job)
            log.debug("lease held elsewhere: skipping", job=job,
                      holder=lease.owner if lease else None)
            return RunResult(job, "skipped", holder=lease.owner if lease else None,
                             lease_expires_at=lease.expires_at if lease else None)

    def _run_leased(self, job: str, keeper: LeaseKeeper) -> RunResult:
        started = time.monotonic()
        result = RunResult(job, "error")
        ctx: JobContext | None = None
        report: Any = None
        log.info("run starting")
        try:
            ctx = self.build(self.settings, store=self.store, endpoints=self.endpoints,
                             pool=self.pool, job=job,
                             stop_requested=lambda: self.shutdown.is_set() or keeper.lost.is_set(),
                             owner=self.owner, progress=LogProgress(), clock=self.clock)
            ctx.lease_job = job  # fence every push and commit with the lease
            report = self.factories[job](ctx).run()
            result.status = str(getattr(report, "status", "succeeded"))
        except ConfigError as exc:
            result.status, result.error = "failed", str(exc)
            log.error("run refused: invalid definition or mapping",
                      problems=[p.render() for p in exc.problems])
        except ConnectorError as exc:
            result.status, result.error = "failed", f"{type(exc).__name__}: {exc}"
        except Exception as exc:
            result.status, result.error = "error", f"{type(exc).__name__}: {exc}"
            log.exception("run crashed")
        result.duration_s = time.monotonic() - started
        result.lease_lost = keeper.lost.is_set()
        if report is not None:
            result.run_id = getattr(report, "run_id", None)
            result.counts = {k: int(v) for k, v in dict(getattr(report, "counts", {})).items()}
            result.error = result.error or getattr(report, "error", None)
        self.metrics.observe_run(
            job, result.status, result.duration_s, counts=result.counts,
            stats=ctx.stats if ctx else None,
            budget=getattr(ctx.salesforce, "budget", None) if ctx else None)
        event = log.info if result.status == "succeeded" else log.error
        event("run finished", run_id=result.run_id, status=result.status,
              duration_s=round(result.duration_s, 3), counts=result.counts,
              api_calls=ctx.stats.by_system() if ctx else {}, error=result.error,
              stopped_early=bool(result.counts.get("stopped_early")),
              lease_lost=result.lease_lost)
        return result


class LogProgress:
    """Progress sink for unattended runs: notes (e.g. the backfill forecast) become log events."""

    def total(self, contacts: int) -> None:
        log.info("contacts to pull", contacts=contacts)

    def advance(self, **counts: int) -> None:
        pass

    def note(self, message: str) -> None:
        log.info("note", message=message)

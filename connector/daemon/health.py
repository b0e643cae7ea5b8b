"""What ``/healthz`` checks.

Healthy means: the scheduler thread is alive, the state store answers, and every scheduled job
has succeeded within ``health_window_seconds``. "Succeeded" counts a success by ANY instance
(read from the runs table): with several instances the standby ones never run a job while the
active one holds its lease, and they are healthy as long as the job itself is being done. For a
fresh start the window counts from the daemon's start, so a new instance is not failing merely
because nothing has run yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from connector.store import StateStore

from .metrics import DaemonMetrics


class Health:
    def __init__(self, *, store: StateStore, jobs: Mapping[str, str], window_s: float,
                 scheduler_alive: Callable[[], bool], metrics: DaemonMetrics,
                 clock: Callable[[], datetime], started_at: datetime, owner: str,
                 next_runs: Callable[[], Mapping[str, datetime | None]] = dict) -> None:
        self.store, self.jobs, self.window_s = store, dict(jobs), window_s
        self.scheduler_alive, self.metrics, self.clock = scheduler_alive, metrics, clock
        self.started_at, self.owner, self.next_runs = started_at, owner, next_runs

    def __call__(self) -> tuple[bool, dict[str, Any]]:
        now = self.clock()
        failures: list[str] = []
        alive = self.scheduler_alive()
        if not alive:
            failures.append("scheduler is not running")
        try:
            successes = {job: self._last_success(job) for job in self.jobs}
            holders = {lease.job: lease.owner for lease in self.store.active_leases(now)}
            store_ok = True
        except Exception as exc:
            failures.append(f"state store unreachable: {type(exc).__name__}")
            successes = {job: self._local_success(job) for job in self.jobs}
            holders, store_ok = {}, False
        next_runs = self.next_runs()
        jobs: dict[str, Any] = {}
        for job, schedule in self.jobs.items():
            last = successes[job]
            since = (now - (last or self.started_at)).total_seconds()
            ok = since <= self.window_s
            if not ok:
                failures.append(f"{job} has not succeeded for {since:.0f} s "
                                f"(window {self.window_s:.0f} s)")
            nxt = next_runs.get(job)
            jobs[job] = {
                "ok": ok, "schedule": schedule,
                "last_success": last.isoformat() if last else None,
                "seconds_since_success": round(since, 1) if last else None,
                "next_run": nxt.isoformat() if nxt else None,
                "lease_holder": holders.get(job),
            }
        self.metrics.scheduler_running.set(1 if alive else 0)
        return not failures, {
            "instance": self.owner, "scheduler": "running" if alive else "stopped",
            "store": "ok" if store_ok else "unreachable",
            "started_at": self.started_at.isoformat(),
            "window_seconds": self.window_s, "jobs": jobs, "failures": failures,
        }

    def _last_success(self, job: str) -> datetime | None:
        runs = self.store.recent_runs(job, limit=1, status="succeeded")
        found = runs[0].finished_at if runs else None
        local = self._local_success(job)
        candidates = [t for t in (found, local) if t is not None]
        return max(candidates) if candidates else None

    def _local_success(self, job: str) -> datetime | None:
        stamp = self.metrics.last_success_at(job)
        if stamp is None:
            return None
        return datetime.fromtimestamp(stamp, tz=self.started_at.tzinfo)

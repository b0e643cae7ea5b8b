"""The daemon: APScheduler 3.x runs each job on its schedule, under the job's lease.

Scheduling: one ``BackgroundScheduler`` (UTC) with ``coalesce=True`` (a backlog of missed runs
becomes one run), ``max_instances=1`` (a run still going when the next is due makes that one
wait for the next tick), ``misfire_grace_time`` and the trigger's jitter. Each job also runs
once right at start. Across processes the job's lease in the store decides who runs; when an
instance finds the lease held by another, it schedules one extra attempt just after that lease
expires, so a killed holder is replaced within the lease TTL rather than TTL + interval.

Shutdown: the first SIGTERM / SIGINT stops scheduling and asks running jobs to stop after their
current batch (they commit it and move the cursor); the daemon waits up to
``shutdown_timeout_seconds``, releases its leases and exits 0. A second signal exits at once
with 128 + signal number: nothing committed is lost (the ledger and the cursor are per batch),
the lease simply expires, and the next holder marks the run interrupted.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from connector import __version__
from connector.errors import EXIT_FATAL, EXIT_OK, ConfigError, Problem
from connector.jobs.context import instance_id, load_all_rules, utc_now
from connector.settings import Settings
from connector.store import StateStore

from .health import Health
from .http import MetricsServer
from .jobs import available_jobs
from .logging import get_logger
from .metrics import DaemonMetrics
from .runner import ContextBuilder, JobFactory, JobRunner, RunResult
from .schedule import job_schedules

log = get_logger("connector.daemon")
TAKEOVER_DELAY_S = 0.25


class Daemon:
    def __init__(self, settings: Settings, *, factories: Mapping[str, JobFactory] | None = None,
                 endpoints: Any = None, clock: Callable[[], datetime] = utc_now,
                 build: ContextBuilder | None = None) -> None:
        self.settings, self.clock, self.endpoints, self.build = settings, clock, endpoints, build
        self.owner = settings.daemon.instance_id or instance_id()
        self.factories = dict(factories if factories is not None else available_jobs())
        self.schedules = job_schedules(settings, tuple(self.factories))
        self.shutdown = threading.Event()
        self.metrics = DaemonMetrics(owner=self.owner, version=__version__)
        self.metrics.declare_jobs(self.factories)
        self.started_at = clock()
        self.store: StateStore | None = None
        self.runner: JobRunner | None = None
        self.scheduler: BackgroundScheduler | None = None
        self.server: MetricsServer | None = None
        self._signals = 0
        self._takeover_ids = itertools.count(1)
        self._takeover_pending: set[str] = set()
        self._lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------------

    def open(self) -> JobRunner:
        """Open (and migrate) the store, validate the rules, recover from an earlier crash."""
        load_all_rules(self.settings)  # a bad definition or mapping stops the start (exit 2)
        self.store = StateStore.open(self.settings.store.url)
        self._recover(self.store)
        self.runner = JobRunner(self.settings, self.store, owner=self.owner,
                                factories=self.factories, metrics=self.metrics,
                                shutdown=self.shutdown, endpoints=self.endpoints,
                                clock=self.clock, build=self.build)
        self.metrics.watch_leases(lambda: [(lease.job, lease.owner) for lease in
                                           self._store().active_leases(self.clock())])
        log.info("daemon opened", store=self.store.url, jobs=sorted(self.factories),
                 schedules={job: s.text for job, s in self.schedules.items()},
                 lease_ttl_s=self.settings.daemon.lease_ttl_seconds)
        return self.runner

    def run_once(self) -> int:
        """Run every job once (under its lease) and exit: for cron-driven or manual use."""
        runner = self.open()
        self.install_signal_handlers()
        try:
            results = [runner.run(job) for job in self.factories if not self.shutdown.is_set()]
        finally:
            self._store().close()
        failed = [r for r in results if r.status not in ("succeeded", "skipped")]
        return EXIT_FATAL if failed else EXIT_OK

    def start(self) -> None:
        runner = self.open()
        d = self.settings.daemon
        self.server = self._start_server()
        self.scheduler = BackgroundScheduler(
            timezone="UTC",
            executors={"default": ThreadPoolExecutor(max_workers=2 * len(self.factories) + 1)},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": d.misfire_grace_seconds})
        now = self.clock()
        for job, schedule in self.schedules.items():
            self.scheduler.add_job(self._tick, schedule.trigger, args=[job], id=job, name=job,
                                   next_run_time=now)
        self.scheduler.start()
        self.metrics.scheduler_running.set(1)
        log.info("daemon started", metrics_url=self.server.url if self.server else None,
                 active_jobs=sorted(runner.active()))

    def run_forever(self) -> int:
        """Start, serve until SIGTERM / SIGINT, shut down gracefully; the exit code."""
        self.install_signal_handlers()
        self.start()
        while not self.shutdown.wait(0.5):
            if not self.scheduler_alive():  # let systemd / the orchestrator restart us
                log.error("the scheduler died: stopping so the service manager restarts us")
                return max(self.stop(), EXIT_FATAL)
        return self.stop()

    def request_stop(self, reason: str = "requested") -> None:
        if not self.shutdown.is_set():
            log.info("shutdown requested: finishing current batches", reason=reason,
                     running=sorted(self.runner.active()) if self.runner else [])
        self.shutdown.set()

    def stop(self) -> int:
        """Stop scheduling, wait for running jobs (bounded), release leases, close. Exit code."""
        self.shutdown.set()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.metrics.scheduler_running.set(0)
        deadline = time.monotonic() + self.settings.daemon.shutdown_timeout_seconds
        while self.runner and self.runner.active() and time.monotonic() < deadline:
            time.sleep(0.1)
        still = sorted(self.runner.active()) if self.runner else []
        if still:
            log.error("jobs did not stop in time: exiting without waiting", jobs=still,
                      timeout_s=self.settings.daemon.shutdown_timeout_seconds)
            return EXIT_FATAL
        if self.server is not None:
            self.server.stop()
        if self.store is not None:
            for job in self.factories:  # normally already released by each run
                self._release(job)
            self.store.close()
        log.info("daemon stopped cleanly")
        return EXIT_OK

    def install_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._signals += 1
        name = signal.Signals(signum).name
        if self._signals > 1:
            log.warning("second signal: exiting now (committed work is safe)", signal=name)
            os._exit(128 + signum)
        self.request_stop(reason=name)

    # -- scheduling --------------------------------------------------------------------------

    def _tick(self, job: str, takeover: bool = False) -> RunResult | None:
        if takeover:
            with self._lock:
                self._takeover_pending.discard(job)
        if self.shutdown.is_set() or self.runner is None:
            return None
        result = self.runner.run(job)
        if result.status == "skipped" and result.holder not in (None, self.owner):
            self._schedule_takeover(job, result.lease_expires_at)
        return result

    def _schedule_takeover(self, job: str, expires_at: datetime | None) -> None:
        """One extra attempt right after another holder's lease expires (if it dies, we take
        over within the TTL); skipped when the regular schedule comes sooner anyway."""
        if expires_at is None or self.scheduler is None or self.shutdown.is_set():
            return
        when = expires_at + timedelta(seconds=TAKEOVER_DELAY_S)
        regular = self.scheduler.get_job(job)
        if regular is not None and regular.next_run_time is not None \
                and regular.next_run_time <= when:
            return
        with self._lock:
            if job in self._takeover_pending:
                return
            self._takeover_pending.add(job)
        self._safely(lambda: self.scheduler.add_job(  # type: ignore[union-attr]
            self._tick, "date", run_date=when, args=[job, True],
            id=f"{job}:takeover:{next(self._takeover_ids)}", name=f"{job} (takeover)"))

    def next_runs(self) -> dict[str, datetime | None]:
        if self.scheduler is None:
            return {}
        out: dict[str, datetime | None] = {}
        for job in self.factories:
            scheduled = self.scheduler.get_job(job)
            out[job] = scheduled.next_run_time if scheduled is not None else None
        return out

    def scheduler_alive(self) -> bool:
        scheduler = self.scheduler
        thread = getattr(scheduler, "_thread", None)
        return bool(scheduler is not None and scheduler.running and thread is not None
                    and thread.is_alive())

    # -- internals ---------------------------------------------------------------------------

    def _start_server(self) -> MetricsServer | None:
        d = self.settings.daemon
        health = Health(store=self._store(), jobs={j: s.text for j, s in self.schedules.items()},
                        window_s=d.health_window_seconds, scheduler_alive=self.scheduler_alive,
                        metrics=self.metrics, clock=self.clock, started_at=self.started_at,
                        owner=self.owner, next_runs=self.next_runs)
        try:
            server = MetricsServer(d.metrics_host, d.metrics_port,
                                   render_metrics=self.metrics.render, health=health)
        except OSError as exc:
            raise ConfigError([Problem(self.settings.source, "daemon.metrics_port",
                                       f"cannot listen on {d.metrics_host}:{d.metrics_port}: "
                                       f"{exc.strerror}")]) from None
        return server.start()

    def _recover(self, store: StateStore) -> None:
        """Runs left ``running`` by an earlier process with our instance id cannot be alive (we
        are that instance now): mark them interrupted, drop their leases. Then mark runs of
        other owners whose leases have expired."""
        now = self.clock()
        own = [r for r in store.recent_runs(limit=1000, status="running") if r.owner == self.owner]
        for run in own:
            store.finish_run(run.id, now, status="interrupted", counts=run.counts,
                             api_calls=run.api_calls, error="interrupted: the daemon restarted")
            store.release_lease(run.job, self.owner)
        others = store.mark_stale_runs_interrupted(now)
        if own or others:
            log.warning("marked stale runs interrupted", own=len(own), others=others)

    def _release(self, job: str) -> None:
        self._safely(lambda: self._store().release_lease(job, self.owner))

    def _store(self) -> StateStore:
        assert self.store is not None, "Daemon.open() first"
        return self.store

    @staticmethod
    def _safely(action: Callable[[], object]) -> None:
        try:
            action()
        except Exception as exc:
            log.warning("daemon housekeeping failed", error=f"{type(exc).__name__}: {exc}")

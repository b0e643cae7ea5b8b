"""Prometheus metrics of the daemon, in a registry of its own (no process-global state).

After each run the runner calls ``observe_run`` with the run's outcome, its report counts and the
run's ``CallStats``; the lease holder of each job is read from the store at scrape time.

    connector_job_runs_total{job,status}            succeeded / failed / interrupted /
                                                    skipped (lease held elsewhere) / error
    connector_job_run_duration_seconds{job}         histogram of run wall time
    connector_job_records_total{job,outcome}        records by outcome (the report's counts)
    connector_job_last_success_timestamp_seconds{job}
    connector_api_calls_total{system,status}        HTTP status, "0" = no response
    connector_api_retries_total{system}
    connector_api_rate_limit_wait_seconds_total{system}
    connector_salesforce_api_used / _limit / _budget_share   from /limits and Sforce-Limit-Info
    connector_lease_holder{job,owner}               1 for the current holder of each job's lease
    connector_lease_held{job}                       1 if THIS instance holds it
    connector_scheduler_running                     1 while the scheduler thread is alive
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from connector.callstats import CallStats

LeaseReader = Callable[[], Iterable[tuple[str, str]]]
"""Returns (job, owner) of every live lease; may raise (the store is down)."""


class _LeaseCollector(Collector):
    def __init__(self, read: LeaseReader, owner: str, jobs: Callable[[], Iterable[str]]) -> None:
        self.read, self.owner, self.jobs = read, owner, jobs

    def collect(self) -> Iterable[GaugeMetricFamily]:
        holder = GaugeMetricFamily("connector_lease_holder",
                                   "1 for the instance holding each job's lease",
                                   labels=["job", "owner"])
        mine = GaugeMetricFamily("connector_lease_held",
                                 "1 if this instance holds the job's lease", labels=["job"])
        up = GaugeMetricFamily("connector_store_up", "1 if the state store answered the scrape")
        try:
            leases = dict(self.read())
            up.add_metric([], 1)
        except Exception:  # the store is down: say so instead of failing the scrape
            leases = {}
            up.add_metric([], 0)
        for job, owner in sorted(leases.items()):
            holder.add_metric([job, owner], 1)
        for job in self.jobs():
            mine.add_metric([job], 1 if leases.get(job) == self.owner else 0)
        yield holder
        yield mine
        yield up


class DaemonMetrics:
    def __init__(self, *, owner: str, version: str = "") -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.owner = owner
        self._lock = threading.Lock()
        self._jobs: set[str] = set()
        self._last_success: dict[str, float] = {}
        r = self.registry
        self.runs = Counter("connector_job_runs", "Job runs by job and final status",
                            ["job", "status"], registry=r)
        self.duration = Histogram("connector_job_run_duration_seconds", "Wall time of job runs",
                                  ["job"], registry=r,
                                  buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900))
        self.records = Counter("connector_job_records", "Records by job and outcome",
                               ["job", "outcome"], registry=r)
        self.last_success = Gauge("connector_job_last_success_timestamp_seconds",
                                  "Unix time of the job's last successful run here",
                                  ["job"], registry=r)
        self.api_calls = Counter("connector_api_calls", "API calls by system and HTTP status",
                                 ["system", "status"], registry=r)
        self.retries = Counter("connector_api_retries", "Retried API calls by system",
                               ["system"], registry=r)
        self.rate_wait = Counter("connector_api_rate_limit_wait_seconds",
                                 "Seconds spent waiting on rate limits", ["system"], registry=r)
        self.sf_used = Gauge("connector_salesforce_api_used",
                             "Salesforce daily API requests used (org-wide)", registry=r)
        self.sf_limit = Gauge("connector_salesforce_api_limit",
                              "Salesforce daily API request limit", registry=r)
        self.sf_share = Gauge("connector_salesforce_api_budget_share",
                              "Share of the daily Salesforce API limit used (0..1)", registry=r)
        self.scheduler_running = Gauge("connector_scheduler_running",
                                       "1 while the scheduler is alive", registry=r)
        info = Gauge("connector_daemon_info", "Constant 1, labelled with the instance",
                     ["instance", "version"], registry=r)
        info.labels(owner, version).set(1)

    def declare_jobs(self, jobs: Iterable[str]) -> None:
        """Pre-create the series of each scheduled job so dashboards see zeros, not gaps."""
        with self._lock:
            self._jobs.update(jobs)
        for job in jobs:
            for status in ("succeeded", "failed", "interrupted", "skipped", "error"):
                self.runs.labels(job, status)

    def watch_leases(self, read: LeaseReader) -> None:
        self.registry.register(_LeaseCollector(read, self.owner, lambda: sorted(self._jobs)))

    def observe_skip(self, job: str) -> None:
        self.runs.labels(job, "skipped").inc()

    def observe_run(self, job: str, status: str, duration_s: float, *,
                    counts: Mapping[str, int] | None = None, stats: CallStats | None = None,
                    budget: Any = None, finished_at: float | None = None) -> None:
        """Feed one finished run: its status, duration, counts by outcome, calls and budget."""
        self.runs.labels(job, status).inc()
        self.duration.labels(job).observe(max(0.0, duration_s))
        for outcome, value in (counts or {}).items():
            if value > 0:
                self.records.labels(job, outcome).inc(value)
        if stats is not None:
            self._observe_calls(stats)
        if budget is not None:
            self._observe_budget(budget)
        if status == "succeeded":
            when = finished_at if finished_at is not None else time.time()
            with self._lock:
                self._last_success[job] = when
            self.last_success.labels(job).set(when)

    def last_success_at(self, job: str) -> float | None:
        with self._lock:
            return self._last_success.get(job)

    def _observe_calls(self, stats: CallStats) -> None:
        # the run is over: nothing records into these per-run stats any more
        for (system, _endpoint, status), n in dict(stats.calls).items():
            self.api_calls.labels(system, str(status)).inc(n)
        for system, n in dict(stats.retries).items():
            self.retries.labels(system).inc(n)
        for system, seconds in dict(stats.rate_limit_wait_s).items():
            self.rate_wait.labels(system).inc(seconds)

    def _observe_budget(self, budget: Any) -> None:
        used, limit = getattr(budget, "used", None), getattr(budget, "limit", None)
        if used is not None:
            self.sf_used.set(used)
        if limit:
            self.sf_limit.set(limit)
            if used is not None:
                self.sf_share.set(used / limit)

    def render(self) -> bytes:
        return generate_latest(self.registry)

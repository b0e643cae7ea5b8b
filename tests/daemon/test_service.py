"""The scheduler wiring, in-process on a real SQLite store with stand-in jobs (the end-to-end
tests run the real ones): a takeover attempt right after another holder's lease expires, and a
bounded graceful stop when a job does not stop in time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from connector.daemon.service import Daemon
from connector.errors import EXIT_FATAL, EXIT_OK
from connector.settings import DaemonSettings, Settings
from connector.store import StateStore
from tests.fixtures.sandbox import ROOT

from .helpers import now, runs_of, wait_for
from .test_runner import BatchJob, _build


def _settings(tmp_path: Path, **daemon: Any) -> Settings:
    base = Settings(base_dir=str(ROOT)).with_store(f"sqlite:///{tmp_path / 'state.db'}")
    return replace(base, daemon=DaemonSettings(metrics_port=0, jitter_seconds=0, **daemon))


def _daemon(settings: Settings, job: Callable[[Any], Any]) -> Daemon:
    return Daemon(settings, factories={"handoff": job}, build=_build)


def test_takes_over_right_after_a_dead_holders_lease_expires(tmp_path: Path) -> None:
    settings = _settings(tmp_path, handoff_schedule="interval:1h", lease_ttl_seconds=3,
                         instance_id="standby")
    with StateStore.open(settings.store.url) as store:
        assert store.try_acquire_lease("handoff", "dead-holder", now(), 3)  # never renewed
        expires = store.lease_holder("handoff", now()).expires_at  # type: ignore[union-attr]
    daemon = _daemon(settings, lambda ctx: BatchJob(ctx, 1, 0))
    daemon.start()
    try:
        assert daemon.store is not None
        (run,) = wait_for("the takeover run", lambda: runs_of(daemon.store), 20)  # type: ignore[arg-type]
        late = (run.started_at - expires).total_seconds()
        assert run.owner == "standby" and 0 <= late < 2.0, late  # not an hour later
    finally:
        assert daemon.stop() == EXIT_OK


def test_stop_is_bounded_when_a_job_does_not_stop(tmp_path: Path) -> None:
    settings = _settings(tmp_path, handoff_schedule="interval:1h", shutdown_timeout_seconds=1,
                         lease_ttl_seconds=10)
    release = threading.Event()

    class Stubborn(BatchJob):
        def run(self) -> Any:
            self.started.set()  # type: ignore[union-attr]
            release.wait(30)  # ignores stop_requested: e.g. blocked in a slow HTTP call

    started = threading.Event()
    daemon = _daemon(settings, lambda ctx: Stubborn(ctx, 1, 0, started))
    daemon.start()
    try:
        assert started.wait(20)
        began = time.monotonic()
        assert daemon.stop() == EXIT_FATAL
        assert time.monotonic() - began < 5
    finally:
        release.set()

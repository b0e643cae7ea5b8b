"""A contender for a job lease, run in threads or in separate processes by test_concurrency.

It loops until a deadline: try to take the lease; when it gets it, it checks it is the only
holder (a shared counter, under a shared lock), works a little, heartbeats, steps down and
releases. Any moment with two holders is counted as a violation.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, Protocol

from connector.store import StateStore

JOB = "handoff"
TTL_S = 60.0  # far longer than the test: holders lose the lease only by releasing it


class Counter(Protocol):
    value: int


def contend(
    store: StateStore,
    owner: str,
    seconds: float,
    holders: Counter,
    violations: Counter,
    lock: Any,
) -> int:
    """Contend for ``seconds``; returns how many times this owner held the lease."""
    held = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not store.try_acquire_lease(JOB, owner, datetime.now(UTC), TTL_S):
            time.sleep(0.001)
            continue
        held += 1
        with lock:
            holders.value += 1
            if holders.value > 1:
                violations.value += 1
        time.sleep(0.002)
        if not store.heartbeat_lease(JOB, owner, datetime.now(UTC), TTL_S):
            with lock:
                violations.value += 1
        with lock:  # step down before releasing, so the next holder never overlaps us
            holders.value -= 1
        store.release_lease(JOB, owner)
    return held


def contend_in_process(
    url: str, owner: str, seconds: float, holders: Any, violations: Any, lock: Any, results: Any
) -> None:
    """Entry point of a spawned process: its own store, the shared counters, a result queue."""
    with StateStore.open(url, migrate=False) as store:
        results.put((owner, contend(store, owner, seconds, holders, violations, lock)))

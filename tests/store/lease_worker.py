"""A contender for a job lease, run in threads or in separate processes by test_concurrency.

It loops until it has held the lease a number of times: try to take it; when it gets it, check
it is the only holder (a shared counter, under a shared lock), work a little, heartbeat, step
down and release. Any moment with two holders is counted as a violation.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, Protocol

from connector.store import StateStore

JOB = "handoff"
TTL_S = 120.0  # longer than the test: holders lose the lease only by releasing it
GIVE_UP_S = 60.0


class Counter(Protocol):
    value: int


def contend(
    store: StateStore,
    owner: str,
    rounds: int,
    holders: Counter,
    violations: Counter,
    lock: Any,
    start: Any,
) -> tuple[int, int]:
    """Contend until this owner held the lease ``rounds`` times (or ``GIVE_UP_S`` passed);
    returns (times held, attempts refused)."""
    held = refused = 0
    start.wait()  # a barrier: every contender begins together, whatever its start-up time
    deadline = time.monotonic() + GIVE_UP_S
    while held < rounds and time.monotonic() < deadline:
        if not store.try_acquire_lease(JOB, owner, datetime.now(UTC), TTL_S):
            refused += 1
            time.sleep(0.001)
            continue
        held += 1
        with lock:
            holders.value += 1
            if holders.value > 1:
                violations.value += 1
        time.sleep(0.02)  # hold long enough that contenders scheduled late still meet a holder
        if not store.heartbeat_lease(JOB, owner, datetime.now(UTC), TTL_S):
            with lock:
                violations.value += 1
        with lock:  # step down before releasing, so the next holder never overlaps us
            holders.value -= 1
        store.release_lease(JOB, owner)
    return held, refused


def contend_in_process(
    url: str,
    owner: str,
    rounds: int,
    shared: tuple[Any, Any, Any, Any],
    results: Any,
) -> None:
    """Entry point of a spawned process: its own store; ``shared`` is (holders, violations,
    lock, start barrier); the outcome goes to the ``results`` queue."""
    with StateStore.open(url, migrate=False) as store:
        results.put((owner, contend(store, owner, rounds, *shared)))

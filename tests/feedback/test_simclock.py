"""SimClock: real time flows, jumps move it ahead, it never goes back, threads share it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from connector_sandbox.simclock import SimClock

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class FakeMonotonic:
    def __init__(self) -> None:
        self.value = 100.0

    def __call__(self) -> float:
        return self.value


def test_real_time_flows_on_top_of_jumps() -> None:
    mono = FakeMonotonic()
    clock = SimClock(T0, monotonic=mono)
    assert clock() == T0
    mono.value += 2.5
    assert clock.now() == T0 + timedelta(seconds=2.5)
    assert clock.advance(days=3) == T0 + timedelta(days=3, seconds=2.5)
    assert clock.advance(timedelta(hours=1), minutes=30) == T0 + timedelta(
        days=3, hours=1, minutes=30, seconds=2.5)


def test_frozen_clock_moves_only_when_told() -> None:
    mono = FakeMonotonic()
    clock = SimClock(T0, frozen=True, monotonic=mono)
    mono.value += 60
    assert clock() == T0
    assert clock.set(T0 + timedelta(hours=5)) == T0 + timedelta(hours=5)


def test_never_backwards() -> None:
    clock = SimClock(T0, frozen=True)
    clock.advance(days=1)
    with pytest.raises(ValueError):
        clock.set(T0)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))
    assert clock.set(T0 + timedelta(days=1)) == T0 + timedelta(days=1)  # same moment: no-op


def test_needs_aware_datetimes() -> None:
    with pytest.raises(ValueError):
        SimClock(datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        SimClock(T0).set(datetime(2027, 1, 1))


def test_thread_safe_and_monotonic_across_threads() -> None:
    clock = SimClock(T0)
    seen: list[datetime] = []
    lock = threading.Lock()

    def read() -> None:
        last = clock()
        for _ in range(2_000):
            now = clock()
            assert now >= last
            last = now
        with lock:
            seen.append(last)

    def jump() -> None:
        for _ in range(200):
            clock.advance(seconds=1)

    threads = [threading.Thread(target=read) for _ in range(3)] + [threading.Thread(target=jump)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert clock() >= T0 + timedelta(seconds=200)
    assert len(seen) == 3

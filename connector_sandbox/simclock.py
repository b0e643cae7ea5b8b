"""A simulated clock for the sandbox: real time flows, and tests or the demo can jump ahead.

    clock = SimClock(datetime(2026, 11, 2, 9, tzinfo=UTC))
    sandbox = start_sandbox(workdir, clock=clock)   # both simulators stamp records with it
    ctx = build_context(settings, endpoints=sandbox.endpoints, clock=clock)
    clock.advance(days=3)                           # three days later, instantly

``now()`` is the start moment plus the real time elapsed since then plus every jump made with
``advance`` / ``set``. Letting real time flow matters: the simulators' rate-limit windows and
session expiry are measured on this clock, and a frozen clock would never refill a window.
``frozen=True`` gives a clock that moves only when told (for tests that compare timestamps).

The clock never moves backwards: ``set`` to an earlier moment raises ``ValueError``. Safe to share
between threads (the simulators' server threads read it while the sales team advances it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SimClock:
    """A monotonic, thread-safe, jumpable UTC clock; call it (or ``now()``) for the time."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        frozen: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        start = start or datetime.now(UTC)
        if start.tzinfo is None:
            raise ValueError("SimClock needs an aware datetime (UTC)")
        self._lock = threading.Lock()
        self._monotonic = monotonic
        self._frozen = frozen
        self._base = start.astimezone(UTC)
        self._anchor = monotonic()
        self._last = self._base

    @property
    def frozen(self) -> bool:
        return self._frozen

    def now(self) -> datetime:
        """The simulated time (aware UTC), never earlier than any time returned before."""
        with self._lock:
            return self._now_locked()

    __call__ = now

    def advance(self, delta: timedelta | None = None, *, days: float = 0.0, hours: float = 0.0,
                minutes: float = 0.0, seconds: float = 0.0) -> datetime:
        """Jump ahead by ``delta`` (and/or the keyword amounts); returns the new time."""
        step = (delta or timedelta()) + timedelta(days=days, hours=hours, minutes=minutes,
                                                  seconds=seconds)
        if step < timedelta():
            raise ValueError(f"a clock only moves forward, not by {step}")
        with self._lock:
            self._base += step
            return self._now_locked()

    def set(self, moment: datetime) -> datetime:
        """Jump to ``moment`` (aware); moving backwards raises ``ValueError``. Setting the
        current time again (or a moment already passed by less than a millisecond) is a no-op."""
        if moment.tzinfo is None:
            raise ValueError("SimClock.set needs an aware datetime (UTC)")
        with self._lock:
            current = self._now_locked()
            target = moment.astimezone(UTC)
            if target < current - timedelta(milliseconds=1):
                raise ValueError(f"a clock only moves forward: {target} is before {current}")
            if target > current:
                self._base += target - current
            return self._now_locked()

    def _now_locked(self) -> datetime:
        moment = self._base
        if not self._frozen:
            moment += timedelta(seconds=self._monotonic() - self._anchor)
        self._last = max(self._last, moment)
        return self._last

    def __repr__(self) -> str:
        return f"SimClock({self.now().isoformat()}, frozen={self._frozen})"

"""One retry and rate-limit policy for both systems.

``RetryPolicy.call(fn)`` retries ``RetriableError`` (what the clients translate 429, 5xx,
timeouts, dropped connections and ``UNABLE_TO_LOCK_ROW`` into) with exponential backoff and full
jitter, honouring the server's ``retry_after`` hint, for a bounded number of attempts. Anything
else propagates at once. ``SlidingWindowLimiter`` keeps a client under a "N calls per T seconds"
budget so that 429s are rare rather than routine; the HubSpot client feeds it the
``X-HubSpot-RateLimit-*`` headers it sees.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import tenacity

from connector.errors import RetriableError

T = TypeVar("T")

RetryObserver = Callable[[RetriableError, float, int], None]
"""Called before each sleep with (error, seconds to wait, attempt number)."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    max_retry_after_s: float = 120.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def delay_for(self, error: BaseException | None, attempt: int) -> float:
        """Seconds to wait before attempt ``attempt + 1``: the server's hint if it gave one,
        else exponential backoff with full jitter (AWS-style), capped."""
        hint = getattr(error, "retry_after", None)
        if hint is not None and hint >= 0:
            return float(min(hint, self.max_retry_after_s))
        ceiling = min(self.max_delay_s, self.base_delay_s * (2 ** (attempt - 1)))
        return self.rng.uniform(ceiling / 2, ceiling)

    def call(self, fn: Callable[[], T], *, on_retry: RetryObserver | None = None) -> T:
        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            seconds = self.delay_for(error, state.attempt_number)
            if on_retry is not None and isinstance(error, RetriableError):
                on_retry(error, seconds, state.attempt_number)
            return seconds

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(RetriableError),
            stop=tenacity.stop_after_attempt(max(1, self.max_attempts)),
            wait=wait,
            sleep=self.sleep,
            reraise=True,
        )
        return retrying(fn)


class SlidingWindowLimiter:
    """At most ``limit`` acquisitions in any ``window_s`` seconds (thread-safe).

    ``acquire()`` blocks (through the injected ``sleep``) until a slot is free and returns the
    seconds it waited. ``pause(seconds)`` makes everyone wait, e.g. after a 429 or when the
    server reports that almost nothing remains of its window.
    """

    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be >= 1 and window_s > 0")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._sleep = sleep
        self._stamps: deque[float] = deque()
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def _wait_needed(self, now: float) -> float:
        while self._stamps and now - self._stamps[0] >= self.window_s:
            self._stamps.popleft()
        wait = max(0.0, self._paused_until - now)
        if len(self._stamps) >= self.limit:
            wait = max(wait, self._stamps[0] + self.window_s - now)
        return wait

    def acquire(self) -> float:
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                wait = self._wait_needed(now)
                if wait <= 0:
                    self._stamps.append(now)
                    return waited
            self._sleep(wait)
            waited += wait

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)

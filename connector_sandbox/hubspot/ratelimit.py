"""HubSpot's API limits (facts sheet A7), per simulated private app and account.

- burst: ``burst_max`` requests per rolling 10 s (100 free/starter, 190 pro/enterprise);
  429 ``policyName: TEN_SECONDLY_ROLLING``. Search calls do not count here.
- search: ``search_per_second`` per rolling second; 429 ``policyName: SECONDLY``.
- daily: ``daily_max`` per UTC day, search included; 429 ``policyName: DAILY`` until midnight.

Non-search responses carry ``X-HubSpot-RateLimit-*`` headers (the 10-second window, the daily
budget, and the older per-second pair ``-Secondly`` / ``-Secondly-Remaining``, a tenth of the
10-second budget; only the 10-second window refuses calls); search responses carry none.
Refused calls do not use up budget. With ``rate_limits=False`` nothing is refused and the
headers report a full budget.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import BURST_INTERVAL_MS, HubSpotSimConfig
from .timefmt import DAY_MS


@dataclass(frozen=True)
class LimitDecision:
    allowed: bool
    policy: str | None = None
    retry_after_s: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


class RateLimiter:
    def __init__(self, config: Callable[[], HubSpotSimConfig], now_ms: Callable[[], int]) -> None:
        self._config = config
        self._now_ms = now_ms
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._burst: deque[int] = deque()
            self._second: deque[int] = deque()  # non-search calls of the last second
            self._search: deque[int] = deque()
            self._day = -1
            self._daily_used = 0

    def check(self, search: bool) -> LimitDecision:
        """Admit (and count) one call, or say which policy refuses it."""
        cfg = self._config()
        now = self._now_ms()
        with self._lock:
            if now // DAY_MS != self._day:
                self._day, self._daily_used = now // DAY_MS, 0
            _expire(self._burst, now - BURST_INTERVAL_MS)
            _expire(self._search, now - 1000)
            _expire(self._second, now - 1000)
            if cfg.rate_limits:
                refusal = self._refusal(cfg, now, search)
                if refusal is not None:
                    return refusal
            self._daily_used += 1
            if search:
                self._search.append(now)
                return LimitDecision(True)
            self._burst.append(now)
            self._second.append(now)
            return LimitDecision(True, headers=self._headers(cfg))

    def _refusal(self, cfg: HubSpotSimConfig, now: int, search: bool) -> LimitDecision | None:
        if self._daily_used >= cfg.daily_max:
            wait = (self._day + 1) * DAY_MS - now
            return self._refuse("DAILY", wait, cfg, search)
        if search and len(self._search) >= cfg.search_per_second:
            return self._refuse("SECONDLY", self._search[0] + 1000 - now, cfg, search)
        if not search and len(self._burst) >= cfg.burst_max:
            wait = self._burst[0] + BURST_INTERVAL_MS - now
            return self._refuse("TEN_SECONDLY_ROLLING", wait, cfg, search)
        return None

    def _refuse(self, policy: str, wait_ms: int, cfg: HubSpotSimConfig,
                search: bool) -> LimitDecision:
        retry = max(1, math.ceil(wait_ms / 1000))
        return LimitDecision(False, policy, retry, {} if search else self._headers(cfg))

    def _headers(self, cfg: HubSpotSimConfig) -> dict[str, str]:
        secondly = max(1, cfg.burst_max // 10)
        burst_left = cfg.burst_max - len(self._burst)
        second_left = secondly - len(self._second)
        daily_left = cfg.daily_max - self._daily_used
        if not cfg.rate_limits:
            burst_left, second_left, daily_left = cfg.burst_max, secondly, cfg.daily_max
        return {
            "X-HubSpot-RateLimit-Max": str(cfg.burst_max),
            "X-HubSpot-RateLimit-Remaining": str(max(0, burst_left)),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(BURST_INTERVAL_MS),
            "X-HubSpot-RateLimit-Secondly": str(secondly),
            "X-HubSpot-RateLimit-Secondly-Remaining": str(max(0, second_left)),
            "X-HubSpot-RateLimit-Daily": str(cfg.daily_max),
            "X-HubSpot-RateLimit-Daily-Remaining": str(max(0, daily_left)),
        }

    def peek_headers(self) -> dict[str, str]:
        """The current headers without counting a call (for injected error responses)."""
        with self._lock:
            return self._headers(self._config())


def _expire(window: deque[int], before: int) -> None:
    while window and window[0] <= before:
        window.popleft()

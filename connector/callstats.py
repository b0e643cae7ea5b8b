"""Thread-safe counters of API calls, retries and rate-limit waits, by system and endpoint.

Both clients record here; the jobs copy a snapshot into the run record, and the daemon exports
the same figures as Prometheus metrics.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class CallStats:
    calls: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    """(system, endpoint, status) -> count; status 0 = no HTTP response (transport failure)."""
    retries: Counter[str] = field(default_factory=Counter)
    rate_limit_wait_s: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, system: str, endpoint: str, status: int) -> None:
        with self._lock:
            self.calls[(system, endpoint, status)] += 1

    def record_retry(self, system: str) -> None:
        with self._lock:
            self.retries[system] += 1

    def record_wait(self, system: str, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self.rate_limit_wait_s[system] = self.rate_limit_wait_s.get(system, 0.0) + seconds

    def total(self, system: str | None = None) -> int:
        with self._lock:
            return sum(n for (s, _, _), n in self.calls.items() if system in (None, s))

    def by_system(self) -> dict[str, int]:
        with self._lock:
            return self._systems()

    def by_endpoint(self, system: str) -> dict[str, int]:
        out: Counter[str] = Counter()
        with self._lock:
            for (s, endpoint, _), n in self.calls.items():
                if s == system:
                    out[endpoint] += n
        return dict(out)

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {
                "by_system": self._systems(),
                "calls": {f"{s} {e} {st}": n for (s, e, st), n in self.calls.items()},
                "retries": dict(self.retries),
                "rate_limit_wait_s": {k: round(v, 3) for k, v in self.rate_limit_wait_s.items()},
            }

    def _systems(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for (system, _, _), n in self.calls.items():
            out[system] += n
        return dict(out)

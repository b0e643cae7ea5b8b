"""The org's daily API request allowance, ``/limits`` and the ``Sforce-Limit-Info`` header.

Every authenticated REST call under ``/services/data/vXX.X/`` counts (logins do not). The window
is the UTC day of the simulator's clock: usage starts again at 0 when the day changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from .config import RuntimeSettings

LIMIT_EXCEEDED = [{"message": "TotalRequests Limit exceeded.",
                   "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
_FIXED_LIMITS = {
    "ConcurrentAsyncGetReportInstances": 200, "ConcurrentSyncReportRuns": 20,
    "DailyAsyncApexExecutions": 250_000, "DailyBulkApiBatches": 15_000,
    "DailyBulkV2QueryFileStorageMB": 976_562, "DailyBulkV2QueryJobs": 10_000,
    "FileStorageMB": 1_024, "HourlyDashboardRefreshes": 200, "HourlyODataCallout": 10_000,
    "MassEmail": 5_000, "SingleEmail": 5_000, "StreamingApiConcurrentClients": 2_000,
}


class ApiUsage:
    def __init__(self, clock: Callable[[], datetime], settings: RuntimeSettings) -> None:
        self.clock = clock
        self.settings = settings
        self._lock = threading.Lock()
        self._used = 0
        self._day: date | None = None

    def _roll(self) -> None:
        today = self.clock().date()
        if today != self._day:
            self._day, self._used = today, 0

    def try_consume(self) -> bool:
        """Count one call; False (and nothing counted) when the allowance is spent."""
        with self._lock:
            self._roll()
            if self._used >= self.settings.daily_api_limit:
                return False
            self._used += 1
            return True

    def used(self) -> int:
        """Calls counted in the current UTC day of the simulator's clock."""
        with self._lock:
            self._roll()
            return self._used

    def header(self) -> str:
        return f"api-usage={self.used()}/{self.settings.daily_api_limit}"

    def reset(self) -> None:
        with self._lock:
            self._used, self._day = 0, None

    def limits(self, records: int) -> dict[str, Any]:
        cap = self.settings.daily_api_limit
        body: dict[str, Any] = {
            "DailyApiRequests": {"Max": cap, "Remaining": max(0, cap - self.used())},
            "DataStorageMB": {"Max": 1_024, "Remaining": max(0, 1_024 - records * 2 // 1_024)},
        }
        for name, cap_value in _FIXED_LIMITS.items():
            body[name] = {"Max": cap_value, "Remaining": cap_value}
        return dict(sorted(body.items()))

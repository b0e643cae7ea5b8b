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
# Every other limit a Developer Edition org lists (Max; Remaining = Max, nothing is consumed)
_FIXED_LIMITS = {
    "ActiveScratchOrgs": 3, "AnalyticsExternalDataSizeMB": 40_960,
    "ConcurrentAsyncGetReportInstances": 200, "ConcurrentEinsteinDataInsightsStoryCreation": 5,
    "ConcurrentEinsteinDiscoveryStoryCreation": 2, "ConcurrentSyncReportRuns": 20,
    "DailyAnalyticsDataflowJobExecutions": 60, "DailyAnalyticsUploadedFilesSizeMB": 51_200,
    "DailyAsyncApexExecutions": 250_000, "DailyAsyncApexTests": 500,
    "DailyBulkApiBatches": 15_000, "DailyBulkV2QueryFileStorageMB": 976_562,
    "DailyBulkV2QueryJobs": 10_000, "DailyDeliveredPlatformEvents": 10_000,
    "DailyDurableGenericStreamingApiEvents": 10_000, "DailyDurableStreamingApiEvents": 10_000,
    "DailyEinsteinDataInsightsStoryCreation": 1_000,
    "DailyEinsteinDiscoveryPredictAPICalls": 50_000,
    "DailyEinsteinDiscoveryPredictionsByCDC": 5_000_000,
    "DailyEinsteinDiscoveryStoryCreation": 100, "DailyFunctionsApiCallLimit": 235_000,
    "DailyGenericStreamingApiEvents": 10_000, "DailyScratchOrgs": 6,
    "DailyStandardVolumePlatformEvents": 10_000, "DailyStreamingApiEvents": 10_000,
    "DailyWorkflowEmails": 15, "DurableStreamingApiConcurrentClients": 20,
    "FileStorageMB": 20, "HourlyAsyncReportRuns": 1_200, "HourlyDashboardRefreshes": 200,
    "HourlyDashboardResults": 5_000, "HourlyDashboardStatuses": 999_999_999,
    "HourlyLongTermIdMapping": 100_000, "HourlyManagedContentPublicRequests": 50_000,
    "HourlyODataCallout": 1_000, "HourlyPublishedPlatformEvents": 50_000,
    "HourlyPublishedStandardVolumePlatformEvents": 1_000, "HourlyShortTermIdMapping": 100_000,
    "HourlySyncReportRuns": 500, "HourlyTimeBasedWorkflow": 50, "MassEmail": 10,
    "MonthlyEinsteinDiscoveryStoryCreation": 500, "MonthlyPlatformEventsUsageEntitlement": 0,
    "Package2VersionCreates": 6, "Package2VersionCreatesWithoutValidation": 500,
    "PrivateConnectOutboundCalloutHourlyLimitMB": 0, "PublishCallbackUsageInApex": 5_000_000,
    "SingleEmail": 15, "StreamingApiConcurrentClients": 20,
}
DATA_STORAGE_MB = 5
"""A Developer Edition org's data storage; each record counts 2 KB, as Salesforce counts."""


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
            "DataStorageMB": {"Max": DATA_STORAGE_MB,
                              "Remaining": max(0, DATA_STORAGE_MB - records * 2 // 1_024)},
            "PermissionSets": {"Max": 1_500, "Remaining": 1_500,
                               "CreateCustom": {"Max": 1_000, "Remaining": 1_000}},
        }
        for name, cap_value in _FIXED_LIMITS.items():
            body[name] = {"Max": cap_value, "Remaining": cap_value}
        return dict(sorted(body.items()))

"""The daily API allowance: /limits, Sforce-Limit-Info on every response, 403 once spent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from simple_salesforce.exceptions import SalesforceRefusedRequest

from .helpers import Client, SfSandbox, content


def test_limits_and_the_usage_header(sfx: SfSandbox, sf: Client) -> None:
    limits = sf.limits()
    assert limits["DailyApiRequests"] == {"Max": 100_000, "Remaining": 99_999}
    assert {"DataStorageMB", "DailyBulkApiBatches"} <= set(limits)
    sf.query("SELECT Id FROM Lead")
    assert sf.api_usage["api-usage"].used == 2
    assert sf.api_usage["api-usage"].total == 100_000
    leads = sf.Lead  # each attribute access makes a new SFType with its own api_usage
    lead = leads.create({"LastName": "Counted", "Company": "C"})
    assert leads.api_usage["api-usage"].used == 3
    assert sf.restful("limits")["DailyApiRequests"]["Remaining"] == 100_000 - 4
    response = sf.session.get(f"{sf.base_url}sobjects/Lead/{lead['id']}", headers=sf.headers)
    assert response.headers["Sforce-Limit-Info"] == "api-usage=5/100000"


# the limits a Developer Edition org lists (API v59+), each with Max and Remaining
DEVELOPER_ORG_LIMITS = {
    "ActiveScratchOrgs", "AnalyticsExternalDataSizeMB", "ConcurrentAsyncGetReportInstances",
    "ConcurrentEinsteinDataInsightsStoryCreation", "ConcurrentEinsteinDiscoveryStoryCreation",
    "ConcurrentSyncReportRuns", "DailyAnalyticsDataflowJobExecutions",
    "DailyAnalyticsUploadedFilesSizeMB", "DailyApiRequests", "DailyAsyncApexExecutions",
    "DailyAsyncApexTests", "DailyBulkApiBatches", "DailyBulkV2QueryFileStorageMB",
    "DailyBulkV2QueryJobs", "DailyDeliveredPlatformEvents",
    "DailyDurableGenericStreamingApiEvents", "DailyDurableStreamingApiEvents",
    "DailyEinsteinDataInsightsStoryCreation", "DailyEinsteinDiscoveryPredictAPICalls",
    "DailyEinsteinDiscoveryPredictionsByCDC", "DailyEinsteinDiscoveryStoryCreation",
    "DailyFunctionsApiCallLimit", "DailyGenericStreamingApiEvents", "DailyScratchOrgs",
    "DailyStandardVolumePlatformEvents", "DailyStreamingApiEvents", "DailyWorkflowEmails",
    "DataStorageMB", "DurableStreamingApiConcurrentClients", "FileStorageMB",
    "HourlyAsyncReportRuns", "HourlyDashboardRefreshes", "HourlyDashboardResults",
    "HourlyDashboardStatuses", "HourlyLongTermIdMapping", "HourlyManagedContentPublicRequests",
    "HourlyODataCallout", "HourlyPublishedPlatformEvents",
    "HourlyPublishedStandardVolumePlatformEvents", "HourlyShortTermIdMapping",
    "HourlySyncReportRuns", "HourlyTimeBasedWorkflow", "MassEmail",
    "MonthlyEinsteinDiscoveryStoryCreation", "MonthlyPlatformEventsUsageEntitlement",
    "Package2VersionCreates", "Package2VersionCreatesWithoutValidation", "PermissionSets",
    "PrivateConnectOutboundCalloutHourlyLimitMB", "PublishCallbackUsageInApex", "SingleEmail",
    "StreamingApiConcurrentClients"}


def test_limits_list_the_full_key_set_of_a_developer_org(sfx: SfSandbox, sf: Client) -> None:
    limits = sf.limits()
    assert set(limits) == DEVELOPER_ORG_LIMITS
    assert list(limits) == sorted(limits)
    for name, value in limits.items():
        assert isinstance(value["Max"], int) and isinstance(value["Remaining"], int), name
        assert 0 <= value["Remaining"] <= value["Max"], name
    assert limits["DataStorageMB"]["Max"] == 5 and limits["FileStorageMB"]["Max"] == 20
    assert limits["PermissionSets"]["CreateCustom"] == {"Max": 1000, "Remaining": 1000}


def test_logins_and_versions_are_not_counted(sfx: SfSandbox) -> None:
    sf = sfx.jwt_client()
    with sfx.admin() as http:
        http.get("/services/data/")
    sf.restful("")  # the resource list of a version
    assert sfx.sim.usage.used() == 0
    sf.query("SELECT Id FROM Lead")
    assert sfx.sim.usage.used() == 1


def test_the_daily_cap_refuses_with_request_limit_exceeded(sfx: SfSandbox,
                                                          sf: Client) -> None:
    sfx.sim.settings.daily_api_limit = 3
    for _ in range(3):
        sf.query("SELECT Id FROM Lead")
    with pytest.raises(SalesforceRefusedRequest) as refused:
        sf.query("SELECT Id FROM Lead")
    assert refused.value.status == 403
    assert content(refused.value) == [{"message": "TotalRequests Limit exceeded.",
                                      "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
    with pytest.raises(SalesforceRefusedRequest):
        sf.restful("composite/sobjects/Lead/HubSpot_Contact_Id__c", method="PATCH",
                   json={"records": []})
    assert sfx.sim.usage.used() == 3  # refused calls do not count


def test_the_allowance_starts_again_on_a_new_day(sf_factory: Callable[..., SfSandbox]) -> None:
    now = [datetime(2026, 11, 2, 23, 0, tzinfo=UTC)]
    box = sf_factory(clock=lambda: now[0], daily_api_limit=2, session_ttl_s=86_400.0)
    sf = box.direct()
    sf.limits()
    sf.limits()
    with pytest.raises(SalesforceRefusedRequest):
        sf.limits()
    now[0] += timedelta(hours=2)
    assert sf.limits()["DailyApiRequests"] == {"Max": 2, "Remaining": 1}

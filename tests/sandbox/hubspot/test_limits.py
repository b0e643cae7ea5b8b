"""Auth and rate limits: 401 INVALID_AUTHENTICATION, 429 RATE_LIMIT with ``policyName`` and
``Retry-After``, ``X-HubSpot-RateLimit-*`` headers, the daily cap. A hand-driven clock makes
the windows deterministic."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from hubspot import HubSpot
from hubspot.crm.contacts import ApiException
from hubspot.crm.contacts.exceptions import UnauthorizedException
from urllib3.util.retry import Retry

from .conftest import Portal
from .helpers import Clock, body_of, search

HEADERS = ("X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Remaining",
           "X-HubSpot-RateLimit-Interval-Milliseconds", "X-HubSpot-RateLimit-Daily",
           "X-HubSpot-RateLimit-Daily-Remaining")


@pytest.fixture
def clock(portal: Portal) -> Clock:
    """Limits on, a hand-driven clock, and GETs without urllib3's own Retry-After sleeps
    (the SDK's default ``Retry(3)`` would otherwise wait and retry a 429 GET by itself)."""
    clk = Clock(datetime(2026, 11, 20, 23, 58, 0, tzinfo=UTC))
    portal.configure(clock=clk, rate_limits=True)
    no_retry = Retry(total=0, respect_retry_after_header=False, raise_on_status=False)
    hs = HubSpot(access_token=portal.sim.config.token, host=portal.url, retry=no_retry)
    portal.basic_api = hs.crm.contacts.basic_api
    return clk


def test_bad_or_missing_token_is_401(portal: Portal) -> None:
    wrong = HubSpot(access_token="pat-na1-wrong", host=portal.url)
    with pytest.raises(UnauthorizedException) as err:
        wrong.crm.contacts.basic_api.get_page(limit=1)
    assert err.value.status == 401
    body = body_of(err.value)
    assert body["category"] == "INVALID_AUTHENTICATION" and body["status"] == "error"
    assert body["correlationId"]
    response = portal.admin.post("/crm/v3/objects/contacts/search", json={})
    assert response.status_code == 401
    assert response.json()["category"] == "INVALID_AUTHENTICATION"


def test_headers_on_calls_other_than_search(portal: Portal, clock: Clock) -> None:
    _, _, headers = portal.basic_api.get_page_with_http_info(limit=1)
    assert all(h in headers for h in HEADERS)
    assert headers["X-HubSpot-RateLimit-Max"] == "190"
    assert headers["X-HubSpot-RateLimit-Remaining"] == "189"
    assert headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert headers["X-HubSpot-RateLimit-Daily"] == "625000"
    portal.configure(tier="free")
    _, _, headers = portal.basic_api.get_page_with_http_info(limit=1)
    assert (headers["X-HubSpot-RateLimit-Max"], headers["X-HubSpot-RateLimit-Daily"]) == (
        "100", "250000")


def test_burst_limit_429_ten_secondly_rolling(portal: Portal, clock: Clock) -> None:
    portal.configure(burst_limit=4)
    remaining = []
    for _ in range(4):
        _, _, headers = portal.basic_api.get_page_with_http_info(limit=1)
        remaining.append(headers["X-HubSpot-RateLimit-Remaining"])
        clock.advance(1)
    assert remaining == ["3", "2", "1", "0"]
    with pytest.raises(ApiException) as err:
        portal.basic_api.get_page(limit=1)
    exc = err.value
    assert exc.status == 429
    body = body_of(exc)
    assert body["errorType"] == "RATE_LIMIT" and body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert set(body) == {"status", "message", "errorType", "correlationId", "policyName",
                         "requestId"}
    assert exc.headers["Retry-After"] == "6"  # the oldest call leaves the window in 6 s
    assert exc.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    clock.advance(6)
    portal.basic_api.get_page(limit=1)


def test_search_429_secondly_without_headers(portal: Portal, clock: Clock) -> None:
    portal.configure(search_per_second=2)
    search(portal, [], limit=1)
    search(portal, [], limit=1)
    with pytest.raises(ApiException) as err:
        search(portal, [], limit=1)
    assert err.value.status == 429
    assert body_of(err.value)["policyName"] == "SECONDLY"
    assert err.value.headers["Retry-After"] == "1"
    assert "X-HubSpot-RateLimit-Remaining" not in err.value.headers
    portal.basic_api.get_page(limit=1)  # the burst budget is separate
    clock.advance(1.0)
    search(portal, [], limit=1)


def test_daily_cap_until_midnight(portal: Portal, clock: Clock) -> None:
    portal.configure(daily_limit=3)
    portal.basic_api.get_page(limit=1)
    search(portal, [], limit=1)  # search counts towards the daily budget
    _, _, headers = portal.basic_api.get_page_with_http_info(limit=1)
    assert headers["X-HubSpot-RateLimit-Daily-Remaining"] == "0"
    with pytest.raises(ApiException) as err:
        portal.basic_api.get_page(limit=1)
    assert body_of(err.value)["policyName"] == "DAILY"
    assert body_of(err.value)["message"] == "You have reached your daily limit."
    assert err.value.headers["Retry-After"] == "120"  # 23:58 -> midnight UTC
    clock.advance(121)
    portal.basic_api.get_page(limit=1)


def test_limits_off_never_refuse(portal: Portal, clock: Clock) -> None:
    portal.configure(rate_limits=False, burst_limit=1, daily_limit=1, search_per_second=1)
    for _ in range(3):
        _, _, headers = portal.basic_api.get_page_with_http_info(limit=1)
        search(portal, [], limit=1)
    assert headers["X-HubSpot-RateLimit-Remaining"] == "1"


def test_refused_calls_do_not_reach_the_handlers(portal: Portal, clock: Clock) -> None:
    portal.configure(burst_limit=1)
    token = {"Authorization": f"Bearer {portal.sim.config.token}"}
    first = portal.admin.post("/crm/v3/objects/contacts", headers=token,
                              json={"properties": {"email": "once@only.io"}})
    second = portal.admin.post("/crm/v3/objects/contacts", headers=token,
                               json={"properties": {"email": "twice@only.io"}})
    assert (first.status_code, second.status_code) == (201, 429)
    assert portal.sim.contacts.find_by_email("twice@only.io") is None
    assert isinstance(second, httpx.Response) and second.headers["retry-after"] == "10"

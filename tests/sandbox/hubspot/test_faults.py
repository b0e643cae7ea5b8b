"""Injected faults, rendered in HubSpot's shape: latency, 429 / 500 / 503, dropped
connections (a urllib3 error under the SDK), and the SDK's own Retry honouring Retry-After."""

from __future__ import annotations

import time

import pytest
import urllib3
from hubspot import HubSpot
from hubspot.crm.contacts import ApiException
from hubspot.crm.contacts.exceptions import ServiceException
from urllib3.util.retry import Retry

from connector_sandbox.faults import FaultRule

from .conftest import Portal
from .helpers import body_of, eventually, search

SEARCH = "POST /crm/v3/objects/contacts/search"
LIST = "GET /crm/v3/objects/contacts"


def test_latency(portal: Portal) -> None:
    portal.sim.faults.add(FaultRule(match=LIST, latency_ms=200))
    started = time.monotonic()
    portal.basic_api.get_page(limit=1)
    assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize("status", [500, 503])
def test_injected_server_errors(portal: Portal, status: int) -> None:
    portal.sim.faults.add(FaultRule(match=LIST, fail_next=1, fail_status=status))
    with pytest.raises(ServiceException) as err:
        portal.basic_api.get_page(limit=1)
    assert err.value.status == status
    body = body_of(err.value)
    assert body["status"] == "error" and body["correlationId"] and body["category"]
    assert "X-HubSpot-RateLimit-Max" in err.value.headers
    portal.basic_api.get_page(limit=1)  # only the next call failed
    assert eventually(lambda: portal.sim.counter.snapshot()["by_status"].get(
        f"GET /crm/v3/objects/contacts {status}") == 1)


def test_injected_429_looks_like_the_real_one(portal: Portal) -> None:
    portal.sim.faults.set_rules([FaultRule(match=SEARCH, error_rates={429: 1.0}, retry_after=2),
                                 FaultRule(match="POST */batch/*", fail_next=1, fail_status=429,
                                           retry_after=1)])
    with pytest.raises(ApiException) as err:
        search(portal, [], limit=1)
    body = body_of(err.value)
    assert (err.value.status, body["errorType"], body["policyName"]) == (
        429, "RATE_LIMIT", "SECONDLY")
    assert err.value.headers["Retry-After"] == "2"
    assert "X-HubSpot-RateLimit-Max" not in err.value.headers
    response = portal.admin.post("/crm/v3/objects/contacts/batch/read", json={"inputs": []},
                                 headers={"Authorization": f"Bearer {portal.sim.config.token}"})
    assert response.status_code == 429
    assert response.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert response.headers["x-hubspot-ratelimit-remaining"] == "0"


def test_dropped_connection_is_a_transport_error(portal: Portal) -> None:
    portal.sim.faults.add(FaultRule(match=SEARCH, drop_rate=1.0))
    with pytest.raises(urllib3.exceptions.HTTPError):  # ProtocolError: the SDK never wraps it
        search(portal, [], limit=1)
    assert eventually(lambda: portal.sim.counter.snapshot()["by_status"].get(f"{SEARCH} 0") == 1)


def test_sdk_retry_honours_retry_after(portal: Portal) -> None:
    portal.sim.faults.add(FaultRule(match=SEARCH, fail_next=1, fail_status=429, retry_after=1))
    retry = Retry(total=2, status_forcelist=(429,), allowed_methods=None,
                  respect_retry_after_header=True, raise_on_status=False)
    hs = HubSpot(access_token=portal.sim.config.token, host=portal.url, retry=retry)
    started = time.monotonic()
    page = hs.crm.contacts.search_api.do_search(public_object_search_request={"limit": 1})
    assert page.total == len(portal.ids)
    assert time.monotonic() - started >= 1.0
    assert eventually(lambda: portal.sim.counter.total(SEARCH) == 2)


def test_default_sdk_retries_a_429_get_by_itself(portal: Portal) -> None:
    """A trap worth knowing: urllib3's default Retry(3) in the SDK sleeps for Retry-After and
    retries GETs on 429/503 without the caller seeing it (POSTs are not retried)."""
    portal.sim.faults.add(FaultRule(match=LIST, fail_next=1, fail_status=429, retry_after=1))
    started = time.monotonic()
    portal.basic_api.get_page(limit=1)
    assert time.monotonic() - started >= 1.0
    assert eventually(lambda: portal.sim.counter.snapshot()["by_status"].get(f"{LIST} 429") == 1)

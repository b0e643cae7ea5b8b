"""Injected faults rendered in Salesforce's shapes, and dropped connections."""

from __future__ import annotations

import pytest
import requests
from simple_salesforce.exceptions import SalesforceAuthenticationFailed, SalesforceGeneralError

from connector_sandbox.faults import FaultRule

from .helpers import Client, SfSandbox, content

QUERY = "GET /services/data/*/query*"


def test_injected_503_is_server_unavailable(sfx: SfSandbox, sf: Client) -> None:
    sfx.sim.faults.add(FaultRule(match=QUERY, fail_next=1, fail_status=503, retry_after=2))
    with pytest.raises(SalesforceGeneralError) as failed:
        sf.query("SELECT Id FROM Lead")
    assert failed.value.status == 503
    assert content(failed.value)[0]["errorCode"] == "SERVER_UNAVAILABLE"
    assert sf.query("SELECT Id FROM Lead")["totalSize"] == 0  # only the next call failed
    assert sfx.sim.usage.used() == 1  # the injected failure never reached the org


def test_injected_429_and_500(sfx: SfSandbox, sf: Client) -> None:
    sfx.sim.faults.add(FaultRule(match="PATCH *", fail_next=1, fail_status=429, retry_after=5))
    sfx.sim.faults.add(FaultRule(match="POST *", fail_next=1, fail_status=500))
    response = sf.session.patch(f"{sf.base_url}sobjects/Lead/00QDn0000000001MAA",
                                json={"Title": "x"}, headers=sf.headers)
    assert response.status_code == 429 and response.headers["Retry-After"] == "5"
    assert response.json()[0]["errorCode"] == "TOO_MANY_REQUESTS"
    assert response.headers["Sforce-Limit-Info"].startswith("api-usage=")
    with pytest.raises(SalesforceGeneralError) as failed:
        sf.Lead.create({"LastName": "x", "Company": "y"})
    assert content(failed.value)[0]["errorCode"] == "UNKNOWN_EXCEPTION"


def test_dropped_connection_is_a_transport_error(sfx: SfSandbox, sf: Client) -> None:
    sfx.sim.faults.add(FaultRule(match=QUERY, drop_rate=1.0))
    with pytest.raises((requests.exceptions.ConnectionError,
                        requests.exceptions.ChunkedEncodingError)):
        sf.query("SELECT Id FROM Lead")
    sfx.sim.faults.clear()
    assert sf.query("SELECT Id FROM Lead")["totalSize"] == 0


def test_injected_401_triggers_a_relogin(sfx: SfSandbox) -> None:
    sf = sfx.soap_client()
    sfx.sim.faults.add(FaultRule(match=QUERY, fail_next=1, fail_status=401))
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 0
    assert sfx.sim.counter.total("POST /services/Soap/u/*") == 2


def test_faults_on_the_token_endpoint_keep_the_oauth_shape(sfx: SfSandbox) -> None:
    sfx.sim.faults.add(FaultRule(match="POST /services/oauth2/token", fail_next=1,
                                 fail_status=503))
    with pytest.raises(SalesforceAuthenticationFailed) as failed:
        sfx.jwt_client()
    assert failed.value.code == "temporarily_unavailable"
    assert sfx.jwt_client().query("SELECT COUNT() FROM Lead")["totalSize"] == 0


def test_latency_is_added(sfx: SfSandbox, sf: Client) -> None:
    import time

    sfx.sim.faults.add(FaultRule(match=QUERY, latency_ms=150))
    started = time.perf_counter()
    sf.query("SELECT Id FROM Lead")
    assert time.perf_counter() - started >= 0.15

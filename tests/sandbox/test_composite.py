"""The simulator's Composite API, driven through simple-salesforce (``restful``) and our client."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from connector.connections import salesforce_client
from connector.settings import Settings
from connector_sandbox.runner import Sandbox


def test_composite_queries_count_as_one_api_call(sandbox: Sandbox,
                                                 sandbox_settings: Settings) -> None:
    client = salesforce_client(sandbox_settings, endpoints=sandbox.endpoints)
    emails = [r["Email"] for r in sandbox.salesforce.org.query("SELECT Email FROM Lead")][:5]
    before = sandbox.salesforce.usage.used()
    found = client.query_many({
        "leads": client.soql_in("Lead", "Email", emails, ["Email"]),
        "contacts": client.soql_in("Contact", "Email", ["nobody@nowhere.example"], ["Email"]),
    })
    assert {r["Email"] for r in found["leads"]} == set(emails)
    assert found["contacts"] == []
    assert sandbox.salesforce.usage.used() - before == 1
    assert sandbox.salesforce.counter.total("POST /services/data/*/composite") == 1


def test_composite_subrequest_errors_and_limits(sandbox: Sandbox,
                                                sandbox_settings: Settings) -> None:
    sf = salesforce_client(sandbox_settings, endpoints=sandbox.endpoints).sf
    url = f"/services/data/v{sf.sf_version}/query?q=SELECT+Nope__c+FROM+Lead"
    result = sf.restful("composite", method="POST", json={"compositeRequest": [
        {"method": "GET", "url": url, "referenceId": "bad"}]})
    assert result is not None  # restful() is typed Optional; a JSON body came back
    sub = result["compositeResponse"][0]
    assert sub["httpStatusCode"] == 400 and sub["body"][0]["errorCode"] == "INVALID_FIELD"
    six = [{"method": "GET", "referenceId": f"q{i}",
            "url": f"/services/data/v{sf.sf_version}/query?q=SELECT+Id+FROM+Lead"}
           for i in range(6)]
    with pytest.raises(SalesforceMalformedRequest):
        sf.restful("composite", method="POST", json={"compositeRequest": six})

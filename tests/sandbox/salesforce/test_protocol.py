"""Protocol details Salesforce clients rely on (issue 12, point 4), through simple-salesforce:
versions up to v66.0, ``Location`` on every 201, collection delete, records without
``attributes`` failing one by one. (/limits' key set: ``test_limits.py``.)"""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

from .helpers import EXT, UPSERT, Client, SfSandbox, codes, content, lead, unused_id

V = "/services/data/v59.0"


def test_versions_up_to_66_are_listed_and_served(sfx: SfSandbox) -> None:
    with sfx.admin() as http:
        versions = http.get("/services/data/").json()
    assert versions[-1] == {"label": "Spring '26", "url": "/services/data/v66.0",
                            "version": "66.0"}
    assert {"label": "Winter '26", "url": "/services/data/v65.0", "version": "65.0"} in versions
    newest: Client = Salesforce(instance_url=sfx.url, session_id=sfx.sim.issue_session(),
                                session=sfx.session(), version="66.0")
    lead_id = newest.Lead.create({"LastName": "New", "Company": "API"})["id"]
    assert newest.query("SELECT Id FROM Lead")["records"][0]["attributes"]["url"] == \
        f"/services/data/v66.0/sobjects/Lead/{lead_id}"
    assert newest.Lead.describe()["urls"]["sobject"] == "/services/data/v66.0/sobjects/Lead"
    too_new: Client = Salesforce(instance_url=sfx.url, session_id=sfx.sim.issue_session(),
                                 session=sfx.session(), version="67.0")
    with pytest.raises(SalesforceResourceNotFound):
        too_new.query("SELECT Id FROM Lead")


def test_every_201_carries_a_location(sf: Client) -> None:
    response = sf.session.post(f"{sf.base_url}sobjects/Contact/", headers=sf.headers,
                               json={"LastName": "Located"})
    assert response.status_code == 201
    assert response.headers["Location"] == f"{V}/sobjects/Contact/{response.json()['id']}"
    upserted = sf.Lead.upsert(f"{EXT}/hs-77", {"LastName": "L", "Company": "C"},
                              raw_response=True)
    assert upserted.status_code == 201
    assert upserted.headers["Location"] == f"{V}/sobjects/Lead/{upserted.json()['id']}"
    again = sf.Lead.upsert(f"{EXT}/hs-77", {"Title": "T"}, raw_response=True)
    assert again.status_code == 200 and "Location" not in again.headers
    composite = sf.restful("composite", method="POST", json={"compositeRequest": [
        {"method": "POST", "url": f"{V}/sobjects/Contact", "referenceId": "c",
         "body": {"LastName": "Nested"}}]})
    sub = composite["compositeResponse"][0]
    assert sub["httpStatusCode"] == 201
    assert sub["httpHeaders"] == {"Location": f"{V}/sobjects/Contact/{sub['body']['id']}"}


def test_collection_delete(sfx: SfSandbox, sf: Client) -> None:
    ids = [r["id"] for r in sf.restful(UPSERT, method="PATCH", json={
        "allOrNone": False, "records": [lead(i) for i in range(3)]})]
    user = sfx.sim.org.integration_user_id
    results = sf.restful("composite/sobjects", method="DELETE", params={
        "ids": ",".join([ids[0], ids[1][:15], "not-an-id", unused_id("00Q"), user, ids[0]]),
        "allOrNone": "false"})
    assert [r["success"] for r in results] == [True, True, False, False, False, False]
    assert [r["id"] for r in results[:2]] == ids[:2]
    assert [codes(r) for r in results[2:]] == [["MALFORMED_ID"],
                                              ["INVALID_CROSS_REFERENCE_KEY"],
                                              ["INVALID_TYPE_FOR_OPERATION"],
                                              ["ENTITY_IS_DELETED"]]
    assert sfx.sim.org.count("Lead") == 1
    rolled = sf.restful("composite/sobjects", method="DELETE",
                        params={"ids": f"{ids[2]},{ids[0]}", "allOrNone": "true"})
    assert [codes(r) for r in rolled] == [["ALL_OR_NONE_OPERATION_ROLLED_BACK"],
                                          ["ENTITY_IS_DELETED"]]
    assert sfx.sim.org.count("Lead") == 1
    for params in ({}, {"ids": ""}):
        with pytest.raises(SalesforceMalformedRequest) as none:
            sf.restful("composite/sobjects", method="DELETE", params=params)
        assert content(none.value)[0]["errorCode"] == "REQUIRED_FIELD_MISSING"


def untyped(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "attributes"}


def test_collection_records_without_attributes_fail_one_by_one(sfx: SfSandbox,
                                                               sf: Client) -> None:
    upserted = sf.restful(UPSERT, method="PATCH", json={
        "allOrNone": False, "records": [lead(1), untyped(lead(2)), lead(3)]})
    assert [r["success"] for r in upserted] == [True, False, True]
    assert upserted[1]["errors"][0]["statusCode"] == "JSON_PARSER_ERROR"
    assert upserted[1]["created"] is False and upserted[1]["id"] is None
    created = sf.restful("composite/sobjects", method="POST", json={
        "records": [untyped(lead(4)), lead(5)]})
    assert [r["success"] for r in created] == [False, True]
    assert codes(created[0]) == ["JSON_PARSER_ERROR"]
    updated = sf.restful("composite/sobjects", method="PATCH", json={"records": [
        {"id": upserted[0]["id"], "Title": "untyped"},
        {"attributes": {"type": "Lead"}, "id": upserted[2]["id"], "Title": "typed"}]})
    assert [r["success"] for r in updated] == [False, True]
    assert codes(updated[0]) == ["JSON_PARSER_ERROR"]
    rolled = sf.restful(UPSERT, method="PATCH", json={
        "allOrNone": True, "records": [lead(6), untyped(lead(7))]})
    assert [codes(r) for r in rolled] == [["ALL_OR_NONE_OPERATION_ROLLED_BACK"],
                                          ["JSON_PARSER_ERROR"]]
    assert sfx.sim.org.count("Lead") == 3

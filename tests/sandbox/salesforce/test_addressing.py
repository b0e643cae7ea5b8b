"""Addressing records as Salesforce does (issue 12, point 3), through simple-salesforce: by
``Id`` (get, upsert that only updates, ``updateOnly``), by idLookup fields such as ``Email``
(single records and collections), 300 with the records' URLs when several match."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMoreThanOneRecord, SalesforceResourceNotFound
from simple_salesforce.format import format_external_id

from .helpers import Client, SfSandbox, content, unused_id

V = "/services/data/v59.0"


def lead_by_email(email: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"attributes": {"type": "Lead"}, "Email": email,
                            "LastName": "Liskov", "Company": "MIT"}
    body.update(extra)
    return body


def test_user_and_lead_through_the_id_field(sfx: SfSandbox, sf: Client) -> None:
    user_id = sfx.sim.org.integration_user_id
    assert sf.User.get_by_custom_id("Id", user_id)["Username"] == sfx.sim.config.username
    assert sf.restful(f"sobjects/User/Id/{user_id[:15]}")["Id"] == user_id
    lead_id = sf.Lead.create({"LastName": "Hamilton", "Company": "NASA"})["id"]
    assert sf.Lead.get_by_custom_id("Id", lead_id)["LastName"] == "Hamilton"
    response = sf.Lead.upsert(f"Id/{lead_id}", {"Title": "Director"}, raw_response=True)
    assert response.status_code == 200
    assert response.json() == {"id": lead_id, "success": True, "errors": [], "created": False}
    body = sf.restful(f"sobjects/Lead/Id/{lead_id}", params={"updateOnly": "true"},
                      method="PATCH", json={"Title": "Lead Engineer"})
    assert body["created"] is False and sf.Lead.get(lead_id)["Title"] == "Lead Engineer"
    with pytest.raises(SalesforceResourceNotFound):  # an Id names a record: never a create
        sf.Lead.upsert(f"Id/{unused_id('00Q')}", {"LastName": "X", "Company": "Y"})
    with pytest.raises(SalesforceResourceNotFound):
        sf.User.get_by_custom_id("Id", unused_id("005"))
    assert sfx.sim.org.count("Lead") == 1


def test_post_through_the_id_field_creates(sf: Client) -> None:
    response = sf.session.post(f"{sf.base_url}sobjects/Lead/Id", headers=sf.headers,
                               json={"LastName": "Johnson", "Company": "NASA"})
    assert response.status_code == 201
    new_id = response.json()["id"]
    assert response.headers["Location"] == f"{V}/sobjects/Lead/{new_id}"
    assert sf.Lead.get(new_id)["Company"] == "NASA"


def test_upsert_get_and_delete_through_email(sfx: SfSandbox, sf: Client) -> None:
    key = format_external_id("Email", "barbara+1@mit.example")
    first = sf.Lead.upsert(key, {"LastName": "Liskov", "Company": "MIT"}, raw_response=True)
    assert first.status_code == 201 and first.json()["created"] is True
    lead_id = first.json()["id"]
    assert first.headers["Location"] == f"{V}/sobjects/Lead/{lead_id}"
    assert sf.Lead.get(lead_id)["Email"] == "barbara+1@mit.example"
    assert sf.Lead.upsert(key, {"Title": "Professor"}) == 200
    assert sf.restful(f"sobjects/Lead/{key}")["Title"] == "Professor"
    assert sf.restful(f"sobjects/Lead/{key.upper()}")["Id"] == lead_id  # case-insensitive
    with pytest.raises(SalesforceResourceNotFound):
        sf.restful(f"sobjects/Lead/{format_external_id('Email', 'nobody@mit.example')}",
                   params={"updateOnly": "true"}, method="PATCH", json={"Title": "x"})
    assert sf.restful(f"sobjects/Lead/{key}", method="DELETE") is None
    assert sfx.sim.org.count("Lead") == 0


def test_several_matches_answer_300_with_record_urls(sfx: SfSandbox, sf: Client) -> None:
    org = sfx.sim.org
    twins = sorted(org.insert("Lead", {"LastName": f"Twin {i}", "Company": "C",
                                       "Email": "twin@example.com"}) for i in range(2))
    key = format_external_id("Email", "twin@example.com")
    urls = sorted(f"{V}/sobjects/Lead/{i}" for i in twins)
    with pytest.raises(SalesforceMoreThanOneRecord) as read:
        sf.restful(f"sobjects/Lead/{key}")
    assert sorted(content(read.value)) == urls
    with pytest.raises(SalesforceMoreThanOneRecord) as upsert:
        sf.Lead.upsert(key, {"Title": "Which one?"})
    assert sorted(content(upsert.value)) == urls
    with pytest.raises(SalesforceMoreThanOneRecord):
        sf.restful(f"sobjects/Lead/{key}", method="DELETE")
    assert all(org.get("Lead", i)["Title"] is None for i in twins)  # type: ignore[index]
    results = sf.restful("composite/sobjects/Lead/Email", method="PATCH", json={
        "allOrNone": False, "records": [lead_by_email("twin@example.com", Title="x")]})
    assert results[0]["success"] is False
    assert results[0]["errors"][0]["statusCode"] == "DUPLICATE_EXTERNAL_ID"


def test_opportunity_name_is_an_id_lookup_too(sfx: SfSandbox, sf: Client) -> None:
    account = sf.Account.create({"Name": "Acme"})["id"]
    key = format_external_id("Name", "Big Deal/2026")
    body = {"AccountId": account, "StageName": "Prospecting", "CloseDate": "2026-12-31"}
    assert sf.Opportunity.upsert(key, body) == 201
    assert sf.Opportunity.upsert(key, {"StageName": "Closed Won"}) == 200
    record = sf.restful(f"sobjects/Opportunity/{key}")
    assert (record["Name"], record["IsWon"]) == ("Big Deal/2026", True)
    assert sfx.sim.org.count("Opportunity") == 1


def test_collection_upsert_through_email_and_through_id(sfx: SfSandbox, sf: Client) -> None:
    existing = sf.Lead.create({"LastName": "Old", "Company": "C", "Email": "old@c.example"})["id"]
    results = sf.restful("composite/sobjects/Lead/Email", method="PATCH", json={
        "allOrNone": False,
        "records": [lead_by_email("OLD@c.example", Title="Updated"),
                    lead_by_email("new@c.example"),
                    lead_by_email("dup@c.example"), lead_by_email("dup@c.example")]})
    assert [(r["success"], r["created"]) for r in results] == [
        (True, False), (True, True), (False, False), (False, False)]
    assert results[0]["id"] == existing
    assert sf.Lead.get(existing)["Title"] == "Updated"
    created = results[1]["id"]
    by_id = sf.restful("composite/sobjects/Lead/Id", method="PATCH", json={
        "allOrNone": False,
        "records": [{"attributes": {"type": "Lead"}, "Id": created, "Title": "By id"},
                    {"attributes": {"type": "Lead"}, "LastName": "Fresh", "Company": "C"},
                    {"attributes": {"type": "Lead"}, "Id": None, "LastName": "N", "Company": "C"},
                    {"attributes": {"type": "Lead"}, "Id": unused_id("00Q"), "Title": "?"}]})
    assert [(r["success"], r["created"]) for r in by_id] == [
        (True, False), (True, True), (True, True), (False, False)]
    assert by_id[0]["id"] == created and sf.Lead.get(created)["Title"] == "By id"
    assert by_id[3]["errors"][0]["statusCode"] == "INVALID_CROSS_REFERENCE_KEY"
    assert sfx.sim.org.count("Lead") == 4

"""Single-contact endpoints and the paged list through the unmodified SDK."""

from __future__ import annotations

import pytest
from hubspot.crm.contacts import (
    ApiException,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.contacts.exceptions import NotFoundException

from .conftest import Portal
from .helpers import body_of


def test_get_page_follows_after_to_the_end(portal: Portal) -> None:
    page = portal.basic_api.get_page(limit=25, properties=["email", "industry"])
    assert len(page.results) == 25
    assert set(page.results[0].properties) >= {"email", "industry", "hs_object_id"}
    assert page.paging.next.after == portal.ids[25]
    assert "/crm/v3/objects/contacts?after=" in page.paging.next.link
    everything = portal.hs.crm.contacts.get_all(properties=["email"])
    assert [c.id for c in everything] == portal.ids
    with pytest.raises(ApiException) as err:
        portal.basic_api.get_page(limit=101)
    assert err.value.status == 400


def test_get_by_id_and_by_email(portal: Portal) -> None:
    cid = portal.ids[5]
    stored = portal.sim.contacts.get(cid)
    assert stored is not None
    by_id = portal.basic_api.get_by_id(cid, properties=["company", "numemployees"])
    assert by_id.id == cid
    assert by_id.properties["company"] == stored.get("company")
    by_email = portal.basic_api.get_by_id(stored["email"].upper(), id_property="email")
    assert by_email.id == cid
    assert set(by_email.properties) == {"createdate", "email", "firstname", "hs_object_id",
                                        "lastmodifieddate", "lastname"}
    with pytest.raises(NotFoundException) as err:
        portal.basic_api.get_by_id("999999")
    assert body_of(err.value)["category"] == "OBJECT_NOT_FOUND"


def test_create_returns_201_and_refuses_a_taken_email(portal: Portal) -> None:
    new, status, _ = portal.basic_api.create_with_http_info(SimplePublicObjectInputForCreate(
        properties={"email": "New.Person@Example.com", "firstname": "New",
                    "pricing_page_views": 4, "demo_requested": True}))
    assert status == 201
    assert new.properties["email"] == "new.person@example.com"
    assert new.properties["pricing_page_views"] == "4"
    assert new.properties["demo_requested"] == "true"
    stored = portal.sim.contacts.get(new.id)
    assert stored is not None and stored["hs_email_domain"] == "example.com"
    with pytest.raises(ApiException) as err:
        portal.basic_api.create(SimplePublicObjectInputForCreate(
            properties={"email": "new.person@example.com"}))
    assert err.value.status == 409
    assert body_of(err.value)["message"] == f"Contact already exists. Existing ID: {new.id}"


def test_update_clears_with_empty_string_and_bumps_lastmodifieddate(portal: Portal) -> None:
    cid = portal.ids[0]
    before = portal.sim.contacts.get(cid)
    assert before is not None
    updated = portal.basic_api.update(cid, SimplePublicObjectInput(
        properties={"jobtitle": "", "lifecyclestage": "marketingqualifiedlead"}))
    assert updated.properties["lifecyclestage"] == "marketingqualifiedlead"
    assert updated.properties["jobtitle"] == ""  # HubSpot echoes a cleared property as ""
    after = portal.sim.contacts.get(cid)
    assert after is not None and "jobtitle" not in after
    assert after["lastmodifieddate"] > before["lastmodifieddate"]
    with pytest.raises(ApiException) as err:
        portal.basic_api.update(cid, SimplePublicObjectInput(properties={"industry": "Tech"}))
    assert err.value.status == 400
    assert "INVALID_OPTION" in body_of(err.value)["message"]


def test_update_by_email_and_archive(portal: Portal) -> None:
    cid = portal.ids[1]
    email = portal.sim.contacts.get(cid)["email"]  # type: ignore[index]
    portal.basic_api.update(email, SimplePublicObjectInput(properties={"city": "Oslo"}),
                            id_property="email")
    assert portal.sim.contacts.get(cid)["city"] == "Oslo"  # type: ignore[index]
    portal.basic_api.archive(cid)
    assert portal.sim.contacts.get(cid) is None
    with pytest.raises(NotFoundException):
        portal.basic_api.get_by_id(cid)


def test_properties_query_param_accepts_commas(portal: Portal) -> None:
    response = portal.admin.get(
        f"/crm/v3/objects/contacts/{portal.ids[2]}?properties=city,country",
        headers={"Authorization": f"Bearer {portal.sim.config.token}"})
    assert response.status_code == 200
    assert {"city", "country"} <= set(response.json()["properties"])
    assert response.headers["content-type"].startswith("application/json")

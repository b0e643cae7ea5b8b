"""Issue 12 point 2: object bodies as HubSpot sends them, through the unmodified SDK.

``url`` on every object; creates and updates echo what HubSpot computes; a cleared property
echoes ``""``; property creates carry the user ids and ``dataSensitivity``; every non-search
response carries the ten-second, per-second and daily rate-limit headers.
"""

from __future__ import annotations

from typing import Any

import httpx
from hubspot.crm.contacts import (
    BatchInputSimplePublicObjectBatchInputForCreate,
    BatchReadInputSimplePublicObjectId,
    SimplePublicObjectBatchInputForCreate,
    SimplePublicObjectId,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.properties import PropertyCreate

from connector_sandbox.hubspot import HubSpotSimConfig
from connector_sandbox.hubspot.config import APP_ID, PORTAL_ID, SANDBOX_USER_ID

from .conftest import SEED_START, TOKEN, Portal
from .helpers import Clock, search

CONTACT_URL = f"https://app.hubspot.com/contacts/{PORTAL_ID}/record/0-1/"
COMPUTED = {"hs_email_domain", "lifecyclestage", "hs_object_source", "hs_object_source_id",
            "hs_object_source_label", "createdate", "lastmodifieddate", "hs_object_id"}


def _raw(portal: Portal, method: str, path: str, **kw: Any) -> httpx.Response:
    return portal.admin.request(method, path, headers={"Authorization": f"Bearer {TOKEN}"},
                                **kw)


def test_every_object_carries_its_url(portal: Portal) -> None:
    cid = portal.ids[0]
    got = portal.basic_api.get_by_id(cid, _preload_content=False)
    assert got.json()["url"] == CONTACT_URL + cid
    page = _raw(portal, "GET", "/crm/v3/objects/contacts", params={"limit": 3}).json()
    assert [r["url"] for r in page["results"]] == [CONTACT_URL + r["id"]
                                                   for r in page["results"]]
    found = _raw(portal, "POST", "/crm/v3/objects/contacts/search",
                 json={"limit": 5, "filterGroups": []}).json()
    assert found["results"] and all(r["url"] == CONTACT_URL + r["id"]
                                     for r in found["results"])
    # the SDK's own search still deserialises (it ignores the field it does not model)
    assert len(search(portal, limit=2).results) == 2
    read = _raw(portal, "POST", "/crm/v3/objects/contacts/batch/read",
                json={"inputs": [{"id": cid}], "properties": ["email"]}).json()
    assert read["results"][0]["url"] == CONTACT_URL + cid
    batch = portal.batch_api.read(BatchReadInputSimplePublicObjectId(
        inputs=[SimplePublicObjectId(id=cid)], properties=["email"],
        properties_with_history=[]))
    assert batch.results[0].id == cid


def test_create_echoes_what_hubspot_computes(portal: Portal) -> None:
    raw = portal.basic_api.create(SimplePublicObjectInputForCreate(
        properties={"email": "Dana@Example.org", "firstname": "Dana"}),
        _preload_content=False)
    assert raw.status == 201
    body = raw.json()
    props = body["properties"]
    assert set(props) >= COMPUTED
    assert props["email"] == "dana@example.org"
    assert props["hs_email_domain"] == "example.org"
    assert props["lifecyclestage"] == "lead"
    assert props["hs_object_source"] == "INTEGRATION"
    assert props["hs_object_source_label"] == "INTEGRATION"
    assert props["hs_object_source_id"] == APP_ID
    assert props["hs_object_id"] == body["id"]
    assert props["createdate"] == body["createdAt"]
    assert props["lastmodifieddate"] == body["updatedAt"]
    assert body["url"] == CONTACT_URL + body["id"]
    # stored too, so a later read agrees with the echo
    stored = portal.sim.contacts.get(body["id"])
    assert stored is not None and stored["lifecyclestage"] == "lead"


def test_create_keeps_a_given_lifecycle_stage(portal: Portal) -> None:
    made = portal.basic_api.create(SimplePublicObjectInputForCreate(
        properties={"email": "sub@example.org", "lifecyclestage": "subscriber"}))
    assert made.properties["lifecyclestage"] == "subscriber"


def test_batch_create_echoes_the_same(portal: Portal) -> None:
    out = portal.batch_api.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=[
        SimplePublicObjectBatchInputForCreate(properties={"email": "b1@example.net"},
                                              associations=[])]), _preload_content=False)
    result = out.json()["results"][0]
    assert set(result["properties"]) >= COMPUTED
    assert result["properties"]["lifecyclestage"] == "lead"
    assert result["url"] == CONTACT_URL + result["id"]


def test_update_echoes_computed_values_and_cleared_as_empty_string(portal: Portal) -> None:
    cid = portal.ids[1]
    raw = portal.basic_api.update(cid, SimplePublicObjectInput(
        properties={"email": "moved@new-domain.io", "jobtitle": ""}), _preload_content=False)
    body = raw.json()
    props = body["properties"]
    assert props["jobtitle"] == ""
    assert props["hs_email_domain"] == "new-domain.io"
    assert {"createdate", "lastmodifieddate", "hs_object_id"} <= set(props)
    assert body["url"] == CONTACT_URL + cid
    # a read shows the cleared property as null, as HubSpot does
    got = portal.basic_api.get_by_id(cid, properties=["jobtitle"])
    assert got.properties["jobtitle"] is None


def test_property_create_carries_user_ids_and_sensitivity(portal: Portal) -> None:
    raw = portal.properties_api.create("contacts", PropertyCreate(
        name="lead_grade", label="Lead grade", type="string", field_type="text",
        group_name="lead_qualification"), _preload_content=False)
    body = raw.json()
    assert body["createdUserId"] == SANDBOX_USER_ID
    assert body["updatedUserId"] == SANDBOX_USER_ID
    assert body["dataSensitivity"] == "non_sensitive"
    listed = {p["name"]: p for p in _raw(portal, "GET", "/crm/v3/properties/contacts")
              .json()["results"]}
    assert listed["email"]["dataSensitivity"] == "non_sensitive"
    assert "createdUserId" not in listed["email"]  # HubSpot-defined: no creating user


def test_rate_limit_headers_on_every_non_search_response(portal: Portal) -> None:
    clock = Clock(SEED_START)
    portal.sim.config = HubSpotSimConfig(token=TOKEN, rate_limits=True, burst_limit=100,
                                         clock=clock)
    portal.sim.limiter.reset()
    first = _raw(portal, "GET", f"/crm/v3/objects/contacts/{portal.ids[0]}").headers
    second = _raw(portal, "GET", f"/crm/v3/objects/contacts/{portal.ids[1]}").headers
    assert first["X-HubSpot-RateLimit-Secondly"] == "10"
    assert first["X-HubSpot-RateLimit-Secondly-Remaining"] == "9"
    assert second["X-HubSpot-RateLimit-Secondly-Remaining"] == "8"
    clock.advance(1.5)
    later = _raw(portal, "GET", f"/crm/v3/objects/contacts/{portal.ids[2]}").headers
    assert later["X-HubSpot-RateLimit-Secondly-Remaining"] == "9"
    assert later["X-HubSpot-RateLimit-Remaining"] == "97"  # the 10-second window remembers
    assert first["X-HubSpot-RateLimit-Max"] == "100"
    assert first["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert int(second["X-HubSpot-RateLimit-Remaining"]) == \
        int(first["X-HubSpot-RateLimit-Remaining"]) - 1
    assert "X-HubSpot-RateLimit-Daily" in first
    assert int(second["X-HubSpot-RateLimit-Daily-Remaining"]) == \
        int(first["X-HubSpot-RateLimit-Daily-Remaining"]) - 1
    refused = _raw(portal, "GET", "/crm/v3/schemas").headers  # a 403 carries them too
    assert "X-HubSpot-RateLimit-Secondly-Remaining" in refused
    searched = _raw(portal, "POST", "/crm/v3/objects/contacts/search", json={}).headers
    assert not [h for h in searched if h.lower().startswith("x-hubspot-ratelimit")]

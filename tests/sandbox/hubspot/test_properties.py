"""GET / POST /crm/v3/properties/contacts through the unmodified SDK."""

from __future__ import annotations

import pytest
from hubspot.crm.contacts import ApiException as ContactsApiException
from hubspot.crm.contacts import SimplePublicObjectInput
from hubspot.crm.properties import ApiException, OptionInput, PropertyCreate

from .conftest import Portal
from .helpers import body_of


def test_seeded_schema_matches_the_data_model(portal: Portal) -> None:
    props = {p.name: p for p in portal.properties_api.get_all(object_type="contacts").results}
    assert {"email", "industry", "lifecyclestage", "hs_analytics_source", "purchase_timeline",
            "budget_range", "pain_point", "pricing_page_views", "demo_requested"} <= set(props)
    assert props["purchase_timeline"].type == "enumeration"
    assert [o.value for o in props["purchase_timeline"].options] == [
        "this_quarter", "next_quarter", "this_year", "no_timeline"]
    assert props["hs_analytics_source"].modification_metadata.read_only_value is True
    assert props["demo_requested"].field_type == "booleancheckbox"
    assert props["lastmodifieddate"].type == "datetime"
    one = portal.properties_api.get_by_name(object_type="contacts", property_name="industry")
    assert len(one.options) == 10


def test_create_custom_enumeration_then_writes_are_validated(portal: Portal) -> None:
    created = portal.properties_api.create(object_type="contacts", property_create=PropertyCreate(
        name="handoff_grade", label="Handoff grade", type="enumeration", field_type="select",
        group_name="lead_qualification", options=[
            OptionInput(label="Hot", value="hot", display_order=0, hidden=False),
            OptionInput(label="Warm", value="warm", display_order=1, hidden=False)]))
    assert created.name == "handoff_grade" and created.hubspot_defined is False
    cid = portal.ids[0]
    portal.basic_api.update(cid, SimplePublicObjectInput(properties={"handoff_grade": "hot"}))
    assert portal.sim.contacts.get(cid)["handoff_grade"] == "hot"  # type: ignore[index]
    with pytest.raises(ContactsApiException) as err:
        portal.basic_api.update(cid, SimplePublicObjectInput(properties={"handoff_grade": "x"}))
    assert err.value.status == 400
    with pytest.raises(ApiException) as dup:
        portal.properties_api.create(object_type="contacts", property_create=PropertyCreate(
            name="handoff_grade", label="Again", type="string", field_type="text",
            group_name="lead_qualification"))
    assert dup.value.status == 409
    assert body_of(dup.value)["category"] == "OBJECT_ALREADY_EXISTS"


def test_create_other_types_and_invalid_definitions(portal: Portal) -> None:
    api = portal.properties_api
    api.create(object_type="contacts", property_create=PropertyCreate(
        name="handoff_at", label="Handoff at", type="datetime", field_type="date",
        group_name="lead_qualification"))
    api.create(object_type="contacts", property_create=PropertyCreate(
        name="handed_off", label="Handed off", type="bool", field_type="booleancheckbox",
        group_name="lead_qualification"))
    cid = portal.ids[1]
    portal.basic_api.update(cid, SimplePublicObjectInput(properties={
        "handoff_at": 1793609647123, "handed_off": "true"}))
    stored = portal.sim.contacts.get(cid)
    assert stored is not None
    assert stored["handoff_at"] == "2026-11-02T08:54:07.123Z" and stored["handed_off"] == "true"
    for bad in (dict(type="enumeration", field_type="select"),         # no options
                dict(type="number", field_type="select"),              # wrong field type
                dict(type="text", field_type="text")):                 # unknown type
        with pytest.raises(ApiException) as err:
            api.create(object_type="contacts", property_create=PropertyCreate(
                name="bad_one", label="Bad", group_name="g", **bad))
        assert err.value.status == 400


def test_update_options_of_a_custom_property(portal: Portal) -> None:
    response = portal.admin.patch(
        "/crm/v3/properties/contacts/purchase_timeline",
        headers={"Authorization": f"Bearer {portal.sim.config.token}"},
        json={"options": [{"label": "Now", "value": "now"}]})
    assert response.status_code == 200
    assert [o["value"] for o in response.json()["options"]] == ["now"]
    response = portal.admin.patch(
        "/crm/v3/properties/contacts/industry",
        headers={"Authorization": f"Bearer {portal.sim.config.token}"}, json={"label": "x"})
    assert response.status_code == 400

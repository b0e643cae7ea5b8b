"""The connector's own HubSpot properties, what Salesforce must hold, and ``connector setup``."""

from __future__ import annotations

from typing import Any

from connector.fieldmap import (
    OWNED_PROPERTY_NAMES,
    load_mapping,
    missing_owned_properties,
    owned_hubspot_properties,
    salesforce_requirements,
)
from connector.fieldmap.provision import run_setup
from tests.fieldmap.conftest import (
    FEEDBACK_TOML,
    LEAD_TOML,
    RECEIPT_TOML,
    describes,
    seeded_properties,
)
from tests.fieldmap.fakes import FakeSchemaSource

REQUIRED_BODY_KEYS = {"name", "label", "type", "fieldType", "groupName"}
TYPES = {"string", "number", "date", "datetime", "enumeration", "bool"}
FIELD_TYPES = {
    "text",
    "textarea",
    "date",
    "file",
    "number",
    "select",
    "radio",
    "checkbox",
    "booleancheckbox",
    "calculation_equation",
}


def mappings() -> list[Any]:
    return [
        load_mapping(LEAD_TOML, direction="lead"),
        load_mapping(FEEDBACK_TOML, direction="feedback"),
    ]


def test_owned_properties_are_valid_create_bodies() -> None:
    bodies = owned_hubspot_properties()
    assert {b["name"] for b in bodies} == OWNED_PROPERTY_NAMES
    for body in bodies:
        assert set(body) >= REQUIRED_BODY_KEYS
        assert body["type"] in TYPES and body["fieldType"] in FIELD_TYPES
        name = str(body["name"])
        assert name.startswith(("sf_", "handoff_", "sales_")), name
        if body["type"] in ("enumeration", "bool"):
            assert body["options"], name
    by_name = {b["name"]: b for b in bodies}
    assert by_name["sales_converted"]["type"] == "bool"
    options = by_name["sales_converted"]["options"]
    assert isinstance(options, list)  # the bodies are typed dict[str, object]
    assert [o["value"] for o in options] == ["true", "false"]
    assert by_name["handoff_score"]["type"] == "number"
    assert by_name["handoff_at"]["type"] == "datetime"


def test_none_of_them_is_in_the_seeded_portal() -> None:
    seeded = {p["name"] for p in seeded_properties()}
    assert not seeded & OWNED_PROPERTY_NAMES
    assert len(missing_owned_properties(seeded_properties())) == len(OWNED_PROPERTY_NAMES)


def test_every_feedback_target_of_the_example_is_hubspot_native_or_owned() -> None:
    feedback = load_mapping(FEEDBACK_TOML, direction="feedback")
    seeded = {p["name"] for p in seeded_properties()}
    assert feedback.targets <= seeded | OWNED_PROPERTY_NAMES
    assert OWNED_PROPERTY_NAMES - feedback.targets == {"handoff_status"}  # the handoff job's


def test_the_handoff_job_write_back_uses_owned_properties() -> None:
    receipt = load_mapping(RECEIPT_TOML, direction="receipt")
    assert receipt.targets <= OWNED_PROPERTY_NAMES


def test_salesforce_requirements_are_empty_for_the_sandbox_org() -> None:
    for mapping in mappings():
        assert (
            salesforce_requirements(mapping, describes(), external_id_field="HubSpot_Contact_Id__c")
            == []
        )


def test_salesforce_requirements_list_missing_receipt_and_external_id_fields() -> None:
    lead = load_mapping(LEAD_TOML, direction="lead")
    org = describes()
    org["Lead"] = {
        **org["Lead"],
        "fields": [
            f
            for f in org["Lead"]["fields"]
            if f["name"] not in {"Handoff_Score__c", "Handoff_At__c", "HubSpot_Contact_Id__c"}
        ],
    }
    problems = salesforce_requirements(lead, org, external_id_field="HubSpot_Contact_Id__c")
    by_key = {p.key: p for p in problems}
    assert set(by_key) == {
        "fields.handoff_score.target",
        "fields.handoff_at.target",
        "external_id_field",
    }
    assert "Number(16, 2)" in (by_key["fields.handoff_score.target"].suggestion or "")
    assert "External ID" in (by_key["external_id_field"].suggestion or "")
    assert by_key["fields.handoff_at.target"].line is not None


def test_salesforce_requirements_of_feedback_name_the_source_fields() -> None:
    feedback = load_mapping(FEEDBACK_TOML, direction="feedback")
    org = describes()
    org["Lead"] = {
        **org["Lead"],
        "fields": [f for f in org["Lead"]["fields"] if f["name"] != "Disqualification_Reason__c"],
    }
    problems = salesforce_requirements(feedback, org)
    assert [p.key for p in problems] == ["fields.disqualification_reason.source"]


def test_external_id_that_is_not_marked_external_id() -> None:
    lead = load_mapping(LEAD_TOML, direction="lead")
    problems = salesforce_requirements(
        lead, describes(), external_id_field="Qualification_Version__c"
    )
    assert [p.message for p in problems] == [
        "Lead.Qualification_Version__c exists but is not an External ID"
    ]


def test_setup_twice_creates_the_properties_once() -> None:
    source = FakeSchemaSource()
    first = run_setup(source, mappings(), external_id_field="HubSpot_Contact_Id__c")
    assert sorted(first.created) == sorted(OWNED_PROPERTY_NAMES)
    assert first.problems == ()
    second = run_setup(source, mappings(), external_id_field="HubSpot_Contact_Id__c")
    assert second.created == ()
    assert sorted(second.existing) == sorted(OWNED_PROPERTY_NAMES)
    assert sorted(source.created) == sorted(OWNED_PROPERTY_NAMES)
    assert sum(c.startswith("POST") for c in source.calls) == len(OWNED_PROPERTY_NAMES)


def test_setup_dry_run_creates_nothing() -> None:
    source = FakeSchemaSource()
    outcome = run_setup(source, mappings(), external_id_field="HubSpot_Contact_Id__c", dry_run=True)
    assert len(outcome.created) == len(OWNED_PROPERTY_NAMES) and source.created == []


def test_setup_reports_a_property_of_the_wrong_type_and_leaves_it() -> None:
    wrong = {
        **[b for b in owned_hubspot_properties() if b["name"] == "handoff_score"][0],
        "type": "string",
        "fieldType": "text",
    }
    source = FakeSchemaSource(seeded_properties() + [wrong])
    outcome = run_setup(source, mappings(), external_id_field="HubSpot_Contact_Id__c")
    assert "handoff_score" not in outcome.created
    assert [(p.key, p.severity) for p in outcome.problems] == [("hubspot.handoff_score", "warning")]


def test_setup_lists_what_the_salesforce_admin_must_create() -> None:
    org = describes()
    org["Lead"] = {
        **org["Lead"],
        "fields": [f for f in org["Lead"]["fields"] if f["name"] != "Handoff_Grade__c"],
    }
    outcome = run_setup(
        FakeSchemaSource(salesforce=org), mappings(), external_id_field="HubSpot_Contact_Id__c"
    )
    assert [p.key for p in outcome.problems] == ["fields.handoff_grade.target"]
    assert "hot, warm, cold" in (outcome.problems[0].suggestion or "")

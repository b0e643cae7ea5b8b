"""The live checks against the simulators' real endpoints, over HTTP (httpx): the properties
and describes come from the sandbox, not from the JSON fixtures. ``setup`` creates the
connector's properties through the real ``POST /crm/v3/properties/contacts``."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from connector.fieldmap import OWNED_PROPERTY_NAMES, apply, bind_schema, load_mapping, validate_live
from connector.fieldmap.provision import run_setup
from connector.fieldmap.schema import salesforce_checked_options
from tests.fieldmap.conftest import FEEDBACK_TOML, LEAD_TOML
from tests.fieldmap.corpus import LIVE, Case
from tests.fieldmap.test_corpus import assert_caught, live_problems

API = "/services/data/v59.0"


class HttpSchemaSource:
    """A ``SchemaSource`` speaking plain HTTP to the sandbox (HubSpot token, Salesforce
    client-credentials login with the sandbox's test CA)."""

    def __init__(self, endpoints: Any) -> None:
        self.hubspot = httpx.Client(
            base_url=endpoints.hubspot_url,
            headers={"Authorization": f"Bearer {endpoints.hubspot_token}"},
            timeout=30,
        )
        self.salesforce = httpx.Client(
            base_url=endpoints.salesforce_url,
            verify=ssl.create_default_context(cafile=endpoints.ca_file),
            timeout=30,
        )
        token = self.salesforce.post(
            "/services/oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": endpoints.sf_consumer_key,
                "client_secret": endpoints.sf_client_secret,
            },
        )
        token.raise_for_status()
        self.salesforce.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        self.posts = 0

    def hubspot_properties(self) -> list[dict[str, Any]]:
        response = self.hubspot.get("/crm/v3/properties/contacts")
        response.raise_for_status()
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def salesforce_describe(self, sobject: str) -> dict[str, Any]:
        response = self.salesforce.get(f"{API}/sobjects/{sobject}/describe")
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def create_hubspot_property(self, body: dict[str, Any]) -> None:
        self.posts += 1
        self.hubspot.post("/crm/v3/properties/contacts", json=body).raise_for_status()

    def close(self) -> None:
        self.hubspot.close()
        self.salesforce.close()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from connector_sandbox.runner import start_sandbox

    workdir: Path = tmp_path_factory.mktemp("fieldmap-sandbox")
    sb = start_sandbox(
        workdir, seed=5, contacts=10, existing_leads=2, existing_contacts=1, rate_limits=False
    )
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture(scope="module")
def source(sandbox: Any) -> Iterator[HttpSchemaSource]:
    client = HttpSchemaSource(sandbox.endpoints)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(scope="module")
def schemas(source: HttpSchemaSource) -> dict[str, Any]:
    """Before setup: the seeded portal; then setup runs twice; after: the portal it left."""
    mappings = [
        load_mapping(LEAD_TOML, direction="lead"),
        load_mapping(FEEDBACK_TOML, direction="feedback"),
    ]
    seeded = source.hubspot_properties()
    first = run_setup(source, mappings, external_id_field="HubSpot_Contact_Id__c")
    second = run_setup(source, mappings, external_id_field="HubSpot_Contact_Id__c")
    return {
        "seeded": seeded,
        "after": source.hubspot_properties(),
        "describes": {
            o: source.salesforce_describe(o) for o in ("Lead", "Contact", "Opportunity", "Account")
        },
        "first": first,
        "second": second,
        "posts": source.posts,
    }


def test_setup_run_twice_creates_the_properties_once(schemas: dict[str, Any]) -> None:
    assert sorted(schemas["first"].created) == sorted(OWNED_PROPERTY_NAMES)
    assert schemas["second"].created == ()
    assert schemas["posts"] == len(OWNED_PROPERTY_NAMES)
    assert schemas["first"].problems == () and schemas["second"].problems == ()
    names = [p["name"] for p in schemas["after"]]
    assert len(names) == len(set(names))
    assert set(names) >= OWNED_PROPERTY_NAMES


def test_before_setup_the_feedback_mapping_needs_setup(schemas: dict[str, Any]) -> None:
    feedback = load_mapping(FEEDBACK_TOML, direction="feedback")
    problems = validate_live(
        [feedback],
        hubspot_properties=schemas["seeded"],
        salesforce_describes=schemas["describes"],
        external_id_field="HubSpot_Contact_Id__c",
    )
    assert len(problems) == len(OWNED_PROPERTY_NAMES)
    assert {p.suggestion for p in problems} == {"run `connector setup`"}


def test_example_mappings_validate_clean_against_the_sandbox(schemas: dict[str, Any]) -> None:
    mappings = [
        load_mapping(LEAD_TOML, direction="lead"),
        load_mapping(FEEDBACK_TOML, direction="feedback"),
    ]
    problems = validate_live(
        mappings,
        hubspot_properties=schemas["after"],
        salesforce_describes=schemas["describes"],
        external_id_field="HubSpot_Contact_Id__c",
    )
    assert problems == [], "\n".join(p.render() for p in problems)


def test_unrestricted_status_is_checked_by_the_connector(
    schemas: dict[str, Any], tmp_path: Path
) -> None:
    """The sandbox's Lead.Status is unrestricted, as in a default org: live validation still
    calls a value outside its list an error, and the bound mapping dead-letters it."""
    lead = schemas["describes"]["Lead"]
    assert salesforce_checked_options(lead) == {"Status": frozenset({
        "Open - Not Contacted", "Working - Contacted", "Closed - Converted",
        "Closed - Not Converted"})}
    toml = tmp_path / "lead.toml"
    toml.write_text(
        LEAD_TOML.read_text() + '\n[fields.status]\ntarget = "Status"\nconstant = "Qualified"\n'
    )
    mapping = load_mapping(toml, direction="lead")
    problems = validate_live(
        [mapping],
        hubspot_properties=schemas["after"],
        salesforce_describes=schemas["describes"],
        external_id_field="HubSpot_Contact_Id__c",
    )
    assert [(p.key, p.severity) for p in problems] == [("fields.status.constant", "error")]
    assert "picklist (checked by the connector) Status" in problems[0].message
    bound = bind_schema(mapping, salesforce_describes=schemas["describes"])
    result = apply(bound, {"email": "a@b.example", "decision.score": 80}, None, is_create=True)
    assert "Status" not in result.payload
    assert ("Status", "INVALID_PICKLIST_VALUE") in [(e.field, e.code) for e in result.errors]


@pytest.mark.parametrize("case", LIVE, ids=lambda c: c.id)
def test_live_corpus_against_the_sandbox(case: Case, schemas: dict[str, Any]) -> None:
    hubspot = schemas["after"] if case.setup_done else schemas["seeded"]
    if case.sandbox_message is not None:
        case = replace(case, message=case.sandbox_message)
    assert_caught(case, live_problems(case, hubspot, schemas["describes"]))


def test_cli_setup_twice_then_validate_live(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """End to end through the real clients: ``connector setup`` twice creates the properties
    once, after which ``connector validate --live`` is clean."""
    import json

    from connector.cli import main
    from connector_sandbox.runner import start_sandbox

    sb = start_sandbox(
        tmp_path / "sb",
        seed=6,
        contacts=5,
        existing_leads=1,
        existing_contacts=1,
        rate_limits=False,
    )
    root = LEAD_TOML.parents[1]
    config = tmp_path / "config.toml"
    config.write_text(
        f'[sandbox]\nworkdir = "{sb.workdir}"\n\n[mappings]\n'
        f'lead = "{root / "mappings" / "lead.toml"}"\n'
        f'feedback = "{root / "mappings" / "feedback.toml"}"\n'
        f'qualification = "{root / "mappings" / "qualification.toml"}"\n'
    )
    try:
        assert main(["--config", str(config), "validate", "--live", "--json"]) == 2
        before = json.loads(capsys.readouterr().out)
        assert before["summary"]["errors"] == len(OWNED_PROPERTY_NAMES)
        assert main(["--config", str(config), "setup", "--json"]) == 0
        first = json.loads(capsys.readouterr().out)
        assert main(["--config", str(config), "setup", "--json"]) == 0
        second = json.loads(capsys.readouterr().out)
        assert sorted(first["hubspot"]["created"]) == sorted(OWNED_PROPERTY_NAMES)
        assert second["hubspot"]["created"] == []
        assert main(["--config", str(config), "validate", "--live", "--json"]) == 0
        after = json.loads(capsys.readouterr().out)
        assert after["summary"] == {"errors": 0, "warnings": 0, "exit_code": 0}
    finally:
        sb.stop()

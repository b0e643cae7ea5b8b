"""Schema fixtures (API JSON of the sandbox portal and org) and small helpers for mapping tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from connector.fieldmap import Mapping, owned_hubspot_properties, parse_mapping
from connector.fieldmap.model import Direction

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).parent / "schemas"
LEAD_TOML = ROOT / "mappings" / "lead.toml"
FEEDBACK_TOML = ROOT / "mappings" / "feedback.toml"
RECEIPT_TOML = ROOT / "mappings" / "receipt.toml"
EXTERNAL_ID = "HubSpot_Contact_Id__c"


def seeded_properties() -> list[dict[str, Any]]:
    """``GET /crm/v3/properties/contacts`` results of the portal as seeded (before setup)."""
    results: list[dict[str, Any]] = json.loads(
        (SCHEMAS / "hubspot_contact_properties.json").read_text()
    )["results"]
    return results


def as_created(body: dict[str, Any]) -> dict[str, Any]:
    """What HubSpot returns for a property created from ``body``."""
    return {
        **body,
        "hubspotDefined": False,
        "calculated": False,
        "hidden": False,
        "archived": False,
        "modificationMetadata": {
            "archivable": True,
            "readOnlyDefinition": False,
            "readOnlyValue": False,
        },
    }


def properties_after_setup() -> list[dict[str, Any]]:
    return seeded_properties() + [as_created(b) for b in owned_hubspot_properties()]


def describes() -> dict[str, dict[str, Any]]:
    return {
        name: json.loads((SCHEMAS / f"salesforce_{name.lower()}_describe.json").read_text())
        for name in ("Lead", "Contact", "Account", "Opportunity", "Task")
    }


def mapping_from(text: str, direction: Direction, path: str = "test.toml") -> Mapping:
    mapping, problems = parse_mapping(text, path=path, direction=direction)
    errors = [p for p in problems if p.severity == "error"]
    assert mapping is not None and not errors, errors
    return mapping


@pytest.fixture
def hubspot_properties() -> list[dict[str, Any]]:
    return properties_after_setup()


@pytest.fixture
def salesforce_describes() -> dict[str, dict[str, Any]]:
    return describes()

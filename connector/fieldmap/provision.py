"""What ``connector setup`` does: create the connector's HubSpot properties that are missing
(idempotent: existing ones are left alone) and list what the Salesforce admin must create."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from connector.errors import Problem
from connector.fieldmap.checks import describe_all
from connector.fieldmap.model import Mapping
from connector.fieldmap.owned import (
    OWNED_PROPERTY_NAMES,
    OwnedProperty,
    owned_hubspot_properties,
    salesforce_requirements,
)
from connector.fieldmap.schema import hubspot_property
from connector.fieldmap.schema_source import SchemaSource

HUBSPOT_PORTAL = "HubSpot portal"


@dataclass(frozen=True)
class SetupOutcome:
    created: tuple[str, ...]
    existing: tuple[str, ...]
    problems: tuple[Problem, ...]
    dry_run: bool = False


def run_setup(
    source: SchemaSource,
    mappings: Sequence[Mapping],
    *,
    external_id_field: str,
    dry_run: bool = False,
) -> SetupOutcome:
    """Create the missing owned HubSpot properties; report the missing Salesforce fields."""
    existing = {str(p.get("name")): p for p in source.hubspot_properties()}
    created: list[str] = []
    present: list[str] = []
    problems: list[Problem] = []
    for body in owned_hubspot_properties() + _renamed_receipt_properties(mappings):
        name = str(body["name"])
        current = existing.get(name)
        if current is None:
            if not dry_run:
                source.create_hubspot_property(body)
            created.append(name)
            continue
        present.append(name)
        have, want = hubspot_property(current), hubspot_property(body)
        if have.kind != want.kind:
            problems.append(
                Problem(
                    HUBSPOT_PORTAL,
                    f"hubspot.{name}",
                    f"{name} exists as {have.type_label}; the connector writes {want.type_label}",
                    "warning",
                    suggestion="change the property's type in HubSpot, or delete it and rerun "
                    "`connector setup`",
                )
            )
    describes = describe_all(source, mappings)
    asked: set[str] = set()
    for mapping in (m for m in mappings if m.direction != "receipt"):
        ext = external_id_field if mapping.direction == "lead" else None
        for problem in salesforce_requirements(mapping, describes, external_id_field=ext):
            if problem.message not in asked:  # a field both mappings use is asked for once
                asked.add(problem.message)
                problems.append(problem)
    return SetupOutcome(tuple(created), tuple(present), tuple(problems), dry_run)


def _renamed_receipt_properties(mappings: Sequence[Mapping]) -> list[dict[str, object]]:
    """Receipt targets an admin renamed (not among the owned properties): text properties."""
    owned = len(OWNED_PROPERTY_NAMES)
    names = sorted({rule.target for m in mappings if m.direction == "receipt"
                    for rule in m.rules} - OWNED_PROPERTY_NAMES)
    return [OwnedProperty(name, name, "string", "text", "Written by the handoff job "
                          "(mappings/receipt.toml).").body(owned + i)
            for i, name in enumerate(names)]

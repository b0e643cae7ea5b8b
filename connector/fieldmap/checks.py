"""What ``connector validate`` checks, as one function over paths and an optional schema source.

Offline: both mapping files and the qualification definition (through
``connector.qualification.load_definition`` when that module is available). Live (a
``SchemaSource`` given): HubSpot's contact properties and Salesforce's describes, against which
``validate_live`` checks every mapping.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connector.errors import ConfigError, Problem
from connector.fieldmap.defaults import DESCRIBED_OBJECTS
from connector.fieldmap.live_validation import validate_live
from connector.fieldmap.loader import load_report
from connector.fieldmap.model import Mapping
from connector.fieldmap.schema_source import SchemaSource
from connector.qualification import load_definition


@dataclass(frozen=True)
class ValidationOutcome:
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]
    checked: tuple[str, ...]
    mappings: tuple[Mapping, ...] = ()


def validate_files(
    *,
    lead_path: str | Path,
    feedback_path: str | Path,
    definition_path: str | Path | None,
    pulled_properties: Set[str] | None,
    external_id_field: str,
    source: SchemaSource | None = None,
    earlier: Sequence[Problem] = (),
    receipt_path: str | Path | None = None,
) -> ValidationOutcome:
    """Every problem of the files (and, with ``source``, against the live schemas)."""
    problems = list(earlier)
    notes: list[str] = []
    lead, lead_problems = load_report(
        lead_path, direction="lead", pulled_properties=pulled_properties
    )
    feedback, feedback_problems = load_report(feedback_path, direction="feedback")
    problems += lead_problems + feedback_problems
    checked = [str(lead_path), str(feedback_path)]
    receipt = None
    if receipt_path is not None:
        receipt, receipt_problems = load_report(receipt_path, direction="receipt")
        problems += receipt_problems
        checked.append(str(receipt_path))
    if definition_path is not None:
        checked.append(str(definition_path))
        problems += _definition_problems(definition_path, pulled_properties)
    mappings = tuple(m for m in (lead, feedback, receipt) if m is not None)
    if source is not None:
        describes = describe_all(source, mappings)
        problems += validate_live(
            mappings,
            hubspot_properties=source.hubspot_properties(),
            salesforce_describes=describes,
            external_id_field=external_id_field,
        )
        if len(mappings) < 2 + (receipt_path is not None):
            notes.append("a mapping file could not be read: its live checks were skipped")
    else:
        notes.append("offline checks only: run with --live to check against both live schemas")
    return ValidationOutcome(tuple(problems), tuple(notes), tuple(checked), mappings)


def describe_all(source: SchemaSource, mappings: Sequence[Mapping]) -> dict[str, dict[str, Any]]:
    """Describes of Lead, Contact, Opportunity and any other object a mapping names."""
    objects = list(DESCRIBED_OBJECTS)
    for mapping in mappings:
        extra = {mapping.target_object} if mapping.direction == "lead" else mapping.source_objects
        objects += sorted(o for o in extra if o not in objects)
    return {name: source.salesforce_describe(name) for name in objects}


def _definition_problems(path: str | Path, pulled: Set[str] | None) -> list[Problem]:
    """Problems of the qualification definition."""
    try:
        load_definition(path, pulled_properties=set(pulled) if pulled is not None else None)
    except ConfigError as exc:
        return list(exc.problems)
    except OSError as exc:
        return [Problem(str(path), "", f"cannot read the definition: {exc.strerror or exc}")]
    return []

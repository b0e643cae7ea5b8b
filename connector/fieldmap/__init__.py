"""Field mappings: TOML files admins own, validated offline and against both live schemas, and
applied purely to records.

    load_mapping(path, direction=..., pulled_properties=...) -> Mapping   (ConfigError: all errors)
    apply(mapping, source, target_current, is_create=...) -> ApplyResult
    validate_offline(path, direction=..., pulled_properties=...) -> list[Problem]
    validate_live(mappings, hubspot_properties=..., salesforce_describes=...,
                  external_id_field=...) -> list[Problem]
    owned_hubspot_properties() / salesforce_requirements(mapping, describes)
"""

from __future__ import annotations

from connector.fieldmap.apply import apply
from connector.fieldmap.lifecycle import LIFECYCLE_ORDER
from connector.fieldmap.live_validation import validate_live
from connector.fieldmap.loader import load_mapping, load_report, parse_mapping, validate_offline
from connector.fieldmap.model import (
    ApplyResult,
    Condition,
    FieldRule,
    Mapping,
    RecordProblem,
    TransformSpec,
)
from connector.fieldmap.owned import (
    OWNED_PROPERTY_NAMES,
    missing_owned_properties,
    owned_hubspot_properties,
    salesforce_requirements,
)
from connector.fieldmap.schema import bind_schema
from connector.fieldmap.transforms import TRANSFORMS
from connector.problems import exit_code_for

__all__ = [
    "LIFECYCLE_ORDER",
    "OWNED_PROPERTY_NAMES",
    "TRANSFORMS",
    "ApplyResult",
    "Condition",
    "FieldRule",
    "Mapping",
    "RecordProblem",
    "TransformSpec",
    "apply",
    "bind_schema",
    "exit_code_for",
    "load_mapping",
    "load_report",
    "missing_owned_properties",
    "owned_hubspot_properties",
    "parse_mapping",
    "salesforce_requirements",
    "validate_live",
    "validate_offline",
]

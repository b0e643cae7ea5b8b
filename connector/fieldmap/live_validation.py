"""``validate_live``: every mapping checked against the live schemas of both systems. Pure.

Given HubSpot's contact properties and Salesforce's describes (as the APIs return them), each
rule's source and target must exist, the target must be writable by the rule's sync rule, the
value types must fit, picklist values must exist, values must fit the target's length. Then the
mapping as a whole: Salesforce fields required on create, the external id field, and the
HubSpot properties the connector writes back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from connector.errors import Problem
from connector.fieldmap.live_rules import check_length, check_type, check_values
from connector.fieldmap.model import FieldRule
from connector.fieldmap.model import Mapping as FieldMapping
from connector.fieldmap.owned import OWNED_PROPERTIES, OWNED_PROPERTY_NAMES, RECEIPT_FIELDS
from connector.fieldmap.schema import (
    DECISION_INFO,
    FieldInfo,
    hubspot_property,
    index_hubspot,
    index_salesforce,
)
from connector.problems import Collector, did_you_mean

SETUP_HINT = "run `connector setup`"
_WRITES_ON_CREATE = ("always", "create_only", "if_blank")
_WRITES_ON_UPDATE = ("always", "if_blank")


def validate_live(
    mappings: Iterable[FieldMapping],
    *,
    hubspot_properties: list[dict[str, Any]],
    salesforce_describes: Mapping[str, Mapping[str, Any]],
    external_id_field: str,
) -> list[Problem]:
    """Problems of every mapping against the live schemas (errors and warnings)."""
    hubspot = index_hubspot(hubspot_properties)
    problems: list[Problem] = []
    mappings = tuple(mappings)
    owned_checked = any(m.direction == "feedback" for m in mappings)
    for mapping in mappings:
        out = Collector(mapping.path, mapping.locations)
        if mapping.direction == "lead":
            _check_lead(mapping, hubspot, salesforce_describes, external_id_field, out)
        elif mapping.direction == "receipt":
            _check_receipt(mapping, hubspot, out, owned_checked=owned_checked)
        else:
            _check_feedback(mapping, hubspot, salesforce_describes, out)
        problems.extend(out.problems)
    return problems


def _check_lead(
    mapping: FieldMapping,
    hubspot: dict[str, FieldInfo],
    describes: Mapping[str, Mapping[str, Any]],
    external_id_field: str,
    out: Collector,
) -> None:
    describe = describes.get(mapping.target_object)
    if describe is None:
        out.error(
            "mapping.target_object",
            f"Salesforce has no object {mapping.target_object!r} (no describe)",
            did_you_mean(mapping.target_object, describes),
        )
        return
    targets = index_salesforce(describe)
    for rule in mapping.rules:
        sources = _lead_sources(rule, hubspot, out)
        target = _salesforce_target(rule, mapping.target_object, targets, out)
        if sources is not None and target is not None:
            _check_rule(mapping, rule, sources, target, out)
    _check_required(mapping, targets, out)
    _check_external_id(mapping, targets, external_id_field, out)


def _lead_sources(
    rule: FieldRule, hubspot: dict[str, FieldInfo], out: Collector
) -> list[FieldInfo] | None:
    found: list[FieldInfo] | None = []
    for name in rule.all_sources():
        info = DECISION_INFO.get(name) or hubspot.get(name)
        if info is None:
            where = "source" if name in rule.sources else "when"
            out.error(
                f"{rule.key}.{where}",
                f"HubSpot has no contact property {name!r}",
                did_you_mean(name, hubspot) or "check the property's internal name",
            )
            found = None
        elif found is not None and name in rule.sources:
            found.append(info)
    return found


def _salesforce_target(
    rule: FieldRule, sobject: str, fields: dict[str, FieldInfo], out: Collector
) -> FieldInfo | None:
    info = fields.get(rule.target)
    key = f"{rule.key}.target"
    if info is None:
        setup = RECEIPT_FIELDS.get(rule.target)
        hint = (
            f"ask the Salesforce admin to create {sobject}.{rule.target}: {setup}"
            if setup
            else did_you_mean(rule.target, fields) or "check the field's API name"
        )
        out.error(key, f"Salesforce {sobject} has no field {rule.target!r}", hint)
        return None
    if rule.sync in _WRITES_ON_CREATE and not info.createable:
        out.error(
            key,
            f"{sobject}.{rule.target} is not createable",
            'map a createable field, or sync = "never"',
        )
    elif rule.sync in _WRITES_ON_UPDATE and not info.updateable:
        out.error(key, f"{sobject}.{rule.target} is not updateable", 'sync = "create_only"')
    return info


def _check_rule(
    mapping: FieldMapping,
    rule: FieldRule,
    sources: list[FieldInfo],
    target: FieldInfo,
    out: Collector,
) -> None:
    check_type(rule, sources, target, mapping.direction, out)
    check_values(rule, sources, target, out)
    check_length(rule, sources, target, out)


def _check_required(mapping: FieldMapping, fields: dict[str, FieldInfo], out: Collector) -> None:
    """Salesforce fields required on create must get a value from some rule."""
    for name, info in fields.items():
        if not info.required_on_create:
            continue
        rules = [r for r in mapping.rules if r.target == name and r.sync in _WRITES_ON_CREATE]
        if not rules:
            out.error(
                "fields",
                f"{mapping.target_object}.{name} is required on create and no rule writes it",
                f'add [fields.{name.lower()}] with target = "{name}" '
                "and a source, a constant or a default",
            )
        elif not any(r.constant is not None or r.default is not None or r.required for r in rules):
            out.warning(
                f"{rules[0].key}.default",
                f"{mapping.target_object}.{name} is required "
                "on create: a blank source is rejected by Salesforce",
                "add a default, or required = true to dead-letter such records",
            )


def _check_external_id(
    mapping: FieldMapping, fields: dict[str, FieldInfo], name: str, out: Collector
) -> None:
    info = fields.get(name)
    if info is None:
        out.error(
            "external_id_field",
            f"the external id field {mapping.target_object}.{name} does not exist",
            "ask the Salesforce admin to create it: Text(50), External "
            "ID, Unique (or configure the right name)",
        )
    elif not info.external_id:
        out.error(
            "external_id_field",
            f"{mapping.target_object}.{name} is not marked External "
            "ID: upserts by it are impossible",
            "mark it External ID and Unique",
        )
    for rule in mapping.rules:
        if rule.target == name:
            out.warning(
                f"{rule.key}.target",
                f"the connector sets the external id {name} itself (the HubSpot contact id)",
                "remove this rule",
            )


def _check_receipt(
    mapping: FieldMapping, hubspot: dict[str, FieldInfo], out: Collector, *, owned_checked: bool
) -> None:
    """Each target is a writable HubSpot property (the sources are the connector's own facts).
    A missing connector-owned property is reported once, by the feedback check, when it runs."""
    for rule in mapping.rules:
        if not (owned_checked and rule.target in OWNED_PROPERTY_NAMES
                and rule.target not in hubspot):
            _hubspot_target(rule, hubspot, out)


def _check_feedback(
    mapping: FieldMapping,
    hubspot: dict[str, FieldInfo],
    describes: Mapping[str, Mapping[str, Any]],
    out: Collector,
) -> None:
    objects = {obj: index_salesforce(describes[obj]) for obj in describes}
    for rule in mapping.rules:
        sources = _feedback_sources(rule, objects, out)
        target = _hubspot_target(rule, hubspot, out)
        if sources is not None and target is not None:
            _check_rule(mapping, rule, sources, target, out)
    targeted = {r.target for r in mapping.rules}
    for prop in OWNED_PROPERTIES:
        existing = hubspot.get(prop.name)
        if existing is None and prop.name not in targeted:
            out.error(
                f"hubspot.{prop.name}",
                f"the connector's HubSpot property {prop.name!r} does not exist yet",
                SETUP_HINT,
            )
        elif existing is not None:
            declared = hubspot_property(prop.body(0))
            if (existing.kind, existing.options is None) != (
                declared.kind,
                declared.options is None,
            ):
                out.warning(
                    f"hubspot.{prop.name}",
                    f"HubSpot property {prop.name!r} is "
                    f"{existing.type_label}; the connector expects "
                    f"{declared.type_label}",
                    "fix or recreate the property",
                )


def _feedback_sources(
    rule: FieldRule, objects: dict[str, dict[str, FieldInfo]], out: Collector
) -> list[FieldInfo] | None:
    found: list[FieldInfo] | None = []
    for name in rule.all_sources():
        obj, _, field_name = name.partition(".")
        where = f"{rule.key}.{'source' if name in rule.sources else 'when'}"
        fields = objects.get(obj)
        info = fields.get(field_name) if fields is not None else None
        if info is None:
            message = (
                f"Salesforce {obj} has no field {field_name!r}"
                if fields is not None
                else f"no Salesforce describe of {obj}"
            )
            out.error(where, message, did_you_mean(field_name, fields or {}))
            found = None
        elif found is not None and name in rule.sources:
            found.append(info)
    return found


def _hubspot_target(
    rule: FieldRule, hubspot: dict[str, FieldInfo], out: Collector
) -> FieldInfo | None:
    info = hubspot.get(rule.target)
    key = f"{rule.key}.target"
    if info is None:
        owned = any(p.name == rule.target for p in OWNED_PROPERTIES)
        if owned:
            out.error(
                key,
                f"the connector's HubSpot property {rule.target!r} does not exist yet",
                SETUP_HINT,
            )
        else:
            out.error(
                key,
                f"HubSpot has no contact property {rule.target!r}",
                did_you_mean(rule.target, hubspot) or "create it in HubSpot first",
            )
        return None
    if not info.updateable:
        out.error(key, f"HubSpot property {rule.target!r} is read-only", "map a writable property")
    return info

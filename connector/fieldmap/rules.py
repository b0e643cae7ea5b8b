"""One ``[fields.<name>]`` table -> ``FieldRule``, checking everything that needs no live schema."""

from __future__ import annotations

from collections.abc import Set
from typing import Any, cast

from connector.fieldmap.lifecycle import LIFECYCLE_ORDER
from connector.fieldmap.model import (
    DECISION_FIELDS,
    FEEDBACK_SOURCE_OBJECTS,
    RECEIPT_SOURCES,
    SYNC_RULES,
    UNMAPPED_POLICIES,
    Direction,
    FieldRule,
    Scalar,
    value_key,
)
from connector.fieldmap.rule_parts import is_scalar, parse_condition, parse_transforms
from connector.problems import Collector, did_you_mean

RULE_KEYS = (
    "source",
    "target",
    "transforms",
    "value_map",
    "unmapped",
    "constant",
    "default",
    "required",
    "sync",
    "forward_only",
    "when",
    "description",
)
LIFECYCLE_PROPERTY = "lifecyclestage"


def parse_rule(
    name: str, table: dict[str, Any], direction: Direction, out: Collector
) -> tuple[FieldRule, bool]:
    """The rule (its broken parts replaced by neutral values) and whether it had no error."""
    key = f"fields.{name}"
    before = out.error_count
    for field_name in table:
        if field_name not in RULE_KEYS:
            out.error(
                f"{key}.{field_name}",
                f"unknown key {field_name!r}",
                did_you_mean(field_name, RULE_KEYS),
            )
    target = table.get("target")
    if not isinstance(target, str) or not target.strip():
        out.error(f"{key}.target", "missing target", 'target = "<field or property name>"')
    sources = _sources(key, table, out)
    constant = _scalar(key, "constant", table, out)
    default = _scalar(key, "default", table, out)
    if sources and constant is not None:
        out.error(
            f"{key}.constant",
            "a rule has either a source or a constant, not both",
            "remove source or constant",
        )
    if not sources and constant is None and "source" not in table:
        out.error(key, "no source and no constant", 'source = "<field>" or constant = "<value>"')
    sync = table.get("sync", "always")
    if sync not in SYNC_RULES:
        out.error(
            f"{key}.sync",
            f"unknown sync rule {sync!r}; one of {list(SYNC_RULES)}",
            did_you_mean(str(sync), SYNC_RULES),
        )
    required = _flag(key, "required", table, out)
    forward_only = _flag(key, "forward_only", table, out)
    value_map = _value_map(key, table, out)
    unmapped = table.get("unmapped", "error")
    if unmapped not in UNMAPPED_POLICIES:
        out.error(
            f"{key}.unmapped",
            f"unknown policy {unmapped!r}; one of {list(UNMAPPED_POLICIES)}",
            did_you_mean(str(unmapped), UNMAPPED_POLICIES),
        )
    elif "unmapped" in table and value_map is None:
        out.warning(f"{key}.unmapped", "unmapped has no effect without a value_map")
    if unmapped == "default" and default is None:
        out.error(
            f"{key}.unmapped",
            'unmapped = "default" needs a default value',
            'add default = "<value>"',
        )
    transforms = parse_transforms(key, table.get("transforms", []), direction, sources, out)
    when = parse_condition(key, table.get("when"), out)
    if required and sync == "never":
        out.warning(f"{key}.required", 'required has no effect with sync = "never"')
    if "description" in table and not isinstance(table["description"], str):
        out.error(f"{key}.description", "description must be a string")
    _lifecycle(key, direction, target, forward_only, value_map, (constant, default), out)
    rule = FieldRule(
        name=name,
        target=target.strip() if isinstance(target, str) else "",
        sources=sources,
        transforms=transforms,
        value_map=value_map,
        unmapped=unmapped if unmapped in UNMAPPED_POLICIES else "error",
        constant=constant,
        default=default,
        required=required,
        sync=sync if sync in SYNC_RULES else "always",
        forward_only=forward_only,
        when=when,
    )
    return rule, out.error_count == before


def _sources(key: str, table: dict[str, Any], out: Collector) -> tuple[str, ...]:
    raw = table.get("source")
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if (
        not isinstance(items, list)
        or not items
        or not all(isinstance(s, str) and s.strip() for s in items)
    ):
        out.error(f"{key}.source", "source must be a field name or a list of field names")
        return ()
    return tuple(s.strip() for s in items)


def _scalar(key: str, name: str, table: dict[str, Any], out: Collector) -> Scalar | None:
    value = table.get(name)
    if value is not None and not is_scalar(value):
        out.error(
            f"{key}.{name}",
            f"{name} must be a string, number or boolean",
            "quote dates and times as strings",
        )
        return None
    return cast(Scalar | None, value)


def _flag(key: str, name: str, table: dict[str, Any], out: Collector) -> bool:
    value = table.get(name, False)
    if not isinstance(value, bool):
        out.error(f"{key}.{name}", f"{name} must be true or false")
        return False
    return value


def _value_map(key: str, table: dict[str, Any], out: Collector) -> dict[str, Scalar] | None:
    raw = table.get("value_map")
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw:
        out.error(f"{key}.value_map", "value_map must be a non-empty table of value = value")
        return None
    for source_value, target_value in raw.items():
        if not is_scalar(target_value):
            out.error(f"{key}.value_map.{source_value}", "mapped values must be scalars")
    return {str(k): v for k, v in raw.items() if is_scalar(v)}


def _lifecycle(
    key: str,
    direction: Direction,
    target: object,
    forward_only: bool,
    value_map: dict[str, Scalar] | None,
    fixed: tuple[Scalar | None, Scalar | None],
    out: Collector,
) -> None:
    if forward_only and direction == "lead":
        out.error(
            f"{key}.forward_only",
            "forward_only is for HubSpot lifecycle stages (feedback mapping)",
            "remove forward_only",
        )
        return
    if direction == "feedback" and target == LIFECYCLE_PROPERTY and not forward_only:
        out.error(
            f"{key}.forward_only", "lifecyclestage may only move forward", "add forward_only = true"
        )
    if not forward_only:
        return
    outputs = [(f"value_map.{k}", v) for k, v in (value_map or {}).items()]
    outputs += [
        (n, v) for n, v in zip(("constant", "default"), fixed, strict=True) if v is not None
    ]
    for where, value in outputs:
        if value_key(value) not in LIFECYCLE_ORDER:
            out.error(
                f"{key}.{where}",
                f"{value!r} is not a lifecycle stage",
                did_you_mean(value_key(value), LIFECYCLE_ORDER)
                or f"one of {list(LIFECYCLE_ORDER)}",
            )


def check_rule_sources(
    rule: FieldRule, direction: Direction, pulled: Set[str] | None, out: Collector
) -> None:
    """Lead sources are pulled HubSpot properties or decision fields; feedback ones are
    ``Object.Field`` on an object the feedback job reads; receipt ones are decision or handoff
    facts (``RECEIPT_SOURCES``)."""
    for source in rule.all_sources():
        where = f"{rule.key}.{'source' if source in rule.sources else 'when'}"
        if direction == "feedback":
            obj, _, fld = source.partition(".")
            if obj not in FEEDBACK_SOURCE_OBJECTS or not fld:
                out.error(
                    where,
                    f"feedback sources are Object.Field on "
                    f"{list(FEEDBACK_SOURCE_OBJECTS)}, not {source!r}",
                    did_you_mean(obj, FEEDBACK_SOURCE_OBJECTS) or 'e.g. "Lead.Status"',
                )
        elif direction == "receipt":
            if source not in RECEIPT_SOURCES:
                out.error(
                    where,
                    f"receipt sources are decision or handoff facts, not {source!r}",
                    did_you_mean(source, RECEIPT_SOURCES) or f"one of {list(RECEIPT_SOURCES)}",
                )
        elif source.startswith("decision."):
            if source not in DECISION_FIELDS:
                out.error(
                    where,
                    f"unknown decision field {source!r}",
                    did_you_mean(source, DECISION_FIELDS) or f"one of {DECISION_FIELDS}",
                )
        elif "." in source:
            out.error(where, f"lead sources are HubSpot property names, not {source!r}")
        elif pulled is not None and source not in pulled:
            hint = did_you_mean(source, pulled)
            out.error(
                where,
                f"{source!r} is not among the properties the pull requests",
                hint or "add it to the pulled properties in the settings",
            )


def check_targets(rules: list[FieldRule], out: Collector) -> None:
    """Each target is written by one rule, unless all its rules are forward_only (the furthest
    stage proposed wins)."""
    seen: dict[str, list[FieldRule]] = {}
    for rule in rules:
        seen.setdefault(rule.target, []).append(rule)
    for target, group in seen.items():
        if len(group) < 2 or all(r.forward_only for r in group):
            continue
        first = group[0]
        for rule in group[1:]:
            out.error(
                f"{rule.key}.target",
                f"duplicate target {target!r}: also written by {first.key}",
                "keep one rule per target",
            )

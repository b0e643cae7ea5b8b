"""``apply``: one source record + a mapping -> the payload to send. Pure: no I/O, no clock.

Per rule, in order: the sync rule and the ``when`` condition decide whether the rule runs; the
value is read (a constant, one source, or a list of sources), goes through the transform chain,
then the value map; a blank result falls back to the default; a still-blank ``required`` value
on create is a record error. Blank values are never sent: a mapping never clears a target.
Forward-only rules (lifecycle stage) propose a stage; the furthest proposal is written only if
it moves the contact's current stage forward.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from decimal import Decimal

from connector.fieldmap import lifecycle
from connector.fieldmap.model import (
    HUBSPOT_DIRECTIONS,
    ApplyResult,
    FieldRule,
    Mapping,
    RecordProblem,
    is_blank,
    value_key,
)
from connector.fieldmap.transforms import TransformContext, TransformFailed, as_text, run_transform


class _Skip(Exception):
    """The rule sends nothing for this record."""


@dataclass
class _Outcome:
    payload: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[RecordProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    proposals: dict[str, list[str]] = field(default_factory=dict)


def apply(
    mapping: Mapping,
    source: MappingABC[str, object],
    target_current: MappingABC[str, object] | None,
    *,
    is_create: bool,
) -> ApplyResult:
    """Map ``source`` to a payload for ``mapping.target_object``.

    ``target_current`` holds the target's current values (needed by ``if_blank`` on updates and by
    forward-only rules); None when unknown. ``is_create`` says whether the target record is new.
    """
    out = _Outcome()
    for rule in mapping.rules:
        if not _should_run(rule, source, target_current, is_create, out):
            continue
        try:
            value = _value(rule, mapping, source, is_create, out)
        except _Skip:
            continue
        if rule.forward_only:
            out.proposals.setdefault(rule.target, []).append(as_text(value))
        elif _refused(rule, mapping, value, out):
            continue
        else:
            out.payload[rule.target] = _encode(value, mapping)
    for target, stages in out.proposals.items():
        _decide_stage(target, stages, target_current, is_create, out)
    return ApplyResult(
        payload=out.payload,
        warnings=tuple(out.warnings),
        errors=tuple(out.errors),
        notes=tuple(out.notes),
    )


def _should_run(
    rule: FieldRule,
    source: MappingABC[str, object],
    current: MappingABC[str, object] | None,
    is_create: bool,
    out: _Outcome,
) -> bool:
    if rule.sync == "never" or (rule.sync == "create_only" and not is_create):
        return False
    if rule.sync == "if_blank" and not is_create:
        if current is None:
            out.warnings.append(f"{rule.target}: if_blank needs the current values; not sent")
            return False
        if not is_blank(current.get(rule.target)):
            return False
    return rule.when is None or rule.when.holds(source)


def _value(
    rule: FieldRule,
    mapping: Mapping,
    source: MappingABC[str, object],
    is_create: bool,
    out: _Outcome,
) -> object:
    value: object
    if rule.constant is not None:
        value = rule.constant
    elif len(rule.sources) == 1:
        value = source.get(rule.sources[0])
    else:
        value = [source.get(name) for name in rule.sources]
    if not is_blank(value):
        value = _transform(rule, mapping, value, is_create, out)
    if rule.value_map is not None and not is_blank(value):
        value = _map_values(rule, value, out)
    if is_blank(value) and rule.default is not None:
        value = rule.default
    if is_blank(value):
        if rule.required and is_create:
            out.errors.append(
                RecordProblem(rule.target, "REQUIRED_FIELD_MISSING", f"{rule.key}: no value")
            )
        raise _Skip
    return value


def _transform(
    rule: FieldRule, mapping: Mapping, value: object, is_create: bool, out: _Outcome
) -> object:
    length = mapping.target_lengths.get(rule.target)
    ctx = TransformContext(rule.target, length, mapping.phone_region)
    for spec in rule.transforms:
        try:
            value = run_transform(spec, value, ctx)
        except TransformFailed as exc:
            if spec.option("keep_invalid") is True:
                ctx.warnings.append(f"{rule.target}: {spec.name} kept the value as is: {exc}")
                continue
            out.warnings.extend(ctx.warnings)
            return _failed(rule, f"{spec.name}: {exc}", is_create, out)
    out.warnings.extend(ctx.warnings)
    return value


def _refused(rule: FieldRule, mapping: Mapping, value: object, out: _Outcome) -> bool:
    """A value outside a picklist the connector checks itself (``Mapping.target_options``):
    Salesforce would store it, so the record is dead-lettered here instead."""
    options = mapping.target_options.get(rule.target)
    if options is None:
        return False
    bad = [as_text(v) for v in (value if isinstance(value, list) else [value])
           if as_text(v) not in options]
    if bad:
        out.errors.append(RecordProblem(
            rule.target, "INVALID_PICKLIST_VALUE",
            f"{rule.key}: {bad[0]!r} is not a value of the {rule.target} picklist"))
    return bool(bad)


def _failed(rule: FieldRule, message: str, is_create: bool, out: _Outcome) -> object:
    if rule.default is not None:
        out.warnings.append(f"{rule.target}: {message}; default used")
        return rule.default
    if rule.required and is_create:
        out.errors.append(RecordProblem(rule.target, "TRANSFORM_FAILED", f"{rule.key}: {message}"))
    else:
        out.warnings.append(f"{rule.target}: {message}; not sent")
    raise _Skip


def _map_values(rule: FieldRule, value: object, out: _Outcome) -> object:
    assert rule.value_map is not None
    if isinstance(value, list):
        mapped = []
        for item in value:
            try:
                mapped.append(_map_one(rule, item, out))
            except _Skip:
                continue
        return mapped
    return _map_one(rule, value, out)


def _map_one(rule: FieldRule, value: object, out: _Outcome) -> object:
    assert rule.value_map is not None
    key = value_key(value)
    if key in rule.value_map:
        return rule.value_map[key]
    if rule.unmapped == "default" and rule.default is not None:
        return rule.default
    if rule.unmapped == "error":
        out.errors.append(
            RecordProblem(rule.target, "UNMAPPED_VALUE", f"{rule.key}: {key!r} is not in value_map")
        )
    else:
        out.notes.append(f"{rule.target}: {key!r} is not in value_map; skipped")
    raise _Skip


def _decide_stage(
    target: str,
    stages: list[str],
    current: MappingABC[str, object] | None,
    is_create: bool,
    out: _Outcome,
) -> None:
    proposed = lifecycle.furthest(stages)
    if proposed is None:
        out.notes.append(f"{target}: none of {stages} is a ranked lifecycle stage; not written")
        return
    if current is None and not is_create:
        out.warnings.append(f"{target}: forward-only needs the current value; not sent")
        return
    now = current.get(target) if current is not None else None
    decision = lifecycle.decide(proposed, None if now is None else as_text(now))
    if decision.write is not None:
        out.payload[target] = decision.write
    elif decision.note:
        out.notes.append(f"{target}: {decision.note}")


def _encode(value: object, mapping: Mapping) -> object:
    """Lists join with ';' (multi-select); HubSpot takes every value as a string."""
    if isinstance(value, list):
        value = ";".join(as_text(v) for v in value)
    if mapping.direction in HUBSPOT_DIRECTIONS:
        return hubspot_text(value)
    return value


def hubspot_text(value: object) -> str:
    """A value as HubSpot writes it: ``true``/``false``, plain decimals, strings unchanged."""
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text[:-2] if text.endswith(".0") else text
    return as_text(value)

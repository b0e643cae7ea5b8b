"""Checks of one rule against the live schema of its source(s) and target: types, picklist
values, lengths. Pure: they read ``FieldInfo`` values and record problems."""

from __future__ import annotations

from connector.errors import Severity
from connector.fieldmap.model import Direction, FieldRule, Scalar, value_key
from connector.fieldmap.schema import FieldInfo
from connector.fieldmap.transforms import TRANSFORMS, Kind, as_text, utf16_len
from connector.problems import Collector, did_you_mean

_SIMPLE = {
    "trim": lambda s: " ".join(s.split()),
    "lower": str.lower,
    "upper": str.upper,
    "title": str.title,
}
_CONVERT: dict[Direction, dict[Kind, str]] = {
    "lead": {"number": "number", "bool": "boolean", "date": "sf_date", "datetime": "sf_datetime"},
    "feedback": {
        "number": "number",
        "bool": "boolean",
        "date": "hs_date",
        "datetime": "hs_datetime",
    },
}


def scalar_kind(value: Scalar) -> Kind:
    if isinstance(value, bool):
        return "bool"
    return "number" if isinstance(value, int | float) else "text"


def value_kind(rule: FieldRule, sources: list[FieldInfo]) -> tuple[Kind, bool, str]:
    """(kind of the value sent, still in the source's encoding?, key that decided it)."""
    where = f"{rule.key}.target"
    if rule.constant is not None:
        kind, raw = scalar_kind(rule.constant), False
    elif len(sources) == 1:
        kind = sources[0].kind
        raw = sources[0].text_encoded or kind in ("date", "datetime")
    else:
        kind, raw = "text", False
    for spec in rule.transforms:
        produced = TRANSFORMS[spec.name].kind
        if produced is not None:
            kind, raw, where = produced, False, f"{rule.key}.transforms"
    if rule.value_map:
        kinds = {scalar_kind(v) for v in rule.value_map.values()}
        kind = kinds.pop() if len(kinds) == 1 else "text"
        raw, where = False, f"{rule.key}.value_map"
    return kind, raw, where


def check_type(
    rule: FieldRule,
    sources: list[FieldInfo],
    target: FieldInfo,
    direction: Direction,
    out: Collector,
) -> None:
    kind, raw, where = value_kind(rule, sources)
    wanted = target.kind
    convert = _CONVERT[direction].get(wanted)
    label = f"{target.name} ({target.type_label})"
    if wanted == "text":
        if target.is_picklist and kind in ("number", "date", "datetime"):
            out.error(
                where,
                f"type mismatch: a {kind} value into the picklist {label}",
                "map the values to picklist values with a value_map",
            )
        return
    if kind == wanted and not raw:
        return
    if kind == wanted:
        out.error(
            where,
            f"{label} needs typed values but {rule.source!r} arrives as a string",
            f'add the "{convert}" transform',
        )
    elif {kind, wanted} == {"date", "datetime"}:
        out.error(
            where,
            f"type mismatch: a {kind} value into the {wanted} field {label}",
            f'use the "{convert}" transform',
        )
    else:
        hint = f'add the "{convert}" transform if the values are {wanted}s' if convert else None
        out.error(where, f"type mismatch: {kind} -> {label}", hint)


def _simple_chain(rule: FieldRule) -> bool:
    return all(t.name in _SIMPLE for t in rule.transforms)


def source_values(rule: FieldRule, sources: list[FieldInfo]) -> list[str] | None:
    """The values a single picklist / enumeration / boolean source can produce after the chain,
    or None when unknown (free text, several sources, a chain that is not simple)."""
    if len(sources) != 1 or rule.constant is not None or not _simple_chain(rule):
        return None
    info = sources[0]
    options = ("true", "false") if info.kind == "bool" else info.options
    if options is None:
        return None
    values = list(options)
    for spec in rule.transforms:
        values = [_SIMPLE[spec.name](v) for v in values]
    return values


def fixed_values(rule: FieldRule) -> list[tuple[str, Scalar]]:
    """(key, value) of every value the rule itself may send: value map outputs, constant,
    default."""
    values = [(f"{rule.key}.value_map.{k}", v) for k, v in (rule.value_map or {}).items()]
    if rule.constant is not None:
        values.append((f"{rule.key}.constant", rule.constant))
    if rule.default is not None:
        values.append((f"{rule.key}.default", rule.default))
    return values


def check_values(
    rule: FieldRule, sources: list[FieldInfo], target: FieldInfo, out: Collector
) -> None:
    produced = source_values(rule, sources)
    if rule.value_map is not None:
        # an unrestricted Salesforce picklist holds any text: keys beyond its list are fine
        open_source = len(sources) == 1 and sources[0].system == "salesforce" \
            and not sources[0].restricted
        _check_value_map_keys(rule, produced, out, open_source=open_source)
        if not target.is_picklist and target.kind == "text":
            out.warning(
                f"{rule.key}.value_map",
                f"value_map on {target.name}, which is not a "
                "picklist: fine only if the mapped labels are intended",
            )
    if not target.is_picklist or target.options is None:
        return
    options = set(target.options)
    severity: Severity = "error" if target.closed else "warning"
    kind = "restricted picklist" if target.restricted else (
        "picklist (checked by the connector)" if target.checked else "picklist")
    for key, value in fixed_values(rule):
        if value_key(value) not in options:
            out.add(
                key,
                f"{value!r} is not a value of the {kind} {target.name}",
                _value_hint(value_key(value), target),
                severity=severity,
            )
    if rule.value_map is not None or rule.constant is not None:
        return
    if produced is None:
        if target.closed:
            out.warning(
                f"{rule.key}.target",
                f"free values into the {'restricted' if target.restricted else 'checked'} "
                f"{target.name}: values outside its picklist will be rejected",
                "add a value_map with an unmapped policy",
            )
        return
    missing = sorted({v for v in produced if v not in options})
    if missing:
        shown = ", ".join(repr(v) for v in missing[:6]) + (" ..." if len(missing) > 6 else "")
        out.add(
            f"{rule.key}.value_map",
            f"source values {shown} are not values of the {kind} {target.name}",
            "add a value_map",
            severity=severity,
        )


def _value_hint(value: str, target: FieldInfo) -> str:
    """The closest value and the list (when short), else how to add the value."""
    options = list(target.options or ())
    close = did_you_mean(value, options)
    if close and len(options) <= 12 and not close.startswith("one of"):
        return f"{close} (values: {', '.join(options)})"
    return close or _add_value_hint(target)


def _add_value_hint(target: FieldInfo) -> str:
    if target.system == "hubspot":
        return f"add the option to the HubSpot property {target.name}, or fix the value"
    return f"add the value to the {target.name} picklist in Salesforce, or fix the value"


def _check_value_map_keys(
    rule: FieldRule, produced: list[str] | None, out: Collector, *, open_source: bool = False
) -> None:
    if produced is None or rule.value_map is None:
        return
    for key in rule.value_map:
        if key not in produced and not open_source:
            out.warning(
                f"{rule.key}.value_map.{key}",
                f"{key!r} is never a value of {rule.source!r}",
                did_you_mean(key, produced),
            )
    uncovered = sorted(set(produced) - set(rule.value_map))
    if uncovered and rule.unmapped == "error":
        out.warning(
            f"{rule.key}.value_map",
            f"values {uncovered} have no entry: records with them will be dead-lettered",
            'map them, or set unmapped = "skip"',
        )


def check_length(
    rule: FieldRule, sources: list[FieldInfo], target: FieldInfo, out: Collector
) -> None:
    limit = target.length
    if limit is None:
        return
    for spec in rule.transforms:
        explicit = spec.option("length")
        too_long = isinstance(explicit, int) and explicit > limit
        if TRANSFORMS[spec.name].uses_target_length and too_long:
            out.error(
                f"{rule.key}.transforms",
                f"{spec.name} length {explicit} is longer than {target.name}'s {limit}",
                f"length = {limit}, or omit it",
            )
    for key, value in fixed_values(rule):
        if utf16_len(as_text(value)) > limit:
            out.error(
                key,
                f"{value!r} is longer than {target.name}'s {limit} characters",
                "shorten the value",
            )
    if rule.value_map is not None or rule.constant is not None:
        return
    if any(TRANSFORMS[t.name].uses_target_length for t in rule.transforms):
        return
    bound = _bound(rule, sources)
    if bound is None or bound > limit:
        size = "unbounded" if bound is None else f"up to {bound} characters"
        out.warning(
            f"{rule.key}.transforms",
            f"{rule.source!r} values ({size}) can exceed {target.name}'s {limit} characters",
            'add "truncate" (or "max_length" to dead-letter long values instead)',
        )


def _bound(rule: FieldRule, sources: list[FieldInfo]) -> int | None:
    lengths = [_source_bound(s) for s in sources]
    bound = None if any(x is None for x in lengths) else sum(x or 0 for x in lengths)
    for spec in rule.transforms:
        definition = TRANSFORMS[spec.name]
        if definition.max_length is not None:
            bound = definition.max_length
        elif spec.name == "join" and bound is not None:
            bound += len(str(spec.option("separator", " "))) * max(0, len(sources) - 1)
    return bound


def _source_bound(info: FieldInfo) -> int | None:
    if info.kind == "text":
        return info.length if info.system != "hubspot" or info.options else None
    return {"number": 24, "bool": 5, "date": 10, "datetime": 29}[info.kind]

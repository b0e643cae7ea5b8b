"""The parts of a rule that are small languages of their own: the transform chain (names,
options, direction) and the ``when`` condition. Checked offline; problems go to the collector."""

from __future__ import annotations

import phonenumbers

from connector.fieldmap.model import (
    CONDITION_OPS,
    Condition,
    Direction,
    TransformSpec,
    value_key,
)
from connector.fieldmap.transforms import COMMON_OPTIONS, OPTION_CHOICES, TRANSFORMS
from connector.problems import Collector, did_you_mean

_OPPOSITE = {"sf_date": "hs_date", "sf_datetime": "hs_datetime"}
_OPPOSITE |= {v: k for k, v in _OPPOSITE.items()}


def is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | bool)


def parse_transforms(
    key: str, raw: object, direction: Direction, sources: tuple[str, ...], out: Collector
) -> tuple[TransformSpec, ...]:
    tkey = f"{key}.transforms"
    if not isinstance(raw, list):
        out.error(tkey, "transforms must be a list", 'transforms = ["trim", "truncate"]')
        return ()
    specs: list[TransformSpec] = []
    for index, step in enumerate(raw, start=1):
        spec = _transform(tkey, index, step, direction, out)
        if spec is not None:
            specs.append(spec)
    names = [s.name for s in specs]
    if len(sources) > 1 and "join" not in names:
        out.error(
            f"{key}.source",
            "several sources need a join transform",
            'transforms = [{ name = "join", separator = " " }]',
        )
    if "join" in names and len(sources) < 2 and "split" not in names[: names.index("join")]:
        out.warning(tkey, "join has nothing to join: the rule has one source")
    return tuple(specs)


def _transform(
    tkey: str, index: int, step: object, direction: Direction, out: Collector
) -> TransformSpec | None:
    where = f"step {index}"
    if isinstance(step, str):
        name, options = step, {}
    elif isinstance(step, dict) and isinstance(step.get("name"), str):
        name, options = step["name"], {k: v for k, v in step.items() if k != "name"}
    else:
        out.error(tkey, f"{where}: a transform is a name or {{ name = ..., options }}")
        return None
    definition = TRANSFORMS.get(name)
    if definition is None:
        out.error(
            tkey,
            f"{where}: unknown transform {name!r}",
            did_you_mean(name, TRANSFORMS) or f"one of {sorted(TRANSFORMS)}",
        )
        return None
    if definition.direction and _system(definition.direction) != _system(direction):
        out.error(
            tkey,
            f"{where}: {name} writes {_system(definition.direction)} formats but this "
            f"is the {direction} mapping",
            f"use {_OPPOSITE.get(name, name)}",
        )
    allowed = {**definition.options, **COMMON_OPTIONS}
    ok = True
    for option, value in options.items():
        expected = allowed.get(option)
        if expected is None:
            out.error(
                tkey,
                f"{where}: {name} has no option {option!r}",
                did_you_mean(option, allowed) or f"options: {sorted(allowed)}",
            )
            ok = False
        elif type(value) is not expected:
            out.error(tkey, f"{where}: {name}.{option} must be a {expected.__name__}")
            ok = False
        elif not _option_ok(name, option, value):
            out.error(
                tkey,
                f"{where}: {name}.{option} = {value!r} is not valid",
                _option_hint(name, option),
            )
            ok = False
    return TransformSpec(name, tuple(sorted(options.items()))) if ok else None


def _system(direction: Direction) -> str:
    return "Salesforce" if direction == "lead" else "HubSpot"


def _option_ok(name: str, option: str, value: object) -> bool:
    if option == "length":
        return isinstance(value, int) and value > 0
    if option == "region":
        return isinstance(value, str) and value.upper() in phonenumbers.SUPPORTED_REGIONS
    if option == "separator":
        return isinstance(value, str) and value != ""
    choices = OPTION_CHOICES.get((name, option))
    return choices is None or value in choices


def _option_hint(name: str, option: str) -> str:
    hints = {
        "length": "a positive number of characters",
        "region": "an ISO code such as US",
        "separator": "a non-empty string",
    }
    choices = OPTION_CHOICES.get((name, option))
    return f"one of {list(choices)}" if choices else hints.get(option, "")


def parse_condition(key: str, raw: object, out: Collector) -> Condition | None:
    if raw is None:
        return None
    wkey = f"{key}.when"
    ops = [op for op in CONDITION_OPS if isinstance(raw, dict) and op in raw]
    if not isinstance(raw, dict) or not isinstance(raw.get("source"), str) or len(ops) != 1:
        out.error(
            wkey,
            "when needs a source and exactly one of equals / in / not_in / present",
            'when = { source = "Lead.Status", not_in = ["Open - Not Contacted"] }',
        )
        return None
    op, value = ops[0], raw[ops[0]]
    extra = set(raw) - {"source", op}
    if extra:
        out.error(wkey, f"unknown keys in when: {sorted(extra)}")
    if op == "present":
        if not isinstance(value, bool):
            out.error(wkey, "present must be true or false")
            return None
        return Condition(raw["source"], "present", (value_key(value),))
    values = value if isinstance(value, list) else [value]
    if (op != "equals" and not isinstance(value, list)) or not all(map(is_scalar, values)):
        out.error(wkey, f"{op} needs {'a value' if op == 'equals' else 'a list of values'}")
        return None
    return Condition(raw["source"], op, tuple(value_key(v) for v in values))

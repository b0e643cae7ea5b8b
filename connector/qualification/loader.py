"""``mappings/qualification.toml`` -> ``Definition``, or ``ConfigError`` listing every problem.

Each section is checked independently so one run reports all the mistakes in the file, each with
its key path (``criteria.pricing_visits.condition.op``) and line. Warnings (a criterion worth
zero points, a handoff no score can reach...) do not stop loading; they are kept on
``Definition.warnings`` for the CLI to show.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from connector.errors import ConfigError, Problem
from connector.qualification.condition_parser import (
    ConditionContext,
    parse_condition,
    property_suggestion,
)
from connector.qualification.definition import (
    DIMENSION_KINDS,
    Condition,
    Criterion,
    Decay,
    Definition,
    Dimension,
    DimensionKind,
    Gate,
    PointsTable,
)
from connector.qualification.grade_rules import check_grades, parse_grades, parse_handoff
from connector.qualification.points_tables import TABLE_KINDS, parse_points_table
from connector.qualification.problems import Problems, did_you_mean, join

TOP_KEYS = ("version", "description", "lists", "missing_values", "dimensions", "gates",
            "criteria", "grades", "handoff")
DIMENSION_KEYS = ("kind", "cap", "label", "description")
GATE_KEYS = ("label", "description", "condition")
CRITERION_KEYS = ("dimension", "points", "label", "description", "condition", "decay",
                  *TABLE_KINDS)
PLURALS = {"criterion": "criteria", "gate": "gates"}


@dataclass(frozen=True)
class PullSource:
    """Where the list of pulled properties comes from, for the problem of a property it lacks:
    config.toml's pull (an error), or an exported file checked offline (a warning)."""

    fix: str = "add it to [hubspot] properties in config.toml"
    absent: str = "which the pull does not request"
    severity: Literal["error", "warning"] = "error"


CONFIG_PULL = PullSource()
DECAY_KEYS = ("half_life_days", "timestamp")
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
_TOML_TWICE = re.compile(r"Cannot declare \((.*?)\) twice")


def load_definition(path: str | os.PathLike[str], *,
                    pulled_properties: Collection[str] | None = None,
                    pulled_from: PullSource = CONFIG_PULL) -> Definition:
    """Read and validate a definition file; raise ``ConfigError`` with every problem found.
    ``pulled_from`` says where ``pulled_properties`` come from (for the fix of a property the
    pull does not request)."""
    file = str(path)
    try:
        text = Path(file).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([Problem(file, "", f"cannot read the definition: {exc.strerror}")]
                          ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(file, "", f"not UTF-8 text (byte {exc.start}: {exc.reason}); "
                                             "TOML files must be UTF-8")]) from None
    return parse_definition(text, file=file, pulled_properties=pulled_properties,
                            pulled_from=pulled_from)


def parse_definition(text: str, *, file: str = "<definition>",
                     pulled_properties: Collection[str] | None = None,
                     pulled_from: PullSource = CONFIG_PULL) -> Definition:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([_syntax_problem(file, str(exc))]) from None
    problems = Problems(file, text)
    pulled = None if pulled_properties is None else frozenset(pulled_properties)
    definition = _build(data, problems, pulled, file, pulled_from)
    ConfigError.raise_if_any(problems.items)
    assert definition is not None  # no errors -> every part was built
    return definition


def _syntax_problem(file: str, message: str) -> Problem:
    position = _TOML_POSITION.search(message)
    line = int(position.group(1)) if position else None
    twice = _TOML_TWICE.search(message)
    if twice:
        key = ".".join(part.strip(" '\"") for part in twice.group(1).split(",") if part.strip())
        return Problem(file, key, f"{key!r} is defined twice (ids must be unique)", line=line,
                       suggestion="rename or merge the two tables")
    return Problem(file, "", f"invalid TOML: {message}", line=line)


def _build(data: dict[str, Any], problems: Problems, pulled: frozenset[str] | None,
           file: str, pulled_from: PullSource) -> Definition | None:
    problems.unknown_keys(data, TOP_KEYS, "")
    version = problems.string(data.get("version"), "version")
    lists = _lists(data.get("lists", {}), problems)
    missing_values = _missing_values(data.get("missing_values", []), problems)
    unpulled: dict[str, list[tuple[str, str]]] = {}
    dimensions = _dimensions(data.get("dimensions"), problems)
    declared = data.get("dimensions")
    # every declared name counts, even one with a mistake of its own: no cascade of errors
    names = set(declared) if isinstance(declared, dict) else {d.name for d in dimensions}
    gates = _gates(data.get("gates", {}), lists, pulled, unpulled, problems)
    criteria = _criteria(data.get("criteria"), names, lists, pulled, unpulled, problems)
    _report_unpulled(unpulled, pulled or frozenset(), pulled_from, problems)
    grades = parse_grades(data.get("grades"), problems)
    declared_criteria = data.get("criteria")
    criterion_ids = (set(declared_criteria) if isinstance(declared_criteria, dict)
                     else {c.id for c in criteria})
    handoff = parse_handoff(data.get("handoff"), {g.name for g in grades}, names, problems,
                            criterion_ids)
    if grades and dimensions:
        check_grades(grades, dimensions, criteria, handoff, problems)
    if problems.errors or version is None or handoff is None:
        return None
    return Definition(version=version, dimensions=tuple(dimensions), gates=tuple(gates),
                      criteria=tuple(criteria), grades=tuple(grades), handoff=handoff,
                      missing_values=missing_values, source=file, warnings=tuple(problems.warnings))


def _lists(raw: Any, problems: Problems) -> dict[str, tuple[str, ...]]:
    table = problems.table(raw, "lists")
    out: dict[str, tuple[str, ...]] = {}
    for name, values in (table or {}).items():
        parsed = problems.strings(values, join("lists", name))
        if parsed is not None:
            if not parsed:
                problems.warning(join("lists", name), "is empty")
            out[name] = parsed
    return out


def _missing_values(raw: Any, problems: Problems) -> tuple[str, ...]:
    """``missing_values = ["Select", "N/A"]``: values every operator treats as absent."""
    values = problems.strings(raw, "missing_values")
    for i, value in enumerate(values or ()):
        if not value.strip():
            problems.error(f"missing_values[{i}]", "a blank value is already missing",
                           "list only placeholders such as \"Select\" or \"N/A\"")
    return tuple(values or ())


def _report_unpulled(unpulled: dict[str, list[tuple[str, str]]], pulled: frozenset[str],
                     pulled_from: PullSource, problems: Problems) -> None:
    """One error per property the pull does not request, naming every rule that reads it."""
    for name, reads in unpulled.items():
        owners = list(dict.fromkeys(owner for owner, _ in reads))
        by_kind: dict[str, list[str]] = {}
        for owner in owners:
            kind, _, name_ = owner.partition(" ")
            by_kind.setdefault(kind, []).append(name_)
        who = " and ".join(
            f"{kind} {names[0]}" if len(names) == 1 else
            f"{PLURALS.get(kind, kind)} {', '.join(names[:-1])} and {names[-1]}"
            for kind, names in by_kind.items())
        verb = "reads" if len(owners) == 1 else "read"
        report = problems.error if pulled_from.severity == "error" else problems.warning
        report(reads[0][1], f"{who} {verb} property {name!r} {pulled_from.absent}",
               property_suggestion(name, pulled, pulled_from.fix))


def _dimensions(raw: Any, problems: Problems) -> list[Dimension]:
    if raw is None:
        problems.error("dimensions", "is required: at least one [dimensions.NAME] table")
        return []
    out: list[Dimension] = []
    for name, body in (problems.table(raw, "dimensions") or {}).items():
        key = join("dimensions", name)
        table = problems.table(body, key)
        if table is None:
            continue
        problems.unknown_keys(table, DIMENSION_KEYS, key)
        kind = problems.string(table.get("kind"), join(key, "kind"))
        if kind is not None and kind not in DIMENSION_KINDS:
            problems.error(join(key, "kind"), f"must be 'fit' or 'engagement', got {kind!r}",
                           did_you_mean(kind, DIMENSION_KINDS))
            kind = None
        cap = problems.number(table.get("cap"), join(key, "cap"), required=False)
        if cap is not None and cap < 0:
            problems.error(join(key, "cap"), f"cap must not be below zero, got {cap:g}")
        label = problems.string(table.get("label", name), join(key, "label")) or name
        if kind is not None:
            out.append(Dimension(name, cast(DimensionKind, kind), cap, label))
    if raw is not None and not out and not problems.errors:
        problems.error("dimensions", "declare at least one dimension")
    return out


def _gates(raw: Any, lists: dict[str, tuple[str, ...]], pulled: frozenset[str] | None,
           unpulled: dict[str, list[tuple[str, str]]], problems: Problems) -> list[Gate]:
    out: list[Gate] = []
    for gate_id, body in (problems.table(raw, "gates") or {}).items():
        key = join("gates", gate_id)
        table = problems.table(body, key)
        if table is None:
            continue
        problems.unknown_keys(table, GATE_KEYS, key)
        label = problems.string(table.get("label", _label(gate_id)), join(key, "label"))
        ctx = ConditionContext(lists, pulled, f"gate {gate_id}", unpulled)
        condition = _condition(table, key, ctx, problems)
        if condition is not None and label is not None:
            out.append(Gate(gate_id, label, condition))
    return out


def _criteria(raw: Any, dimensions: set[str], lists: dict[str, tuple[str, ...]],
              pulled: frozenset[str] | None, unpulled: dict[str, list[tuple[str, str]]],
              problems: Problems) -> list[Criterion]:
    if raw is None:
        problems.error("criteria", "is required: at least one [criteria.ID] table")
        return []
    out: list[Criterion] = []
    seen: dict[str, str] = {}
    for criterion_id, body in (problems.table(raw, "criteria") or {}).items():
        key = join("criteria", criterion_id)
        folded = criterion_id.casefold().replace("-", "_")
        if folded in seen:
            problems.error(key, f"duplicate criterion id: {criterion_id!r} and "
                           f"{seen[folded]!r} differ only by case or dashes")
        seen[folded] = criterion_id
        table = problems.table(body, key)
        if table is None:
            continue
        problems.unknown_keys(table, CRITERION_KEYS, key)
        dimension = problems.string(table.get("dimension"), join(key, "dimension"))
        if dimension is not None and dimension not in dimensions:
            problems.error(join(key, "dimension"), f"unknown dimension {dimension!r}",
                           did_you_mean(dimension, dimensions))
        label = problems.string(table.get("label", _label(criterion_id)), join(key, "label"))
        ctx = ConditionContext(lists, pulled, f"criterion {criterion_id}", unpulled)
        kinds = [k for k in TABLE_KINDS if k in table]
        points_table: PointsTable | None = None
        condition: Condition | None = None
        if kinds:
            points, points_table, ok = _table_points(table, kinds, key, ctx, problems)
            if "condition" in table:
                condition = _condition(table, key, ctx, problems)
                ok = ok and condition is not None
        else:
            points = problems.number(table.get("points"), join(key, "points"))
            condition = _condition(table, key, ctx, problems)
            ok = condition is not None
        if points == 0:
            problems.warning(join(key, "points"), "0 points: this criterion never changes a score")
        decay = _decay(table.get("decay"), join(key, "decay"), ctx, problems)
        if None in (dimension, points, label) or not ok or decay is False:
            continue
        out.append(Criterion(criterion_id, cast(str, dimension), cast(float, points),
                             cast(str, label), condition,
                             decay if isinstance(decay, Decay) else None, points_table))
    return out


def _table_points(table: dict[str, Any], kinds: list[str], key: str, ctx: ConditionContext,
                  problems: Problems) -> tuple[float | None, PointsTable | None, bool]:
    """A criterion's ``points_by_value`` / ``points_by_band``: (most points, table, ok)."""
    if len(kinds) > 1 or "points" in table:
        both = [k for k in ("points", *TABLE_KINDS) if k in table]
        problems.error(join(key, kinds[0]), f"give one of {' / '.join(both)}, not both: "
                       "points are either fixed or read from a table",
                       f"keep {kinds[0]} and remove {both[0] if both[0] != kinds[0] else both[1]}")
        return None, None, False
    parsed = parse_points_table(kinds[0], table[kinds[0]], join(key, kinds[0]), ctx, problems)
    if parsed is None:
        return None, None, False
    return max(parsed.all_points(), key=abs), parsed, True


def _condition(table: dict[str, Any], key: str, ctx: ConditionContext, problems: Problems
               ) -> Condition | None:
    if "condition" not in table:
        problems.error(join(key, "condition"), "is required",
                       'condition = { property = "...", op = "...", ... }')
        return None
    return parse_condition(table["condition"], join(key, "condition"), ctx, problems)


def _decay(raw: Any, key: str, ctx: ConditionContext, problems: Problems) -> Decay | bool:
    """``Decay``, ``True`` when absent, ``False`` when wrong (already reported)."""
    if raw is None:
        return True
    table = problems.table(raw, key)
    if table is None:
        return False
    problems.unknown_keys(table, DECAY_KEYS, key)
    half_life = problems.number(table.get("half_life_days"), join(key, "half_life_days"))
    if half_life is not None and half_life <= 0:
        problems.error(join(key, "half_life_days"), f"half-life must be positive, got "
                       f"{half_life:g}", "a number of days such as 14")
        half_life = None
    stamp = problems.string(table.get("timestamp"), join(key, "timestamp"))
    if stamp is not None and ctx.pulled is not None and stamp not in ctx.pulled:
        if ctx.unpulled is not None:
            ctx.unpulled.setdefault(stamp, []).append((ctx.owner, join(key, "timestamp")))
        else:
            problems.error(join(key, "timestamp"), f"{ctx.owner} reads property {stamp!r} "
                           "which the pull does not request",
                           property_suggestion(stamp, ctx.pulled))
        stamp = None
    if half_life is None or stamp is None:
        return False
    return Decay(half_life, stamp)


def _label(identifier: str) -> str:
    return identifier.replace("_", " ").replace("-", " ")

"""The qualification definition as immutable values.

A ``Definition`` is what ``loader.load_definition`` builds from ``mappings/qualification.toml``
after every check has passed. It holds the rules only; evaluating them is ``engine.qualify``'s
job. Two derived attributes are computed once, here:

- ``properties``: every HubSpot contact property the rules read (conditions and decay stamps);
- ``hash``: a content hash of the *normalised* rules, so reordering keys, reformatting or
  editing comments leaves it unchanged while any change in behaviour changes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from connector.errors import Problem

DimensionKind = Literal["fit", "engagement"]
DIMENSION_KINDS: tuple[str, ...] = ("fit", "engagement")

# operator -> the operand keys it requires (``in``/``not_in`` also accept ``list`` for ``values``)
OPERATORS: dict[str, tuple[str, ...]] = {
    "equals": ("value",),
    "in": ("values",),
    "not_in": ("values",),
    "matches": ("pattern",),
    "contains": ("value",),
    "exists": (),
    "missing": (),
    "gte": ("value",),
    "lte": ("value",),
    "between": ("min", "max"),
    "within_days": ("days",),
    "older_than_days": ("days",),
}
COMBINATORS: tuple[str, ...] = ("all", "any", "none")


@dataclass(frozen=True)
class Leaf:
    """One test on one contact property. Unused operand fields stay ``None`` / empty."""

    property: str
    op: str
    value: str | float | bool | None = None
    values: tuple[str, ...] = ()
    pattern: str | None = None
    low: float | None = None
    high: float | None = None
    days: float | None = None
    ignore_case: bool = True
    normalize: str | None = None


@dataclass(frozen=True)
class Combinator:
    """``all`` (every child holds), ``any`` (at least one) or ``none`` (no child holds)."""

    kind: Literal["all", "any", "none"]
    conditions: tuple[Condition, ...]


Condition = Leaf | Combinator


def iter_leaves(condition: Condition) -> Iterator[Leaf]:
    if isinstance(condition, Leaf):
        yield condition
        return
    for child in condition.conditions:
        yield from iter_leaves(child)


@dataclass(frozen=True)
class Decay:
    """Points halve every ``half_life_days`` after the date held in property ``timestamp``."""

    half_life_days: float
    timestamp: str


@dataclass(frozen=True)
class Dimension:
    name: str
    kind: DimensionKind
    cap: float | None = None
    label: str = ""


@dataclass(frozen=True)
class Gate:
    id: str
    label: str
    condition: Condition


@dataclass(frozen=True)
class PointsTable:
    """Points read from one property's value instead of one fixed amount.

    ``kind = "value"``: ``entries`` maps each listed value (as written) to its points;
    ``kind = "band"``: ``bands`` holds ``(min, max, points)`` numeric bands, ``min`` included,
    ``max`` excluded, either end open (``None``). ``otherwise`` (TOML ``else``) gives the points
    of a present value that no entry matches; a missing value never scores."""

    property: str
    kind: Literal["value", "band"]
    entries: tuple[tuple[str, float], ...] = ()
    bands: tuple[tuple[float | None, float | None, float], ...] = ()
    otherwise: float | None = None
    ignore_case: bool = True
    normalize: str | None = None

    def all_points(self) -> tuple[float, ...]:
        points = [p for _, p in self.entries] + [p for _, _, p in self.bands]
        return tuple(points + ([] if self.otherwise is None else [self.otherwise]))


@dataclass(frozen=True)
class Criterion:
    """Fires with ``points`` when ``condition`` holds; with a ``table``, the points come from
    the table (``points`` then holds the most it can give) and ``condition``, when not
    ``None``, must hold as well."""

    id: str
    dimension: str
    points: float
    label: str
    condition: Condition | None
    decay: Decay | None = None
    table: PointsTable | None = None

    @property
    def properties(self) -> frozenset[str]:
        names = set() if self.condition is None else {
            leaf.property for leaf in iter_leaves(self.condition)}
        if self.decay is not None:
            names.add(self.decay.timestamp)
        if self.table is not None:
            names.add(self.table.property)
        return frozenset(names)

    @property
    def point_range(self) -> tuple[float, float]:
        """The lowest and the highest points this criterion can add (0 when it does not fire)."""
        points = (self.points,) if self.table is None else self.table.all_points()
        return min(0.0, *points), max(0.0, *points)


@dataclass(frozen=True)
class Grade:
    """A band of the score: ``min <= score < max``; the hottest band also includes its ``max``.
    ``min`` is ``None`` only on the coldest band and ``max`` only on the hottest (open ends)."""

    name: str
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class HandoffRule:
    """A lead is handed off when every gate passes, its grade is in ``grades`` (when given), its
    score reaches ``min_score`` (when given), at least one ``require_any`` dimension scores and
    every ``require_all`` dimension scores (a dimension "scores" when it is above zero)."""

    grades: tuple[str, ...] = ()
    min_score: float | None = None
    require_any: tuple[str, ...] = ()
    require_all: tuple[str, ...] = ()
    require_criteria: tuple[str, ...] = ()  # criteria ids that must all have fired
    alternatives: tuple[HandoffRule, ...] = ()  # ``[[handoff.or]]``: any one of them suffices

    def canonical(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "grades": sorted(self.grades),
            "min_score": _num(self.min_score),
            "require_any": sorted(self.require_any),
            "require_all": sorted(self.require_all),
        }
        if self.require_criteria:  # keys added only when used: older hashes stay the same
            out["require_criteria"] = sorted(self.require_criteria)
        if self.alternatives:
            out["or"] = sorted((alt.canonical() for alt in self.alternatives),
                               key=lambda c: json.dumps(c, sort_keys=True))
        return out


@dataclass(frozen=True)
class Definition:
    version: str
    dimensions: tuple[Dimension, ...]
    gates: tuple[Gate, ...]
    criteria: tuple[Criterion, ...]
    grades: tuple[Grade, ...]
    handoff: HandoffRule
    missing_values: tuple[str, ...] = ()  # values that count as absent (``"Select"``...)
    source: str = field(default="", compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    hash: str = field(init=False, compare=False)
    properties: frozenset[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
        object.__setattr__(self, "hash", hashlib.sha256(text.encode()).hexdigest()[:16])
        names: set[str] = set()
        for gate in self.gates:
            names.update(leaf.property for leaf in iter_leaves(gate.condition))
        for criterion in self.criteria:
            names.update(criterion.properties)
        object.__setattr__(self, "properties", frozenset(names))

    @property
    def grade_names(self) -> tuple[str, ...]:
        return tuple(grade.name for grade in self.grades)

    def dimension(self, name: str) -> Dimension:
        return next(d for d in self.dimensions if d.name == name)

    def canonical(self) -> dict[str, Any]:
        """The rules as plain data, independent of layout, key order and the version label."""
        out = {
            "dimensions": {
                d.name: {"kind": d.kind, "cap": _num(d.cap), "label": d.label}
                for d in self.dimensions
            },
            "gates": {
                g.id: {"label": g.label, "condition": _canon(g.condition)} for g in self.gates
            },
            "criteria": {
                c.id: {
                    "dimension": c.dimension,
                    "points": _num(c.points),
                    "label": c.label,
                    "condition": None if c.condition is None else _canon(c.condition),
                    "decay": None if c.decay is None else
                    [_num(c.decay.half_life_days), c.decay.timestamp],
                    **({} if c.table is None else {"table": _canon_table(c.table)}),
                }
                for c in self.criteria
            },
            "grades": [[g.name, _num(g.min), _num(g.max)] for g in self.grades],
            "handoff": self.handoff.canonical(),
        }
        if self.missing_values:
            out["missing_values"] = sorted({v.strip().casefold() for v in self.missing_values})
        return out


def _num(value: float | None) -> float | None:
    return None if value is None else float(value)


def _canon_table(table: PointsTable) -> dict[str, Any]:
    return {
        "property": table.property,
        "kind": table.kind,
        "entries": sorted([value, float(points)] for value, points in table.entries),
        "bands": [[_num(low), _num(high), float(points)] for low, high, points in table.bands],
        "else": _num(table.otherwise),
        "ignore_case": table.ignore_case,
        "normalize": table.normalize,
    }


def _canon(condition: Condition) -> Any:
    if isinstance(condition, Combinator):
        children = sorted(
            (_canon(c) for c in condition.conditions),
            key=lambda c: json.dumps(c, sort_keys=True),
        )
        return {condition.kind: children}
    leaf = condition
    out: dict[str, Any] = {"property": leaf.property, "op": leaf.op}
    if leaf.value is not None:
        out["value"] = leaf.value if isinstance(leaf.value, bool | str) else float(leaf.value)
    if leaf.values:
        out["values"] = sorted(set(leaf.values))
    for key, val in (("pattern", leaf.pattern), ("normalize", leaf.normalize)):
        if val is not None:
            out[key] = val
    for key, num in (("min", leaf.low), ("max", leaf.high), ("days", leaf.days)):
        if num is not None:
            out[key] = float(num)
    if leaf.op in ("equals", "in", "not_in", "matches", "contains"):
        out["ignore_case"] = leaf.ignore_case
    return out

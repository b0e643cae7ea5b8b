"""A ``Definition`` compiled for speed: closures, dispatch tables and memoised results.

Built once per definition (``Definition.compiled``) and used by ``engine.qualify``:

- criteria whose condition is a single ``equals`` / ``in`` test share one *switch* per property:
  one dictionary lookup per contact finds every such criterion that fires (``purchase_timeline``
  drives four criteria with one lookup);
- every other condition is a closure (``conditions.compile_condition``);
- a passing gate and a criterion without decay yield the same immutable result object for every
  contact; a decayed criterion's result is memoised per whole day of age.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from connector.qualification.conditions import (
    Facts,
    Predicate,
    compile_condition,
    describe_values,
    prepare_text,
    shown_properties,
)
from connector.qualification.decision import CriterionHit, GateResult
from connector.qualification.definition import Criterion, Definition, Leaf

LN2 = math.log(2.0)
MEMO_LIMIT = 1024  # distinct ages (days) remembered per decayed criterion
Switch = Callable[[Facts], tuple[int, ...]]


@dataclass(frozen=True)
class CompiledGate:
    name: str
    label: str
    predicate: Predicate
    passed: GateResult
    shown: tuple[tuple[str, str | None], ...]  # what a failure reason quotes

    def failed(self, props: Mapping[str, str | None]) -> GateResult:
        return GateResult(self.name, False,
                          f"{self.label}: failed ({describe_values(self.shown, props)})")


@dataclass(frozen=True)
class CompiledCriterion:
    dimension_index: int
    points: float
    hit: CriterionHit  # the result when it fires without decay
    decay_property: str | None
    half_life_days: float
    memo: dict[int, CriterionHit | None] = field(default_factory=dict, compare=False)

    def decayed(self, days: int) -> CriterionHit | None:
        """The result ``days`` whole days after the behaviour; ``None`` when it rounds to 0."""
        try:
            return self.memo[days]
        except KeyError:
            pass
        factor = math.exp(-LN2 * days / self.half_life_days)
        points = round(self.points * factor, 2)
        hit = self.hit
        when = "today" if days == 0 else f"{days}d ago"
        result = None if points == 0 else CriterionHit(
            hit.criterion, hit.dimension, points, self.points, round(factor, 4),
            f"{hit.reason} {when}")
        if len(self.memo) < MEMO_LIMIT:
            self.memo[days] = result
        return result


@dataclass(frozen=True)
class CompiledDefinition:
    gates: tuple[CompiledGate, ...]
    criteria: tuple[CompiledCriterion, ...]
    switches: tuple[Switch, ...]
    generic: tuple[tuple[int, Predicate], ...]  # (criterion index, predicate)
    dimension_rows: tuple[tuple[str, float, bool], ...]  # (name, cap or inf, is fit)
    bands: tuple[tuple[str, float, float], ...]  # (name, low, high); open ends are -inf / inf
    handoff: Callable[[str, float, dict[str, float]], bool]


def compile_definition(definition: Definition) -> CompiledDefinition:
    index = {d.name: i for i, d in enumerate(definition.dimensions)}
    gates = tuple(
        CompiledGate(g.id, g.label, compile_condition(g.condition),
                     GateResult(g.id, True, g.label), shown_properties(g.condition))
        for g in definition.gates
    )
    criteria = tuple(_compile_criterion(c, index[c.dimension]) for c in definition.criteria)
    switched: dict[tuple[str, str | None, bool], list[tuple[int, Leaf]]] = {}
    generic: list[tuple[int, Predicate]] = []
    for i, criterion in enumerate(definition.criteria):
        leaf = criterion.condition
        if isinstance(leaf, Leaf) and _switchable(leaf):
            switched.setdefault((leaf.property, leaf.normalize, leaf.ignore_case), []).append(
                (i, leaf))
        else:
            generic.append((i, compile_condition(criterion.condition)))
    return CompiledDefinition(
        gates=gates,
        criteria=criteria,
        switches=tuple(_switch(members) for members in switched.values()),
        generic=tuple(generic),
        dimension_rows=tuple(
            (d.name, math.inf if d.cap is None else float(d.cap), d.kind == "fit")
            for d in definition.dimensions
        ),
        bands=tuple(
            (g.name, -math.inf if g.min is None else float(g.min),
             math.inf if g.max is None else float(g.max))
            for g in definition.grades
        ),
        handoff=_compile_handoff(definition),
    )


def _compile_criterion(criterion: Criterion, dimension_index: int) -> CompiledCriterion:
    points = float(criterion.points)
    return CompiledCriterion(
        dimension_index=dimension_index,
        points=points,
        hit=CriterionHit(criterion.id, criterion.dimension, points, points, 1.0, criterion.label),
        decay_property=criterion.decay.timestamp if criterion.decay else None,
        half_life_days=criterion.decay.half_life_days if criterion.decay else math.inf,
    )


def _switchable(leaf: Leaf) -> bool:
    return leaf.op == "in" or (leaf.op == "equals" and isinstance(leaf.value, str | bool))


def _switch(members: list[tuple[int, Leaf]]) -> Switch:
    first = members[0][1]
    name = first.property
    prepare = prepare_text(first, fold=first.ignore_case)
    table: dict[str, list[int]] = {}
    for i, leaf in members:
        values = leaf.values if leaf.op == "in" else (_as_text(leaf.value),)
        for value in {prepare(v.strip()) for v in values if v.strip()}:
            table.setdefault(value, []).append(i)
    frozen = {value: tuple(indices) for value, indices in table.items()}
    empty: tuple[int, ...] = ()

    def switch(facts: Facts) -> tuple[int, ...]:
        value = facts.props.get(name)
        if not value:
            return empty
        return frozen.get(prepare(value.strip()), empty)

    return switch


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _compile_handoff(definition: Definition) -> Callable[[str, float, dict[str, float]], bool]:
    rule = definition.handoff
    grades = frozenset(rule.grades)
    min_score = rule.min_score

    def hands_off(grade: str, score: float, dimensions: dict[str, float]) -> bool:
        if grades and grade not in grades:
            return False
        if min_score is not None and score < min_score:
            return False
        if rule.require_any and not any(dimensions[d] > 0 for d in rule.require_any):
            return False
        return all(dimensions[d] > 0 for d in rule.require_all)

    return hands_off

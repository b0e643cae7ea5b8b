"""A ``Definition`` compiled for speed into one generated Python function.

Built once per definition (``compiled(definition)``) and called by ``engine.qualify`` once per
contact, the function (``CompiledDefinition.source`` shows it) does all the scoring with local
variables and no interpretation:

1. a prelude reads each property once (``conditions.ConditionCompiler``);
2. each gate is a boolean expression;
3. each criterion is an ``if`` adding its points to its dimension's sum and its result to the
   fired list; a result without decay is one immutable object shared by every contact, a
   decayed one is memoised per whole day of age (``CompiledCriterion.at``). A points table
   (``points_by_value`` / ``points_by_band``) is a dict lookup or a band search giving one
   such result per entry;
4. caps, fit / engagement sums, the grade (an ``if`` chain over the bands) and the handoff rule
   (its alternatives joined by ``or``; a criterion it names sets a flag when it fires) are
   written out for this definition's dimensions, bands and rule.

Points are counted in integer hundredths, so sums are exact and need no rounding: every score
is a number of points with at most two decimals.

The generated source holds no text from the definition: names, labels and values are bound as
constants (see ``conditions``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from connector.qualification.conditions import ConditionCompiler, prepare_text
from connector.qualification.decision import CriterionHit, GateResult
from connector.qualification.definition import (
    Criterion,
    Definition,
    HandoffRule,
    Leaf,
    PointsTable,
)
from connector.qualification.facts import age_days
from connector.qualification.points_tables import band_label
from connector.qualification.reasons import Shown, describe_values, shown_properties

LN2 = math.log(2.0)
MEMO_LIMIT = 1024  # distinct ages (days) remembered per decayed criterion
# (props, now_ts, ages) -> (all gates passed, each gate's result, fired, dimensions, fit,
#                           engagement, score, grade, qualified)
Evaluate = Callable[[Mapping[str, str | None], float, dict[str, float | None]], tuple[Any, ...]]


@dataclass(frozen=True)
class CompiledGate:
    name: str
    label: str
    passed: GateResult
    shown: Shown  # what a failure reason quotes
    missing: frozenset[str] = frozenset()  # the definition's missing_values, case-folded

    def failed(self, props: Mapping[str, str | None]) -> GateResult:
        seen = describe_values(self.shown, props, self.missing)
        return GateResult(self.name, False, f"{self.label}: failed ({seen})")


@dataclass(frozen=True)
class CompiledCriterion:
    centi: int  # points in hundredths
    hit: CriterionHit  # the result when it fires without decay
    decay_property: str | None
    half_life_days: float
    memo: dict[int, tuple[CriterionHit, int] | None] = field(default_factory=dict,
                                                           compare=False)

    def at(self, props: Mapping[str, str | None], now_ts: float,
           ages: dict[str, float | None]) -> tuple[CriterionHit, int] | None:
        """The decayed result for this contact and its points in hundredths; ``None`` without a
        readable timestamp or when the points round to 0."""
        age = age_days(props, self.decay_property or "", now_ts, ages)
        return None if age is None else self.decayed(int(age))

    def decayed(self, days: int) -> tuple[CriterionHit, int] | None:
        try:
            return self.memo[days]
        except KeyError:
            pass
        factor = math.exp(-LN2 * days / self.half_life_days)
        centi = round(self.centi * factor)
        hit = self.hit
        when = "today" if days == 0 else f"{days}d ago"
        result = None if centi == 0 else (CriterionHit(
            hit.criterion, hit.dimension, centi / 100, hit.base_points, round(factor, 4),
            f"{hit.reason} {when}"), centi)
        if len(self.memo) < MEMO_LIMIT:
            self.memo[days] = result
        return result


@dataclass(frozen=True)
class CompiledDefinition:
    evaluate: Evaluate
    gates: tuple[CompiledGate, ...]
    criteria: tuple[CompiledCriterion, ...]
    all_gates_passed: tuple[GateResult, ...]  # the gates' results when every one passes

    @property
    def source(self) -> str:
        """The generated code, for debugging."""
        return str(getattr(self.evaluate, "source", ""))


def centi(points: float) -> int:
    """Points in integer hundredths: ``12.5`` -> ``1250``."""
    return round(points * 100)


_KEPT = "_compiled"


def compiled(definition: Definition) -> CompiledDefinition:
    """The rules turned into closures, built once per definition and kept on it (a definition
    is frozen; the compiled form lives in its ``__dict__`` as a cached property would)."""
    kept = vars(definition)
    rules = kept.get(_KEPT)
    if rules is None:
        rules = kept[_KEPT] = compile_definition(definition)
    return rules


def compile_definition(definition: Definition) -> CompiledDefinition:
    missing = frozenset(v.strip().casefold() for v in definition.missing_values)
    gates = tuple(
        CompiledGate(g.id, g.label, GateResult(g.id, True, g.label), shown_properties(g.condition),
                     missing)
        for g in definition.gates
    )
    criteria = tuple(_compile_criterion(c) for c in definition.criteria)
    return CompiledDefinition(
        evaluate=_generate(definition, criteria),
        gates=gates,
        criteria=criteria,
        all_gates_passed=tuple(gate.passed for gate in gates),
    )


def _compile_criterion(criterion: Criterion, points: float | None = None,
                       reason: str | None = None) -> CompiledCriterion:
    """The criterion firing with ``points`` (default: its own) and ``reason`` (its label)."""
    hundredths = centi(criterion.points if points is None else points)
    exact = hundredths / 100
    return CompiledCriterion(
        centi=hundredths,
        hit=CriterionHit(criterion.id, criterion.dimension, exact, exact, 1.0,
                         criterion.label if reason is None else reason),
        decay_property=criterion.decay.timestamp if criterion.decay else None,
        half_life_days=criterion.decay.half_life_days if criterion.decay else math.inf,
    )


def _table_lookup(criterion: Criterion, table: PointsTable, code: ConditionCompiler) -> str:
    """An expression giving the ``CompiledCriterion`` a table awards this contact, or
    ``None`` (missing value, not a number for bands, no entry and no ``else``, or 0 points)."""

    def entry(points: float | None, shown: str) -> CompiledCriterion | None:
        if points is None or centi(points) == 0:
            return None
        return _compile_criterion(criterion, points, f"{criterion.label}: {shown}")

    otherwise = entry(table.otherwise, "other")
    if table.kind == "value":
        leaf = Leaf(table.property, "equals", normalize=table.normalize,
                    ignore_case=table.ignore_case)
        prepare = prepare_text(leaf, fold=table.ignore_case)
        lookup = {prepare(value.strip()): entry(points, value)
                  for value, points in table.entries}
        value = code.prepared(leaf, table.ignore_case)
        return (f"{code.constant(lookup)}.get({value}, {code.constant(otherwise)}) "
                f"if {value} is not None else None")
    bands = tuple((-math.inf if low is None else low, math.inf if high is None else high,
                   entry(points, band_label(low, high))) for low, high, points in table.bands)

    def in_band(number: float) -> CompiledCriterion | None:
        if number != number:  # nan is no number
            return None
        for low, high, result in bands:
            if low <= number < high:
                return result
        return otherwise

    number = code.number(table.property)
    return f"{code.constant(in_band)}({number}) if {number} is not None else None"


def _generate(definition: Definition, criteria: tuple[CompiledCriterion, ...]) -> Evaluate:
    code = ConditionCompiler(definition.missing_values)
    const = code.constant
    sums = {d.name: f"s{i}" for i, d in enumerate(definition.dimensions)}
    named = _named_criteria(definition.handoff)  # criteria a handoff rule asks about
    flags = {cid: f"f{i}" for i, cid in enumerate(sorted(named))}
    body = [f"g{i} = bool({code.expression(g.condition)})" for i, g in enumerate(definition.gates)]
    body += ["fired = []", "append = fired.append"]
    body += [f"{var} = 0" for var in sums.values()]
    body += [f"{var} = False" for var in flags.values()]
    for criterion, compiled in zip(definition.criteria, criteria, strict=True):
        total = sums[criterion.dimension]
        mark = [f"{flags[criterion.id]} = True"] if criterion.id in flags else []
        test = "True" if criterion.condition is None else code.expression(criterion.condition)
        body.append(f"if {test}:")
        if criterion.table is not None:
            body += [f"    h = {_table_lookup(criterion, criterion.table, code)}",
                     "    if h is not None:"]
            if criterion.decay is None:
                body += ["        append(h.hit)", f"        {total} += h.centi"]
            else:
                body += ["        d = h.at(props, now_ts, ages)", "        if d is not None:",
                         "            append(d[0])", f"            {total} += d[1]"]
            body += [f"        {line}" if criterion.decay is None else f"            {line}"
                     for line in mark]
        elif compiled.decay_property is None:
            body += [f"    append({const(compiled.hit)})", f"    {total} += {compiled.centi}"]
            body += [f"    {line}" for line in mark]
        else:
            body += [f"    d = {const(compiled)}.at(props, now_ts, ages)",
                     "    if d is not None:",
                     "        append(d[0])",
                     f"        {total} += d[1]"]
            body += [f"        {line}" for line in mark]
    for dim in definition.dimensions:
        if dim.cap is not None:
            body += [f"if {sums[dim.name]} > {centi(dim.cap)}:",
                     f"    {sums[dim.name]} = {centi(dim.cap)}"]
    for kind in ("fit", "engagement"):
        parts = [sums[d.name] for d in definition.dimensions if d.kind == kind]
        body.append(f"{kind} = {' + '.join(parts) or '0'}")
    body.append("dimensions = {" + ", ".join(f"{const(name)}: {var} / 100"
                                            for name, var in sums.items()) + "}")
    body.append("score = (fit + engagement) / 100")
    body += _grade_chain(definition, const)
    gate_flags = [f"g{i}" for i in range(len(definition.gates))]
    body.append(f"passed = {' and '.join(gate_flags) or 'True'}")
    rules = (definition.handoff, *definition.handoff.alternatives)
    body.append("qualified = passed and (" + " or ".join(
        _handoff(rule, sums, flags, const) for rule in rules) + ")")
    body.append(f"return passed, ({''.join(f + ', ' for f in gate_flags)}), fired, dimensions, "
                "fit / 100, engagement / 100, score, grade, qualified")
    evaluate: Evaluate = code.function(body)
    return evaluate


def _grade_chain(definition: Definition, const: Callable[[Any], str]) -> list[str]:
    """Bands are contiguous and ordered (the loader checked), so ``score < max`` picks one."""
    *colder, hottest = definition.grades
    lines: list[str] = []
    for i, grade in enumerate(colder):
        lines += [f"{'if' if i == 0 else 'elif'} score < {const(float(grade.max or 0.0))}:",
                  f"    grade = {const(grade.name)}"]
    if not lines:
        return [f"grade = {const(hottest.name)}"]
    return lines + ["else:", f"    grade = {const(hottest.name)}"]


def _named_criteria(rule: HandoffRule) -> set[str]:
    names = set(rule.require_criteria)
    for alternative in rule.alternatives:
        names |= _named_criteria(alternative)
    return names


def _handoff(rule: HandoffRule, sums: dict[str, str], flags: dict[str, str],
             const: Callable[[Any], str]) -> str:
    tests: list[str] = []
    if rule.grades:
        tests.append(f"grade in {const(frozenset(rule.grades))}")
    if rule.min_score is not None:
        tests.append(f"score >= {const(float(rule.min_score))}")
    if rule.require_any:
        tests.append("(" + " or ".join(f"{sums[d]} > 0" for d in rule.require_any) + ")")
    tests += [f"{sums[d]} > 0" for d in rule.require_all]
    tests += [flags[c] for c in rule.require_criteria]
    return "(" + (" and ".join(tests) or "True") + ")"

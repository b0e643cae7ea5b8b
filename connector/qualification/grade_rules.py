"""Grades (score bands, cold -> hot) and the handoff rule: parsing and their coherence checks.

Bands are half-open ``[min, max)`` except the hottest, which includes its ``max``. Listed cold
-> hot, each band must start exactly where the previous one ends (no gap, no overlap), and the
bands together must cover every score the criteria can produce.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from connector.qualification.decision import fmt
from connector.qualification.definition import Criterion, Dimension, Grade, HandoffRule
from connector.qualification.problems import Problems, did_you_mean, join, type_name

GRADE_KEYS = ("name", "min", "max", "description")
RULE_KEYS = ("grades", "min_score", "require_any", "require_all", "require_criteria",
             "description")
HANDOFF_KEYS = (*RULE_KEYS, "or")


def parse_grades(raw: Any, problems: Problems) -> list[Grade]:
    if raw is None:
        problems.error("grades", "is required: [[grades]] tables listed cold -> hot")
        return []
    if not isinstance(raw, list) or not raw:
        problems.error("grades", f"must be a list of [[grades]] tables, got {type_name(raw)}")
        return []
    out: list[Grade] = []
    names: set[str] = set()
    for i, body in enumerate(raw):
        key = f"grades[{i}]"
        table = problems.table(body, key)
        if table is None:
            continue
        problems.unknown_keys(table, GRADE_KEYS, key)
        name = problems.string(table.get("name"), join(key, "name"))
        low = problems.number(table.get("min"), join(key, "min"), required=False)
        high = problems.number(table.get("max"), join(key, "max"), required=False)
        if name is None:
            continue
        if name in names:
            problems.error(join(key, "name"), f"grade {name!r} is listed twice")
        names.add(name)
        if low is None and i > 0:
            problems.error(join(key, "min"), f"grade {name!r} needs min: only the coldest "
                           "grade may leave it out")
        if high is None and i < len(raw) - 1:
            problems.error(join(key, "max"), f"grade {name!r} needs max: only the hottest "
                           "grade may leave it out")
        if low is not None and high is not None and low >= high:
            problems.error(key, f"grade {name!r}: min ({fmt(low)}) must be below max "
                           f"({fmt(high)})")
        out.append(Grade(name, low, high))
    _check_sequence(out, problems)
    return out


def _check_sequence(grades: Sequence[Grade], problems: Problems) -> None:
    for i in range(1, len(grades)):
        prev, cur = grades[i - 1], grades[i]
        key = f"grades[{i}].min"
        if cur.min is None or prev.max is None:
            continue
        if prev.min is not None and cur.min <= prev.min:
            problems.error(key, f"grades must be listed cold -> hot: {cur.name!r} (from "
                           f"{fmt(cur.min)}) comes after {prev.name!r} (from {fmt(prev.min)})")
        elif cur.min < prev.max:
            problems.error(key, f"grades overlap: {prev.name!r} runs to {fmt(prev.max)} but "
                           f"{cur.name!r} starts at {fmt(cur.min)}",
                           f"min = {fmt(prev.max)}")
        elif cur.min > prev.max:
            problems.error(key, f"gap between grades: scores from {fmt(prev.max)} to "
                           f"{fmt(cur.min)} have no grade", f"min = {fmt(prev.max)}")


def parse_handoff(raw: Any, grades: set[str], dimensions: set[str], problems: Problems,
                  criteria: set[str] | None = None) -> HandoffRule | None:
    """``[handoff]``, and its ``[[handoff.or]]`` alternatives ("hot, or warm and referred")."""
    if raw is None:
        problems.error("handoff", "is required: say which grade(s) or score hands a lead off",
                       '[handoff] grades = ["hot"]')
        return None
    table = problems.table(raw, "handoff")
    if table is None:
        return None
    problems.unknown_keys(table, HANDOFF_KEYS, "handoff")
    names = _Names(grades, dimensions, criteria or set())
    main = _rule(table, "handoff", names, problems)
    alternatives: list[HandoffRule] = []
    ok = main is not None
    if "or" in table:
        raw_alts = table["or"]
        if not isinstance(raw_alts, list) or not raw_alts:
            problems.error("handoff.or", f"must be a list of [[handoff.or]] tables, got "
                           f"{type_name(raw_alts)}",
                           '[[handoff.or]] grades = ["warm"] require_criteria = ["referred"]')
            return None
        for i, body in enumerate(raw_alts):
            key = f"handoff.or[{i}]"
            alt_table = problems.table(body, key)
            if alt_table is None:
                ok = False
                continue
            problems.unknown_keys(alt_table, RULE_KEYS, key)
            alt = _rule(alt_table, key, names, problems)
            ok = ok and alt is not None
            if alt is not None:
                alternatives.append(alt)
    if not ok or main is None:
        return None
    return replace(main, alternatives=tuple(alternatives))


@dataclass(frozen=True)
class _Names:
    grades: set[str]
    dimensions: set[str]
    criteria: set[str]


def _rule(table: dict[str, Any], where: str, names: _Names, problems: Problems
          ) -> HandoffRule | None:
    """One handoff rule: every clause it gives must hold."""
    ok = True
    handoff_grades: tuple[str, ...] = ()
    if "grades" in table:
        parsed = problems.strings(table["grades"], f"{where}.grades")
        ok = parsed is not None
        for i, name in enumerate(parsed or ()):
            if names.grades and name not in names.grades:
                problems.error(f"{where}.grades[{i}]", f"handoff grade {name!r} does not exist",
                               did_you_mean(name, names.grades))
                ok = False
        handoff_grades = parsed or ()
    min_score = problems.number(table.get("min_score"), f"{where}.min_score", required=False)
    if "min_score" in table and min_score is None:
        ok = False
    if not handoff_grades and min_score is None and ok:
        problems.error(where, "say what hands off: grades = [...] and/or min_score = N")
        ok = False
    required: dict[str, tuple[str, ...]] = {}
    for field, known, what in (("require_any", names.dimensions, "dimension"),
                               ("require_all", names.dimensions, "dimension"),
                               ("require_criteria", names.criteria, "criterion")):
        listed = problems.strings(table.get(field, []), f"{where}.{field}")
        ok = ok and listed is not None
        for i, name in enumerate(listed or ()):
            if name not in known:
                problems.error(f"{where}.{field}[{i}]", f"unknown {what} {name!r}",
                               did_you_mean(name, known))
                ok = False
        required[field] = listed or ()
    if not ok:
        return None
    return HandoffRule(handoff_grades, min_score, required["require_any"],
                       required["require_all"], required["require_criteria"])


def reachable_range(dimensions: Sequence[Dimension], criteria: Sequence[Criterion]
                    ) -> tuple[float, float]:
    """The lowest and highest scores the criteria can produce (decay only lowers points)."""
    low = high = 0.0
    for dim in dimensions:
        ranges = [c.point_range for c in criteria if c.dimension == dim.name]
        gain = sum(most for _, most in ranges)
        high += gain if dim.cap is None else min(gain, dim.cap)
        low += sum(least for least, _ in ranges)
    return low, high


def check_grades(grades: Sequence[Grade], dimensions: Sequence[Dimension],
                 criteria: Sequence[Criterion], handoff: HandoffRule | None,
                 problems: Problems) -> None:
    """The bands must cover every reachable score; warn when no lead could ever hand off."""
    low, high = reachable_range(dimensions, criteria)
    first, last = grades[0], grades[-1]
    if first.min is not None and first.min > low:
        problems.error("grades[0].min", f"scores down to {fmt(low)} are reachable but the "
                       f"coldest grade {first.name!r} starts at {fmt(first.min)}",
                       "leave out min on the coldest grade")
    if last.max is not None and last.max < high:
        problems.error(f"grades[{len(grades) - 1}].max", f"scores up to {fmt(high)} are "
                       f"reachable but the hottest grade {last.name!r} ends at {fmt(last.max)}",
                       "leave out max on the hottest grade")
    if handoff is None:
        return
    rules = [("handoff", handoff)] + [(f"handoff.or[{i}]", alt)
                                      for i, alt in enumerate(handoff.alternatives)]
    for where, rule in rules:
        if rule.min_score is not None and rule.min_score > high:
            problems.warning(f"{where}.min_score", f"no lead can reach {fmt(rule.min_score)}: "
                             f"the highest possible score is {fmt(high)}")
        for name in rule.grades:
            grade = next((g for g in grades if g.name == name), None)
            if grade is not None and grade.min is not None and grade.min > high:
                problems.warning(f"{where}.grades", f"no lead can reach grade {name!r} (from "
                                 f"{fmt(grade.min)}): the highest possible score is {fmt(high)}")

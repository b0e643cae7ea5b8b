"""Operators: conditions compiled to Python once, so nothing is interpreted per contact.

Each operator is an expression template over a few per-contact variables. A definition's gates
and criteria become *one* generated function (``ConditionCompiler.function``) whose prelude
reads each property once: stripped (``t``), normalised and case-folded (``p``), parsed as a
number (``n``); dates are parsed lazily by ``Facts.age_days``, only when a condition or a decay
needs them. Each condition is then a short-circuiting boolean expression over those variables,
with its value sets, regexes (compiled once, matches memoised per distinct value) and normalisers
bound as constants. ``compile_condition`` builds the same code for a single condition.
The generated functions take ``(props, now_ts, ages)``: the contact's properties, now as epoch
seconds, and the contact's cache of parsed dates.

Every constant, property names included, is bound in the function's namespace under a generated
name (``c7``): no text from the definition is ever pasted into the generated source.

Semantics every operator shares: a property that is absent, null, blank or one of the
definition's ``missing_values`` (compared trimmed and case-insensitively) is *missing*; only
``missing`` holds for it, every other operator (``not_in`` included) is false. To say "not
opted out, or never asked", write ``none = [{ property = ..., op = "equals", value = true }]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from connector.qualification.definition import Combinator, Condition, Leaf
from connector.qualification.facts import Facts, age_days, to_number
from connector.qualification.normalize import NORMALIZERS

REGEX_MEMO_LIMIT = 4096  # distinct values remembered per ``matches`` condition
Predicate = Callable[[Facts], bool]
# op -> expression over: t (stripped text), p (prepared text), n (number), c / lo / hi (operands)
TEMPLATES: dict[str, str] = {
    "exists": "({t} is not None)",
    "missing": "({t} is None)",
    "equals": "({p} == {c})",
    "in": "({p} in {c})",
    "not_in": "({p} is not None and {p} not in {c})",
    "contains": "({p} is not None and {c} in {p})",
    "matches": "({t} is not None and {c}({t}))",
    "gte": "({n} is not None and {n} >= {c})",
    "lte": "({n} is not None and {n} <= {c})",
    "between": "({n} is not None and {lo} <= {n} <= {hi})",
    "equals_number": "({n} is not None and {n} == {c})",
    "within_days": "(({a} := age_days(props, {k}, now_ts, ages)) is not None and {a} <= {c})",
    "older_than_days": "(({a} := age_days(props, {k}, now_ts, ages)) is not None and {a} > {c})",
}


def prepare_text(leaf: Leaf, *, fold: bool) -> Callable[[str], str]:
    """How a (stripped) value is prepared before comparing: normalised, then case-folded."""
    normalizer = NORMALIZERS.get(leaf.normalize) if leaf.normalize else None
    if normalizer is not None and fold:
        return lambda text: normalizer(text).casefold()
    if normalizer is not None:
        return normalizer
    return str.casefold if fold else str


def regex_matcher(leaf: Leaf) -> Callable[[str], bool]:
    """``search`` for a ``matches`` leaf, memoised: job titles and form answers repeat."""
    search = re.compile(leaf.pattern or "", re.IGNORECASE if leaf.ignore_case else 0).search
    prepare = prepare_text(leaf, fold=False)
    seen: dict[str, bool] = {}

    def matches(text: str) -> bool:
        found = seen.get(text)
        if found is None:
            found = search(prepare(text)) is not None
            if len(seen) < REGEX_MEMO_LIMIT:
                seen[text] = found
        return found

    return matches


class ConditionCompiler:
    """Writes one Python function for any number of conditions over the same contact."""

    def __init__(self, missing_values: Iterable[str] = ()) -> None:
        self.namespace: dict[str, Any] = {"to_number": to_number, "age_days": age_days}
        self.prelude: list[str] = []
        # ``missing_values``: placeholders ("Select", "N/A") read as absent by every operator
        self.missing = frozenset(v.strip().casefold() for v in missing_values if v.strip())
        self._variables: dict[tuple[str, ...], str] = {}
        self._temps = 0

    def constant(self, value: Any) -> str:
        name = f"c{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def _variable(self, key: tuple[str, ...], prefix: str, line: str) -> str:
        name = self._variables.get(key)
        if name is None:
            name = self._variables[key] = f"{prefix}{len(self._variables)}"
            self.prelude.append(f"{name} = {line}")
        return name

    def text(self, prop: str) -> str:
        """The stripped value, ``None`` when missing."""
        key = ("text", prop)
        if key not in self._variables:
            raw = self._variable(("raw", prop), "r", f"get({self.constant(prop)})")
            name = self._variable(key, "t", f"({raw}.strip() or None) if {raw} else None")
            if self.missing:
                self.prelude.append(f"if {name} is not None and {name}.casefold() in "
                                    f"{self.constant(self.missing)}: {name} = None")
        return self._variables[key]

    def prepared(self, leaf: Leaf, fold: bool) -> str:
        """The value normalised and/or case-folded, ``None`` when missing."""
        text = self.text(leaf.property)
        if not leaf.normalize and not fold:
            return text
        key = ("prepared", leaf.property, leaf.normalize or "", str(fold))
        if key not in self._variables:
            call = (f"{self.constant(NORMALIZERS[leaf.normalize])}({text})" if leaf.normalize
                    else text) + (".casefold()" if fold else "")
            self._variable(key, "p", f"None if {text} is None else {call}")
        return self._variables[key]

    def number(self, prop: str) -> str:
        """The value as a number, ``None`` when missing or not a number. ``float`` is tried
        inline (no call); ``1,200`` and non-numbers fall back to ``to_number``. A ``nan`` makes
        every comparison false, as a missing value does."""
        key = ("number", prop)
        if key not in self._variables:
            text = self.text(prop)
            name = self._variables[key] = f"n{len(self._variables)}"
            self.prelude += ["try:",
                             f"    {name} = None if {text} is None else float({text})",
                             "except ValueError:",
                             f"    {name} = to_number({text})"]
        return self._variables[key]

    def expression(self, condition: Condition) -> str:
        if isinstance(condition, Combinator):
            parts = [self.expression(child) for child in condition.conditions]
            joined = (" and " if condition.kind == "all" else " or ").join(parts)
            return f"(not ({joined}))" if condition.kind == "none" else f"({joined})"
        return self._leaf(condition)

    def _leaf(self, leaf: Leaf) -> str:
        op, value = leaf.op, leaf.value
        slots: dict[str, str] = {}
        if op in ("exists", "missing"):
            slots["t"] = self.text(leaf.property)
        elif op in ("gte", "lte", "between") or (op == "equals" and _is_number(value)):
            op = "equals_number" if op == "equals" else op
            slots.update(n=self.number(leaf.property), c=self.constant(_as_float(value)),
                         lo=self.constant(leaf.low), hi=self.constant(leaf.high))
        elif op in ("within_days", "older_than_days"):
            self._temps += 1
            slots.update(a=f"a{self._temps}", k=self.constant(leaf.property),
                         c=self.constant(float(leaf.days or 0.0)))
        elif op == "matches":
            slots.update(t=self.text(leaf.property), c=self.constant(regex_matcher(leaf)))
        else:
            prepare = prepare_text(leaf, fold=leaf.ignore_case)
            slots["p"] = self.prepared(leaf, leaf.ignore_case)
            if op in ("in", "not_in"):
                slots["c"] = self.constant(frozenset(prepare(v.strip()) for v in leaf.values))
            else:
                slots["c"] = self.constant(prepare(_as_text(value).strip()))
        return TEMPLATES[op].format(**slots)

    def function(self, body: list[str]) -> Callable[..., Any]:
        """``def evaluate(props, now_ts, ages)``: the prelude, then ``body`` (which must
        ``return``). ``ages`` is the contact's cache of parsed dates (see ``facts.age_days``)."""
        lines = ["def evaluate(props, now_ts, ages):", "    get = props.get"]
        lines += [f"    {line}" for line in self.prelude + body]
        source = "\n".join(lines) + "\n"
        namespace = dict(self.namespace)
        exec(compile(source, "<qualification rules>", "exec"), namespace)  # our own source
        evaluate: Callable[..., Any] = namespace.pop("evaluate")  # no function <-> globals cycle
        evaluate.source = source  # type: ignore[attr-defined]  # for debugging
        return evaluate


def compile_condition(condition: Condition, missing_values: Iterable[str] = ()) -> Predicate:
    """One condition as a function of ``Facts``."""
    compiler = ConditionCompiler(missing_values)
    expression = compiler.expression(condition)
    evaluate = compiler.function([f"return bool({expression})"])
    return lambda facts: bool(evaluate(facts.props, facts.now_ts, facts.ages))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_float(value: object) -> float | None:
    return float(value) if _is_number(value) else None  # type: ignore[arg-type]


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)

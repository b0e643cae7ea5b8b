"""TOML condition tables -> ``Condition`` values, reporting every mistake with its key path.

A condition is either a leaf, ``{ property = "...", op = "...", <operands> }``, or exactly one
combinator holding a list of conditions: ``{ all = [...] }``, ``{ any = [...] }``,
``{ none = [...] }`` (nestable).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

from connector.problems import close_match
from connector.qualification.decision import fmt
from connector.qualification.definition import COMBINATORS, OPERATORS, Combinator, Condition, Leaf
from connector.qualification.normalize import NORMALIZERS
from connector.qualification.problems import Problems, did_you_mean, join, type_name

COMMON_KEYS = ("property", "op", "ignore_case", "normalize")
OPERAND_KEYS = ("value", "values", "list", "pattern", "min", "max", "days")
# what people write instead of our operator names
OPERATOR_ALIASES: dict[str, str] = {
    "eq": "equals", "==": "equals", "is": "equals", "equal": "equals",
    "not in": "not_in", "notin": "not_in", "nin": "not_in", "one_of": "in",
    ">=": "gte", "ge": "gte", "at_least": "gte", "greater_than": "gte", "gt": "gte",
    "<=": "lte", "le": "lte", "at_most": "lte", "less_than": "lte", "lt": "lte",
    "regex": "matches", "match": "matches", "like": "contains", "includes": "contains",
    "exist": "exists", "present": "exists", "is_set": "exists", "blank": "missing",
    "absent": "missing", "range": "between",
    "newer_than_days": "within_days", "in_last_days": "within_days",
    "older_than": "older_than_days",
}
PROPERTY_NAME = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True)
class ConditionContext:
    """What a condition is checked against: named value lists and the properties pulled."""

    lists: Mapping[str, tuple[str, ...]]
    pulled: frozenset[str] | None
    owner: str  # "criterion pricing_visits" / "gate opted_in", for messages
    # property not pulled -> (owner, key) of each read: the loader reports each property once
    unpulled: dict[str, list[tuple[str, str]]] | None = None


def parse_condition(raw: Any, key: str, ctx: ConditionContext, problems: Problems
                    ) -> Condition | None:
    table = problems.table(raw, key)
    if table is None:
        return None
    kinds = [k for k in COMBINATORS if k in table]
    if not kinds:
        return _leaf(table, key, ctx, problems)
    if len(kinds) > 1 or set(table) - set(kinds):
        problems.error(key, "a condition is either one of all/any/none or a property test, "
                       f"not a mix of {', '.join(sorted(table))}",
                       "nest them: { all = [ {...}, { any = [...] } ] }")
        return None
    kind = kinds[0]
    children_raw = table[kind]
    where = join(key, kind)
    if not isinstance(children_raw, list) or not children_raw:
        problems.error(where, f"must be a non-empty list of conditions, got "
                       f"{type_name(children_raw)}")
        return None
    children = [parse_condition(c, f"{where}[{i}]", ctx, problems)
                for i, c in enumerate(children_raw)]
    if any(child is None for child in children):
        return None
    kind_literal = cast(Literal["all", "any", "none"], kind)
    return Combinator(kind_literal, tuple(c for c in children if c is not None))


def _leaf(table: dict[str, Any], key: str, ctx: ConditionContext, problems: Problems
          ) -> Leaf | None:
    before = len(problems.errors)
    problems.unknown_keys(table, COMMON_KEYS + OPERAND_KEYS, key)
    name = problems.string(table.get("property"), join(key, "property"))
    if name is not None:
        check_property(name, join(key, "property"), ctx, problems)
    op = _operator(table.get("op"), join(key, "op"), problems)
    normalize = problems.string(table.get("normalize"), join(key, "normalize"), required=False)
    if normalize is not None and normalize not in NORMALIZERS:
        problems.error(join(key, "normalize"), f"unknown normaliser {normalize!r}",
                       did_you_mean(normalize, NORMALIZERS))
    ignore_case = table.get("ignore_case", True)
    if not isinstance(ignore_case, bool):
        problems.error(join(key, "ignore_case"), f"must be true or false, got "
                       f"{type_name(ignore_case)}")
        ignore_case = True
    if op is None:
        return None
    operands = _operands(op, table, key, ctx, problems)
    if name is None or operands is None or len(problems.errors) > before:
        return None
    return Leaf(property=name, op=op, ignore_case=ignore_case, normalize=normalize, **operands)


def check_property(name: str, key: str, ctx: ConditionContext, problems: Problems) -> None:
    """A HubSpot internal name that the pull requests (unpulled ones are collected in
    ``ctx.unpulled`` when given, so each is reported once with every rule that reads it)."""
    if not PROPERTY_NAME.fullmatch(name):
        problems.error(key, f"{name!r} is not a HubSpot internal property name (lower case, "
                       "digits and underscores)", f"property = {internal_name(name)!r}")
    elif ctx.pulled is not None and name not in ctx.pulled:
        if ctx.unpulled is not None:
            ctx.unpulled.setdefault(name, []).append((ctx.owner, key))
        else:
            problems.error(key, f"{ctx.owner} reads property {name!r} which the pull does not "
                           "request", property_suggestion(name, ctx.pulled))


def internal_name(name: str) -> str:
    """``"Job Title"`` -> ``"job_title"``: the internal name HubSpot derives from a label."""
    cleaned = re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_")
    return cleaned or "property_name"


def property_suggestion(name: str, pulled: Collection[str],
                        fallback: str = "add it to [hubspot] properties in config.toml") -> str:
    """A close pulled property (only valid internal names, never ``name`` itself), else
    ``fallback``."""
    close = close_match(name, (p for p in pulled if PROPERTY_NAME.fullmatch(p)), cutoff=0.85)
    return f"did you mean {close!r}?" if close else fallback


def _operator(raw: Any, key: str, problems: Problems) -> str | None:
    op = problems.string(raw, key)
    if op is None:
        return None
    if op in OPERATORS:
        return op
    alias = OPERATOR_ALIASES.get(op.strip().lower())
    hint = f"did you mean {alias!r}?" if alias else did_you_mean(op, OPERATORS)
    problems.error(key, f"unknown operator {op!r}", hint)
    return None


def _operands(op: str, table: dict[str, Any], key: str, ctx: ConditionContext,
              problems: Problems) -> dict[str, Any] | None:
    needed = OPERATORS[op]
    accepted = set(needed) | ({"list"} if op in ("in", "not_in") else set())
    for extra in sorted(set(table) & set(OPERAND_KEYS) - accepted):
        problems.error(join(key, extra), f"{extra!r} does not apply to op {op!r}",
                       f"op {op!r} takes: {', '.join(needed) or 'no operand'}")
    if op in ("in", "not_in"):
        return _values(table, key, ctx, problems)
    missing = [k for k in needed if k not in table]
    if missing:
        problems.error(key, f"op {op!r} needs {' and '.join(repr(k) for k in missing)}")
        return None
    if op == "equals":
        value = table["value"]
        if not isinstance(value, str | int | float | bool):
            problems.error(join(key, "value"), f"must be a string, number or boolean, got "
                           f"{type_name(value)}")
            return None
        return {"value": value if isinstance(value, str | bool) else float(value)}
    if op == "contains":
        text = problems.string(table["value"], join(key, "value"))
        return None if text is None else {"value": text}
    if op == "matches":
        return _pattern(table, key, problems)
    if op in ("gte", "lte"):
        number = problems.number(table["value"], join(key, "value"))
        return None if number is None else {"value": number}
    if op == "between":
        low = problems.number(table["min"], join(key, "min"))
        high = problems.number(table["max"], join(key, "max"))
        if low is None or high is None:
            return None
        if low > high:
            problems.error(join(key, "min"), f"min ({fmt(low)}) is above max ({fmt(high)})",
                           f"min = {fmt(high)}, max = {fmt(low)}")
            return None
        return {"low": low, "high": high}
    if op in ("within_days", "older_than_days"):
        days = problems.number(table["days"], join(key, "days"))
        if days is not None and days < 0:
            problems.error(join(key, "days"), f"must not be negative, got {days:g}")
            return None
        return None if days is None else {"days": days}
    return {}  # exists / missing


def _values(table: dict[str, Any], key: str, ctx: ConditionContext, problems: Problems
            ) -> dict[str, Any] | None:
    if ("values" in table) == ("list" in table):
        problems.error(key, "give exactly one of 'values' (inline) or 'list' (a name from "
                       "[lists])")
        return None
    if "list" in table:
        name = problems.string(table["list"], join(key, "list"))
        if name is None:
            return None
        if name not in ctx.lists:
            problems.error(join(key, "list"), f"no list named {name!r} in [lists]",
                           did_you_mean(name, ctx.lists))
            return None
        return {"values": ctx.lists[name]}
    values = problems.strings(table["values"], join(key, "values"))
    if values is not None and not values:
        problems.error(join(key, "values"), "must not be empty")
        return None
    return None if values is None else {"values": values}


def _pattern(table: dict[str, Any], key: str, problems: Problems) -> dict[str, Any] | None:
    pattern = problems.string(table["pattern"], join(key, "pattern"))
    if pattern is None:
        return None
    try:
        re.compile(pattern)
    except re.error as exc:
        problems.error(join(key, "pattern"), f"bad regular expression {pattern!r}: {exc}")
        return None
    return {"pattern": pattern}

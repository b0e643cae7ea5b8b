"""Search filters: one ``{propertyName, operator, value | values | highValue}`` -> a predicate.

Comparisons follow the property's type: numbers numerically, datetimes and dates by time (the
filter value may be epoch ms or ISO-8601; stored values are canonical ISO strings, so the
comparison is on strings), everything else case-insensitively. A record without the property
never matches a comparison, and always matches a negation (NEQ, NOT_IN, NOT_CONTAINS_TOKEN,
NOT_HAS_PROPERTY).
"""

from __future__ import annotations

import fnmatch
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ApiError
from .index import LMD, Props, Range
from .properties import PropertyDef, PropertyRegistry
from .timefmt import iso_date, parse_ms, to_iso

OPERATORS = frozenset({"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
                       "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN",
                       "NOT_CONTAINS_TOKEN"})
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "EQ": operator.eq, "LT": operator.lt, "LTE": operator.le, "GT": operator.gt,
    "GTE": operator.ge}
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
Predicate = Callable[[Props], bool]
Key = Callable[[str], Any]


@dataclass(frozen=True)
class CompiledFilter:
    property_name: str
    operator: str
    predicate: Predicate
    lmd_range: Range | None = None
    """set when the filter bounds ``lastmodifieddate`` (the index can serve it)."""


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _invalid(message: str) -> ApiError:
    return ApiError(400, message, category="VALIDATION_ERROR")


def _key_for(prop: PropertyDef) -> Key:
    """Raw filter value -> the comparable form of stored values of this property."""
    if prop.type == "number":
        return lambda raw: float(raw)
    if prop.type == "datetime":
        return lambda raw: to_iso(parse_ms(raw))
    if prop.type == "date":
        return lambda raw: iso_date(parse_ms(raw))
    return lambda raw: str(raw).lower()


def stored_key(prop: PropertyDef) -> Callable[[str], Any]:
    """Stored string -> comparable value (also used for sorting)."""
    if prop.type == "number":
        def number(value: str) -> Any:
            try:
                return float(value)
            except ValueError:
                return None
        return number
    if prop.type in ("datetime", "date"):
        return lambda value: value
    return str.lower


def compile_filter(raw: Mapping[str, Any], registry: PropertyRegistry) -> CompiledFilter:
    name, op = raw.get("propertyName"), raw.get("operator")
    if not isinstance(name, str) or not name:
        raise _invalid("Each filter needs a propertyName.")
    if op not in OPERATORS:
        raise _invalid(f"Invalid operator {op!r} for property {name}; expected one of "
                       f"{sorted(OPERATORS)}.")
    prop = registry.get(name)
    if prop is None:
        raise _invalid(f"There was a problem with the request: property {name!r} does not "
                       f"exist.")
    if op == "HAS_PROPERTY":
        return CompiledFilter(name, op, lambda d: name in d)
    if op == "NOT_HAS_PROPERTY":
        return CompiledFilter(name, op, lambda d: name not in d)
    if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        match = _token_matcher(name, _need(raw, "value", name, op))
        if op == "CONTAINS_TOKEN":
            return CompiledFilter(name, op, match)
        return CompiledFilter(name, op, lambda d: not match(d))
    to_key, stored = _key_for(prop), stored_key(prop)
    try:
        if op in ("IN", "NOT_IN"):
            values = raw.get("values")
            if not isinstance(values, list) or not values:
                raise _invalid(f"Operator {op} on {name} needs a non-empty 'values' list.")
            wanted = frozenset(to_key(v) for v in values)
            inside = _member(name, stored, wanted)
            if op == "IN":
                return CompiledFilter(name, op, inside)
            return CompiledFilter(name, op, lambda d: not inside(d))
        value = to_key(_need(raw, "value", name, op))
        high = to_key(_need(raw, "highValue", name, op)) if op == "BETWEEN" else None
    except (ValueError, TypeError):
        raise _invalid(f"The filter value for {name} ({prop.type}) is not valid: "
                       f"{raw.get('value')!r}.") from None
    return _comparison(name, op, prop, stored, value, high)


def _need(raw: Mapping[str, Any], key: str, name: str, op: str) -> Any:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and value == "" and key != "value"):
        raise _invalid(f"Operator {op} on {name} needs '{key}'.")
    return value


def _member(name: str, stored: Callable[[str], Any], wanted: frozenset[Any]) -> Predicate:
    def inside(d: Props) -> bool:
        v = d.get(name)
        return v is not None and stored(v) in wanted
    return inside


def _comparison(name: str, op: str, prop: PropertyDef, stored: Callable[[str], Any],
                value: Any, high: Any) -> CompiledFilter:
    if op == "NEQ":
        def differs(d: Props) -> bool:
            v = d.get(name)
            return v is None or stored(v) != value
        return CompiledFilter(name, op, differs)
    if op == "BETWEEN":
        def between(d: Props) -> bool:
            v = d.get(name)
            k = None if v is None else stored(v)
            return k is not None and value <= k <= high
        return CompiledFilter(name, op, between,
                              Range(value, True, high, True) if name == LMD else None)
    compare = _COMPARE[op]

    def compared(d: Props) -> bool:
        v = d.get(name)
        k = None if v is None else stored(v)
        return k is not None and compare(k, value)
    return CompiledFilter(name, op, compared, _range(op, value) if name == LMD else None)


def _range(op: str, value: Any) -> Range:
    if op == "EQ":
        return Range(value, True, value, True)
    if op in ("GT", "GTE"):
        return Range(value, op == "GTE", None, True)
    return Range(None, True, value, op == "LTE")


def _token_matcher(name: str, value: Any) -> Predicate:
    """CONTAINS_TOKEN: every token of ``value`` is a token of the property; ``*`` wildcards
    match against the whole value and each token (``*@acme.io``, ``jo*``)."""
    text = str(value).lower()
    if "*" in text:
        pattern = text

        def wild(d: Props) -> bool:
            v = d.get(name)
            if v is None:
                return False
            low = v.lower()
            return fnmatch.fnmatchcase(low, pattern) or any(
                fnmatch.fnmatchcase(t, pattern) for t in tokens(low))
        return wild
    wanted = tokens(text)

    def contains(d: Props) -> bool:
        v = d.get(name)
        if v is None:
            return False
        have = set(tokens(v))
        return all(t in have for t in wanted)
    return contains

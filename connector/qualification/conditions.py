"""Operators: conditions compiled once into closures over a per-contact ``Facts``.

Nothing is interpreted per contact: regexes are compiled, comparison values normalised and
operators chosen when the definition is compiled. ``Facts`` parses each number and date at most
once per contact, however many criteria read it.

Semantics every operator shares: a property that is absent, null or blank is *missing*; only
``missing`` holds for it, every other operator (``not_in`` included) is false. To say "not
opted out, or never asked", write ``none = [{ property = ..., op = "equals", value = "true" }]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from connector.qualification.definition import Combinator, Condition, Leaf, iter_leaves
from connector.qualification.normalize import NORMALIZERS

SECONDS_PER_DAY = 86_400.0
_UNSEEN: Any = object()  # a cache miss (``None`` is a cached "missing")
Predicate = Callable[["Facts"], bool]


def parse_timestamp(text: str) -> float | None:
    """A HubSpot date -> epoch seconds: ISO-8601 (``Z`` allowed; naive = UTC) or epoch millis."""
    text = text.strip()
    if text.isdigit():
        number = int(text)
        return number / 1000.0 if number > 100_000_000_000 else float(number)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def parse_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        try:
            number = float(text.replace(",", ""))  # "1,200" as typed on forms
        except ValueError:
            return None
    return None if number != number else number  # NaN is no number


class Facts:
    """One contact's properties seen at one instant, with numbers and dates parsed lazily once."""

    __slots__ = ("props", "now_ts", "_ages", "_numbers")

    def __init__(self, props: Mapping[str, str | None], now_ts: float) -> None:
        self.props = props
        self.now_ts = now_ts
        self._ages: dict[str, float | None] = {}
        self._numbers: dict[str, float | None] = {}

    def text(self, name: str) -> str | None:
        value = self.props.get(name)
        if value is None:
            return None
        value = value.strip()
        return value or None

    def number(self, name: str) -> float | None:
        number = self._numbers.get(name, _UNSEEN)
        if number is _UNSEEN:
            text = self.props.get(name)
            number = parse_number(text) if text else None
            self._numbers[name] = number
        return number  # not _UNSEEN any more

    def age_days(self, name: str) -> float | None:
        """Days between the date in ``name`` and now; dates in the future count as age 0."""
        age = self._ages.get(name, _UNSEEN)
        if age is _UNSEEN:
            text = self.props.get(name)
            stamp = parse_timestamp(text) if text else None
            age = None if stamp is None else max(0.0, (self.now_ts - stamp) / SECONDS_PER_DAY)
            self._ages[name] = age
        return age  # not _UNSEEN any more


def prepare_text(leaf: Leaf, *, fold: bool) -> Callable[[str], str]:
    """How a (stripped) value is prepared before comparing: normalised, then case-folded."""
    normalizer = NORMALIZERS.get(leaf.normalize) if leaf.normalize else None
    if normalizer is not None and fold:
        return lambda text: normalizer(text).casefold()
    if normalizer is not None:
        return normalizer
    if fold:
        return str.casefold
    return str


def compile_leaf(leaf: Leaf) -> Predicate:
    """One closure per leaf. Each reads the property inline (no helper call) because these run
    tens of times per contact; a blank value is missing for every operator."""
    name, op = leaf.property, leaf.op
    if op in ("exists", "missing"):
        want = op == "exists"

        def presence(facts: Facts) -> bool:
            value = facts.props.get(name)
            return (value is not None and value.strip() != "") is want

        return presence
    if op in ("gte", "lte", "between") or (op == "equals" and _is_number(leaf.value)):
        return _numeric(leaf)
    if op in ("within_days", "older_than_days"):
        days = float(leaf.days or 0.0)
        if op == "within_days":
            return lambda facts: (age := facts.age_days(name)) is not None and age <= days
        return lambda facts: (age := facts.age_days(name)) is not None and age > days
    if op == "matches":
        search = re.compile(leaf.pattern or "", re.IGNORECASE if leaf.ignore_case else 0).search
        prepare = prepare_text(leaf, fold=False)

        def matches(facts: Facts) -> bool:
            value = facts.props.get(name)
            if not value or not (value := value.strip()):
                return False
            return search(prepare(value)) is not None

        return matches
    prepare = prepare_text(leaf, fold=leaf.ignore_case)
    if op in ("in", "not_in"):
        targets = frozenset(prepare(v.strip()) for v in leaf.values)
        inside = op == "in"

        def membership(facts: Facts) -> bool:
            value = facts.props.get(name)
            if not value or not (value := value.strip()):
                return False
            return (prepare(value) in targets) is inside

        return membership
    value = leaf.value
    target = prepare((("true" if value else "false") if isinstance(value, bool)
                      else str(value)).strip())
    if op == "contains":

        def contains(facts: Facts) -> bool:
            value = facts.props.get(name)
            if not value or not (value := value.strip()):
                return False
            return target in prepare(value)

        return contains

    def equals(facts: Facts) -> bool:
        value = facts.props.get(name)
        if not value or not (value := value.strip()):
            return False
        return prepare(value) == target

    return equals


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numeric(leaf: Leaf) -> Predicate:
    name = leaf.property
    if leaf.op == "between":
        low, high = float(leaf.low or 0.0), float(leaf.high or 0.0)
        return lambda facts: (n := facts.number(name)) is not None and low <= n <= high
    bound = float(leaf.value)  # type: ignore[arg-type]  # the loader checked it is a number
    if leaf.op == "gte":
        return lambda facts: (n := facts.number(name)) is not None and n >= bound
    if leaf.op == "lte":
        return lambda facts: (n := facts.number(name)) is not None and n <= bound
    return lambda facts: (n := facts.number(name)) is not None and n == bound


def compile_condition(condition: Condition) -> Predicate:
    if isinstance(condition, Leaf):
        return compile_leaf(condition)
    return _combine(condition)


def _combine(combinator: Combinator) -> Predicate:
    preds = tuple(compile_condition(child) for child in combinator.conditions)
    if combinator.kind == "all":
        if len(preds) == 1:
            return preds[0]

        def all_of(facts: Facts) -> bool:
            for pred in preds:  # noqa: SIM110 - a loop is faster than all(<generator>)
                if not pred(facts):
                    return False
            return True

        return all_of

    def any_of(facts: Facts) -> bool:
        for pred in preds:  # noqa: SIM110 - a loop is faster than any(<generator>)
            if pred(facts):
                return True
        return False

    if combinator.kind == "any":
        return preds[0] if len(preds) == 1 else any_of
    if len(preds) == 1:
        only = preds[0]
        return lambda facts: not only(facts)
    return lambda facts: not any_of(facts)


def shown_properties(condition: Condition) -> tuple[tuple[str, str | None], ...]:
    """The distinct (property, normaliser) pairs a condition reads, for ``describe_values``."""
    return tuple(dict.fromkeys((leaf.property, leaf.normalize) for leaf in iter_leaves(condition)))


def describe_values(shown: tuple[tuple[str, str | None], ...],
                    props: Mapping[str, str | None]) -> str:
    """The values a condition looked at, for a reason: ``country='Brasil' (BR), email domain=...``.
    An address is shown by its domain only when the condition only looked at the domain."""
    parts: list[str] = []
    for name, normalize in shown:
        raw = props.get(name)
        raw = raw.strip() if raw is not None else None
        if not raw:
            parts.append(f"{name} missing")
        elif normalize in ("email_domain", "domain"):
            parts.append(f"{name} domain={NORMALIZERS[normalize](raw)!r}")
        elif normalize:
            parts.append(f"{name}={shorten(raw)!r} ({NORMALIZERS[normalize](raw)})")
        else:
            parts.append(f"{name}={shorten(raw)!r}")
    return ", ".join(parts)


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"

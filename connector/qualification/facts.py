"""One contact's values as the operators see them: text, numbers, and ages in days.

HubSpot sends every value as a string (or null). A value that is absent, null or blank is
*missing*. Numbers may carry thousands separators (``1,200``); dates are ISO-8601 (``Z``
allowed, naive taken as UTC) or epoch milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

SECONDS_PER_DAY = 86_400.0
_UNSEEN: Any = object()  # a cache miss (``None`` is a cached "missing")
_fromisoformat = datetime.fromisoformat


def parse_timestamp(text: str) -> float | None:
    """A HubSpot date -> epoch seconds, or ``None`` when it is not a date."""
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


def to_number(text: str | None) -> float | None:
    """``parse_number`` for a value that may be missing (already stripped)."""
    return None if text is None else parse_number(text)


def age_days(props: Mapping[str, str | None], name: str, now_ts: float,
             ages: dict[str, float | None]) -> float | None:
    """Days between the date in property ``name`` and now (future dates: 0), parsed once per
    contact: ``ages`` is that contact's cache."""
    age = ages.get(name, _UNSEEN)
    if age is _UNSEEN:
        text = props.get(name)
        stamp: float | None = None
        if text:
            try:  # the common case, HubSpot's own "2026-11-02T09:14:07.123Z"
                parsed = _fromisoformat(text)
                stamp = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()
            except ValueError:
                stamp = parse_timestamp(text)
        age = None if stamp is None else max(0.0, (now_ts - stamp) / SECONDS_PER_DAY)
        ages[name] = age
    return age  # not _UNSEEN any more


class Facts:
    """One contact seen at one instant (the engine passes the same three values unwrapped)."""

    __slots__ = ("props", "now_ts", "ages")

    def __init__(self, props: Mapping[str, str | None], now_ts: float) -> None:
        self.props = props
        self.now_ts = now_ts
        self.ages: dict[str, float | None] = {}

    def text(self, name: str) -> str | None:
        value = self.props.get(name)
        if value is None:
            return None
        value = value.strip()
        return value or None

    def number(self, name: str) -> float | None:
        return to_number(self.text(name))

    def age_days(self, name: str) -> float | None:
        return age_days(self.props, name, self.now_ts, self.ages)

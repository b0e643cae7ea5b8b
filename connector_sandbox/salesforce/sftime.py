"""Salesforce's wire formats for dates and datetimes.

Datetimes are stored and returned as ``2026-11-29T10:00:00.000+0000`` (UTC, milliseconds,
``+0000``), exactly as Salesforce returns them. In that canonical form string order is time
order, so SOQL comparisons and ORDER BY work on the strings directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

Clock = Callable[[], datetime]

_DATETIME_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"(Z|[+-]\d{2}:?\d{2})?"
)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_datetime(moment: datetime) -> str:
    """``2026-11-29T10:00:00.000+0000``; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}+0000"


def parse_datetime(text: str, *, require_zone: bool = False) -> datetime:
    """Parse ISO-8601 forms Salesforce accepts (``Z``, ``+00:00``, ``+0000``, fractions)."""
    match = _DATETIME_RE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a datetime: {text!r}")
    year, month, day, hour, minute, second, frac, zone = match.groups()
    if zone is None and require_zone:
        raise ValueError(f"datetime without a time zone: {text!r}")
    micro = int((frac or "0")[:6].ljust(6, "0"))
    moment = datetime(int(year), int(month), int(day), int(hour), int(minute),
                      int(second or 0), micro, tzinfo=UTC)
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        moment -= sign * offset
    return moment


@lru_cache(maxsize=4096)
def canonical_datetime(text: str) -> str:
    """Normalise an incoming datetime string to the canonical stored form."""
    return format_datetime(parse_datetime(text))


@lru_cache(maxsize=1024)
def canonical_date(text: str) -> str:
    """Normalise ``YYYY-MM-DD`` (a full datetime is cut to its date, as Salesforce does)."""
    text = text.strip()
    if _DATE_RE.fullmatch(text):
        return date.fromisoformat(text).isoformat()
    return parse_datetime(text).date().isoformat()


def day_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def quarter_end(day: date) -> date:
    """Last day of the calendar quarter holding ``day`` (default Opportunity close date)."""
    first_month_next = ((day.month - 1) // 3 + 1) * 3 + 1
    if first_month_next > 12:
        return date(day.year, 12, 31)
    return date(day.year, first_month_next, 1) - timedelta(days=1)

"""Dates and datetimes as the two systems write them.

HubSpot returns datetimes as ISO-8601 UTC with milliseconds (``2026-11-02T09:14:07.123Z``) and
accepts ISO or epoch milliseconds; dates as ``YYYY-MM-DD`` (midnight UTC). Salesforce writes
datetimes as ``2026-11-29T10:00:00.000+0000`` and dates as ``2026-11-29``. Everything is UTC here:
a datetime becomes a date by taking its UTC calendar day.

The one time-format module of the connector: the clients, the jobs, the settings and the field
transforms all parse and write instants here (the simulators keep their own wire formats).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DIGITS = re.compile(r"^-?\d{9,}$")
_COMPACT_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


class DateParseError(ValueError):
    """The value is not a date or datetime we recognise."""


def parse_instant(value: object) -> datetime:
    """An aware UTC datetime from epoch milliseconds (int or digit string) or an ISO string.

    A string without an offset is taken as UTC; a date alone is midnight UTC.
    """
    if isinstance(value, bool):
        raise DateParseError(f"{value!r} is not a date or time")
    if isinstance(value, int | float):
        return _from_epoch_ms(float(value))
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str):
        raise DateParseError(f"{value!r} is not a date or time")
    text = value.strip()
    if _DIGITS.match(text):
        return _from_epoch_ms(float(text))
    text = _COMPACT_OFFSET.sub(r"\1:\2", text) if "T" in text else text
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise DateParseError(f"{value!r} is not an ISO-8601 date or time") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _from_epoch_ms(ms: float) -> datetime:
    try:
        return _EPOCH + timedelta(milliseconds=ms)
    except OverflowError as exc:
        raise DateParseError(f"{ms!r} ms is out of range") from exc


def parse_optional(value: object) -> datetime | None:
    """``parse_instant``, with None and blank strings as None (an unset property or field)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_instant(value)


def to_epoch_ms(moment: datetime) -> int:
    """Milliseconds since the epoch, in integers (no float rounding); naive is UTC."""
    delta = parse_instant(moment) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def parse_day(value: object) -> date:
    """The UTC calendar day of a date, datetime or epoch-ms value."""
    return parse_instant(value).date()


def _stamp(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.mmm`` (zero-padded whatever the platform's strftime does)."""
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}."
        f"{moment.microsecond // 1000:03d}"
    )


def to_salesforce_datetime(value: object) -> str:
    """``2026-11-29T10:00:00.000+0000``."""
    return _stamp(parse_instant(value)) + "+0000"


def to_salesforce_date(value: object) -> str:
    """``2026-11-29``."""
    return parse_day(value).isoformat()


def to_hubspot_datetime(value: object, *, epoch_ms: bool = False) -> str:
    """``2026-11-29T10:00:00.000Z`` (or epoch milliseconds as a string)."""
    moment = parse_instant(value)
    return str(to_epoch_ms(moment)) if epoch_ms else _stamp(moment) + "Z"


def to_hubspot_date(value: object) -> str:
    """``2026-11-29`` (HubSpot stores dates as midnight UTC)."""
    return parse_day(value).isoformat()

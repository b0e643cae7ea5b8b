"""HubSpot's time formats: datetimes travel as ISO-8601 UTC with milliseconds, filters and
writes also accept epoch milliseconds. Internally the simulator keeps datetimes as canonical
ISO strings (``2026-11-02T09:14:07.123Z``), whose lexicographic order is their time order, so
search can compare them without parsing every record."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

DAY_MS = 86_400_000
_DAYS: dict[int, str] = {}


def to_iso(ms: int) -> str:
    """Epoch milliseconds -> ``2026-11-02T09:14:07.123Z``."""
    day, rest = divmod(ms, DAY_MS)
    date = _DAYS.get(day)
    if date is None:
        date = _DAYS[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86_400))
    secs, milli = divmod(rest, 1000)
    mins, sec = divmod(secs, 60)
    hour, minute = divmod(mins, 60)
    return f"{date}T{hour:02d}:{minute:02d}:{sec:02d}.{milli:03d}Z"


def to_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def parse_ms(value: object) -> int:
    """Epoch ms (int, float or digit string) or ISO-8601 (date or datetime) -> epoch ms.

    Raises ``ValueError`` for anything else. Naive datetimes are taken as UTC."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        return int(value)
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    if not text:
        raise ValueError("empty date")
    moment = datetime.fromisoformat(text.replace("z", "Z"))
    return to_ms(moment)


def iso_date(ms: int) -> str:
    """Epoch ms -> ``YYYY-MM-DD`` (HubSpot ``date`` properties are midnight UTC)."""
    return to_iso(ms)[:10]


def clock_ms(clock: Callable[[], datetime] | None) -> int:
    """Now in epoch ms from an injected clock, or real time."""
    if clock is None:
        return int(time.time() * 1000)
    return to_ms(clock())

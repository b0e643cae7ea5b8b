"""Job schedules from the config: ``interval:<duration>`` or ``cron:<5 crontab fields>``.

    parse_schedule("interval:30s", jitter_s=3)        -> IntervalTrigger(seconds=30, jitter=3)
    parse_schedule("interval:1h30m")                  -> IntervalTrigger(seconds=5400)
    parse_schedule("cron:*/5 * * * *", jitter_s=3)    -> CronTrigger (UTC), jitter 3 s

Durations are one or more ``<number><unit>`` parts with units ``ms``, ``s``, ``m``, ``h``, ``d``
(``interval:90`` alone means seconds). Cron expressions are evaluated in UTC so a schedule does
not shift with the host's time zone or daylight saving time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
MIN_INTERVAL_S = 0.5


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: the trigger plus a readable description for logs and /healthz."""

    text: str
    trigger: BaseTrigger
    interval_s: float | None
    """seconds between runs for ``interval:``; None for ``cron:``."""


def parse_duration(text: str) -> float:
    """``"30s"`` -> 30.0, ``"1h30m"`` -> 5400.0, ``"90"`` -> 90.0; ValueError otherwise."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return float(value)
    position, total = 0, 0.0
    for match in _PART.finditer(value):
        if match.start() != position:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if position != len(value) or not value:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 5m, 1h30m)")
    return total


def parse_schedule(text: str, *, jitter_s: float = 0) -> Schedule:
    """Parse one schedule string; ValueError with a readable message if it is malformed."""
    kind, sep, spec = text.partition(":")
    kind, spec = kind.strip().lower(), spec.strip()
    jitter = int(jitter_s) if jitter_s and jitter_s > 0 else None
    if not sep or kind not in ("interval", "cron"):
        raise ValueError(f"{text!r}: expected 'interval:<duration>' or 'cron:<5 fields>'")
    if kind == "interval":
        seconds = parse_duration(spec)
        if seconds < MIN_INTERVAL_S:
            raise ValueError(f"{text!r}: interval must be at least {MIN_INTERVAL_S} s")
        trigger: BaseTrigger = IntervalTrigger(seconds=seconds, timezone=UTC, jitter=jitter)
        return Schedule(text, trigger, seconds)
    if len(spec.split()) != 5:
        raise ValueError(f"{text!r}: a cron schedule has 5 fields (minute hour day month weekday)")
    try:
        trigger = CronTrigger.from_crontab(spec, timezone=UTC)
    except ValueError as exc:
        raise ValueError(f"{text!r}: {exc}") from None
    if jitter is not None:
        trigger.jitter = jitter
    return Schedule(text, trigger, None)

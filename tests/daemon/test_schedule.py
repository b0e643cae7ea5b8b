"""Schedule strings from the config -> APScheduler triggers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from connector.daemon.schedule import job_schedules, parse_duration, parse_schedule
from connector.errors import ConfigError
from connector.settings import DaemonSettings, Settings


@pytest.mark.parametrize(("text", "seconds"), [
    ("30s", 30), ("5m", 300), ("1h30m", 5400), ("90", 90), ("500ms", 0.5), ("1d", 86400),
])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5x", "m5", "1h 30m", "30s5"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_interval_with_jitter() -> None:
    schedule = parse_schedule("interval:30s", jitter_s=3)
    assert isinstance(schedule.trigger, IntervalTrigger)
    assert schedule.interval_s == 30
    assert schedule.trigger.jitter == 3
    assert schedule.trigger.interval.total_seconds() == 30


def test_cron_is_utc_and_jittered() -> None:
    schedule = parse_schedule("cron:*/5 9-17 * * mon-fri", jitter_s=2)
    trigger = schedule.trigger
    assert isinstance(trigger, CronTrigger)
    assert trigger.jitter == 2
    start = datetime(2026, 1, 5, 9, 1, tzinfo=UTC)  # a Monday
    fire = trigger.get_next_fire_time(None, start)
    assert fire is not None
    assert fire.utcoffset() is not None
    assert fire.astimezone(UTC).replace(second=0, microsecond=0) == datetime(
        2026, 1, 5, 9, 5, tzinfo=UTC)


@pytest.mark.parametrize("text", ["every:30s", "interval:", "interval:0s", "cron:* * *",
                                  "cron:61 * * * *", "30s"])
def test_bad_schedules(text: str) -> None:
    with pytest.raises(ValueError):
        parse_schedule(text)


def test_config_problems_are_reported_together() -> None:
    settings = replace(Settings(), daemon=DaemonSettings(
        handoff_schedule="interval:fast", feedback_schedule="cron:* *", lease_ttl_seconds=1))
    with pytest.raises(ConfigError) as caught:
        job_schedules(settings, ("handoff", "feedback"))
    keys = {p.key for p in caught.value.problems}
    assert keys == {"daemon.handoff_schedule", "daemon.feedback_schedule",
                    "daemon.lease_ttl_seconds"}


def test_defaults_parse() -> None:
    schedules = job_schedules(Settings(), ("handoff", "feedback"))
    assert schedules["handoff"].interval_s == 30
    assert schedules["feedback"].interval_s == 300

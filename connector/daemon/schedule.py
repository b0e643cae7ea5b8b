"""The daemon's job schedules from ``[daemon]`` (the parsing itself: ``connector.schedules``)."""

from __future__ import annotations

from connector.errors import ConfigError, Problem
from connector.schedules import MIN_INTERVAL_S, Schedule, parse_duration, parse_schedule
from connector.settings import Settings

__all__ = ["MIN_INTERVAL_S", "Schedule", "job_schedules", "parse_duration", "parse_schedule"]


def job_schedules(settings: Settings, jobs: tuple[str, ...]) -> dict[str, Schedule]:
    """The schedule of each named job from ``[daemon]``; ConfigError listing every bad one."""
    daemon = settings.daemon
    texts = {"handoff": daemon.handoff_schedule, "feedback": daemon.feedback_schedule}
    problems: list[Problem] = []
    out: dict[str, Schedule] = {}
    for job in jobs:
        try:
            out[job] = parse_schedule(texts[job], jitter_s=daemon.jitter_seconds)
        except ValueError as exc:
            problems.append(Problem(settings.source, f"daemon.{job}_schedule", str(exc),
                                    suggestion='e.g. "interval:30s" or "cron:*/5 * * * *"'))
    problems.extend(_check_numbers(settings))
    ConfigError.raise_if_any(problems)
    return out


def _check_numbers(settings: Settings) -> list[Problem]:
    daemon, file = settings.daemon, settings.source
    checks = (
        ("lease_ttl_seconds", daemon.lease_ttl_seconds >= 3, "must be at least 3 seconds"),
        ("jitter_seconds", daemon.jitter_seconds >= 0, "must not be negative"),
        ("misfire_grace_seconds", daemon.misfire_grace_seconds >= 1, "must be at least 1"),
        ("health_window_seconds", daemon.health_window_seconds >= 1, "must be at least 1"),
        ("shutdown_timeout_seconds", daemon.shutdown_timeout_seconds >= 1, "must be at least 1"),
        ("metrics_port", 0 <= daemon.metrics_port <= 65535, "must be a TCP port (0 = any free)"),
    )
    return [Problem(file, f"daemon.{key}", message) for key, ok, message in checks if not ok]

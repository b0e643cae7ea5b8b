"""The jobs the daemon can schedule, imported lazily so the daemon starts without the heavy
modules until it runs, and keeps running the handoff alone if the feedback job is unavailable."""

from __future__ import annotations

from connector.jobs.context import JobContext

from .logging import get_logger
from .runner import Job, JobFactory

log = get_logger("connector.daemon.jobs")


def _handoff(ctx: JobContext) -> Job:
    from connector.jobs.handoff import HandoffJob

    return HandoffJob(ctx)


def _feedback(ctx: JobContext) -> Job:
    from connector.jobs.feedback import FeedbackJob  # type: ignore[import-not-found,unused-ignore]

    job: Job = FeedbackJob(ctx)
    return job


def feedback_available() -> bool:
    try:
        from connector.jobs import feedback
    except Exception as exc:  # not written yet, or broken: schedule the handoff alone
        log.warning("feedback job unavailable: scheduling the handoff only",
                    error=f"{type(exc).__name__}: {exc}")
        return False
    return hasattr(feedback, "FeedbackJob")


def available_jobs() -> dict[str, JobFactory]:
    jobs: dict[str, JobFactory] = {"handoff": _handoff}
    if feedback_available():
        jobs["feedback"] = _feedback
    return jobs

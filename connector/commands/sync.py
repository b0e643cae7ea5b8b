"""``connector sync``: the handoff, then the feedback, with one exit code.

Both jobs run even if the first fails (they read different things: a HubSpot search outage
should not hold back the sales feedback, nor the other way round); the exit code is 0 when both
succeeded, 1 when both ran but records were dead-lettered, and 3 (fatal) when either failed. A
bad config, definition or mapping stops everything before anything is sent (exit 2), as for every
command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from connector.commands._common import (
    RichProgress,
    console,
    print_json,
    records_exit_code,
    settings_from,
)
from connector.errors import EXIT_FATAL, EXIT_OK, ConfigError, ConnectorError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sync", help="handoff then feedback: one full round trip")
    p.add_argument("--dry-run", action="store_true", help="write nothing anywhere")
    p.add_argument("--json", action="store_true", help="print both run summaries as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from connector.commands import feedback as feedback_command
    from connector.commands import handoff as handoff_command
    from connector.jobs.context import build_context
    from connector.jobs.feedback import FeedbackJob
    from connector.jobs.handoff import HandoffJob
    from connector.jobs.lease import run_leased

    settings = settings_from(args)
    progress = RichProgress(enabled=not args.json)
    ctx = build_context(settings, progress=progress)
    jobs: dict[str, Callable[[], Any]] = {
        "handoff": lambda: run_leased(ctx, "handoff", lambda: HandoffJob(ctx).run(
            dry_run=args.dry_run), dry_run=args.dry_run),
        "feedback": lambda: run_leased(ctx, "feedback", lambda: FeedbackJob(ctx).run(
            dry_run=args.dry_run), dry_run=args.dry_run),
    }
    reports: dict[str, Any] = {}
    errors: dict[str, str] = {}
    try:
        for name, job in jobs.items():
            try:
                reports[name] = job()
            except ConfigError:
                raise
            except ConnectorError as exc:
                errors[name] = f"{type(exc).__name__}: {exc}"
    finally:
        progress.stop()
        ctx.close()
    code = EXIT_FATAL if errors else max(
        (records_exit_code(report) for report in reports.values()), default=EXIT_OK)
    if args.json:
        print_json({"exit_code": code, "errors": errors,
                    **{name: report.as_dict() for name, report in reports.items()}})
        return code
    if "handoff" in reports:
        handoff_command.render(reports["handoff"])
    if "feedback" in reports:
        feedback_command.render(reports["feedback"])
    out = console()
    for name, error in errors.items():
        out.print(f"[red]{name} failed[/red]: {error}")
    return code

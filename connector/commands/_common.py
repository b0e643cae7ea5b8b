"""Helpers shared by command modules (not a command itself: the leading underscore)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from connector.errors import EXIT_OK, EXIT_RECORDS_FAILED
from connector.settings import Settings, load_settings, parse_datetime


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(getattr(args, "config", None))


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


def datetime_arg(value: str) -> Any:
    try:
        return parse_datetime(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 date or datetime: {value!r}") from None


class RichProgress:
    """A progress bar on stderr: contacts pulled, qualified, pushed, failed."""

    def __init__(self, enabled: bool = True) -> None:
        self.console = console(stderr=True)
        self.enabled = enabled and self.console.is_terminal
        self._bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                             MofNCompleteColumn(), TextColumn("{task.fields[detail]}"),
                             TimeElapsedColumn(), console=self.console, transient=False)
        self._task = self._bar.add_task("pulling", total=None, detail="")
        self._counts: dict[str, int] = {}
        if self.enabled:
            self._bar.start()

    def total(self, contacts: int) -> None:
        self._bar.update(self._task, total=contacts)

    def advance(self, **counts: int) -> None:
        for key, value in counts.items():
            self._counts[key] = self._counts.get(key, 0) + value
        detail = " ".join(f"{k} {v:,}" for k, v in self._counts.items() if k != "pulled")
        self._bar.update(self._task, completed=self._counts.get("pulled", 0), detail=detail)

    def note(self, message: str) -> None:
        self.console.print(message)

    def stop(self) -> None:
        if self.enabled:
            self._bar.stop()


def run_job_command(args: argparse.Namespace, job: str, start: Callable[[Any], Any],
                    render: Callable[[Any], None]) -> int:
    """Build a job context, run ``start(ctx)`` under the job's lease (none for a dry run),
    close everything, print the report (JSON with ``--json``)."""
    from connector.jobs.context import build_context
    from connector.jobs.lease import run_leased

    settings = settings_from(args)
    progress = RichProgress(enabled=not getattr(args, "json", False))
    ctx = build_context(settings, progress=progress)
    try:
        report = run_leased(ctx, job, lambda: start(ctx),
                            dry_run=bool(getattr(args, "dry_run", False)))
    finally:
        progress.stop()
        ctx.close()
    if getattr(args, "json", False):
        print_json(report.as_dict())
    else:
        render(report)
    return records_exit_code(report)


def records_exit_code(report: Any) -> int:
    """1 when records were dead-lettered (or, in a dry run, would be), else 0: the run itself
    went through, but someone should look at ``connector dead-letters list``."""
    counts = getattr(report, "counts", {})
    failed = counts.get("failed", 0) + counts.get("would_fail", 0)
    return EXIT_RECORDS_FAILED if failed else EXIT_OK

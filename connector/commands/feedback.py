"""``connector feedback``: one run of the feedback job (Salesforce dispositions -> HubSpot)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from rich.table import Table

from connector.commands._common import console, run_job_command

if TYPE_CHECKING:
    from connector.jobs.feedback import FeedbackReport

#: Counts shown first, in funnel order; the rest follow alphabetically.
ORDER = ("leads_read", "opportunities_read", "examined", "unchanged", "written",
         "nothing_to_write", "failed", "open", "working", "nurturing", "rejected", "converted",
         "won", "lost")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("feedback", help="pull sales dispositions from Salesforce into HubSpot")
    p.add_argument("--dry-run", action="store_true",
                   help="write nothing anywhere; show what would change in HubSpot")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from connector.jobs.feedback import FeedbackJob

    return run_job_command(args, "feedback",
                           lambda ctx: FeedbackJob(ctx).run(dry_run=args.dry_run), render)


def render(report: FeedbackReport) -> None:
    out = console()
    title = "Feedback dry run (nothing written)" if report.dry_run else "Feedback run"
    table = Table(title=f"{title}: Salesforce changes since {report.since:%Y-%m-%d %H:%M:%S}Z")
    table.add_column("outcome")
    table.add_column("records", justify="right")
    known = [k for k in ORDER if k in report.counts]  # recorded counts show, even at zero
    rest = sorted(k for k in report.counts if k not in ORDER)
    for key in known + rest:
        table.add_row(key.replace("_", " "), f"{report.counts[key]:,}")
    for system, calls in sorted(report.api_calls.items()):
        table.add_row(f"API calls: {system}", f"{calls:,}")
    out.print(table)
    if report.dry_run and report.items:
        items = Table(title="What would change in HubSpot")
        for col in ("contact", "lead", "disposition", "properties (current -> new)"):
            items.add_column(col)
        for item in report.items[:200]:
            diff = ", ".join(f"{k}: {a!r} -> {b!r}" for k, (a, b) in list(item.diff.items())[:6])
            items.add_row(item.contact_id, item.lead_id or "", item.kind, diff)
        out.print(items)
        if len(report.items) > 200:
            out.print(f"... and {len(report.items) - 200:,} more (use --json for all)")

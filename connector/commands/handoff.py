"""``connector handoff``: one run of the handoff job (HubSpot -> qualify -> Salesforce)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from rich.table import Table

from connector.commands._common import (
    console,
    datetime_arg,
    run_job_command,
)

if TYPE_CHECKING:
    from connector.jobs.handoff import HandoffReport


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("handoff", help="pull changed contacts, qualify, push qualified leads")
    p.add_argument("--dry-run", action="store_true",
                   help="write nothing anywhere; show what would be created or updated")
    p.add_argument("--limit", type=int, default=None, help="stop after N pulled contacts")
    p.add_argument("--since", type=datetime_arg, default=None,
                   help="pull contacts modified since this ISO datetime (ignores the cursor)")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from connector.jobs.handoff import HandoffJob

    return run_job_command(args, "handoff", lambda ctx: HandoffJob(ctx).run(
        dry_run=args.dry_run, limit=args.limit, since=args.since), render)


def render(report: HandoffReport) -> None:
    out = console()
    title = "Handoff dry run (nothing written)" if report.dry_run else "Handoff run"
    table = Table(title=f"{title} since {report.since:%Y-%m-%d %H:%M:%S}Z")
    table.add_column("outcome")
    table.add_column("contacts", justify="right")
    for key, value in sorted(report.counts.items()):
        table.add_row(key, f"{value:,}")
    for system, calls in sorted(report.api_calls.items()):
        table.add_row(f"API calls: {system}", f"{calls:,}")
    out.print(table)
    if report.dry_run and report.items:
        items = Table(title="What would change in Salesforce")
        for col in ("contact", "email", "action", "grade", "score", "fields"):
            items.add_column(col)
        for item in report.items[:200]:
            fields = ", ".join(f"{k}: {a!r} -> {b!r}" for k, (a, b) in list(item.diff.items())[:6])
            items.add_row(item.contact_id, item.email or "", item.action, item.grade,
                          f"{item.score:g}", fields)
        out.print(items)
        if len(report.items) > 200:
            out.print(f"... and {len(report.items) - 200:,} more (use --json for all)")

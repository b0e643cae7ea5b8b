"""``connector dead-letters list|retry``: see rejected records, replay them after a fix."""

from __future__ import annotations

import argparse

from rich.table import Table

from connector.commands._common import console, print_json, run_job_command, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dead-letters", help="list or replay records a system rejected")
    inner = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = inner.add_parser("list", help="open dead letters")
    ls.add_argument("--code", default=None, help="only this error code")
    ls.add_argument("--job", default=None, help="handoff or feedback")
    ls.add_argument("--all", action="store_true", help="include resolved ones")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)
    rt = inner.add_parser("retry", help="replay open dead letters after fixing the cause")
    rt.add_argument("--code", default=None, help="only this error code")
    rt.add_argument("--job", default="handoff", choices=["handoff", "feedback"])
    rt.add_argument("--json", action="store_true")
    rt.set_defaults(func=run_retry)


def run_list(args: argparse.Namespace) -> int:
    from connector.store import StateStore

    settings = settings_from(args)
    store = StateStore.open(settings.store.url)
    try:
        letters = list(store.iter_dead_letters(job=args.job, code=args.code,
                                               include_resolved=args.all))
    finally:
        store.close()
    if args.json:
        print_json([d.__dict__ for d in letters])
        return 0
    table = Table(title=f"Dead letters ({len(letters):,})")
    for col in ("id", "job", "record", "code", "fields", "message", "attempts", "last seen"):
        table.add_column(col)
    for d in letters[:500]:
        table.add_row(str(d.id), d.job, d.record_key, d.error_code, ", ".join(d.fields),
                      d.message[:90], str(d.attempts), f"{d.last_seen:%Y-%m-%d %H:%M}")
    console().print(table)
    return 0


def run_retry(args: argparse.Namespace) -> int:
    if args.job == "feedback":
        from connector.commands.feedback import render as render_feedback
        from connector.jobs.feedback import FeedbackJob

        return run_job_command(args, "feedback", lambda ctx: FeedbackJob(ctx).retry_dead_letters(
            code=args.code), render_feedback)
    from connector.commands.handoff import render as render_handoff
    from connector.jobs.handoff import HandoffJob

    return run_job_command(args, "handoff", lambda ctx: HandoffJob(ctx).retry_dead_letters(
        code=args.code), render_handoff)

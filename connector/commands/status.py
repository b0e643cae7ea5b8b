"""``connector status``: last runs per job, cursors, leases and dead letters by error code."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from rich.table import Table

from connector.commands._common import console, print_json, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="last runs, cursors, leases, dead letters")
    p.add_argument("--limit", type=int, default=10, help="runs to show")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from connector.store import StateStore

    settings = settings_from(args)
    store = StateStore.open(settings.store.url)
    try:
        now = datetime.now(UTC)
        runs = store.recent_runs(limit=args.limit)
        cursors = store.cursors()
        dead = store.dead_letter_counts()
        leases = store.active_leases(now)
    finally:
        store.close()
    if args.json:
        print_json({
            "runs": [r.__dict__ for r in runs],
            "cursors": {k: {"value": c.value, "updated_at": c.updated_at} for k, c in
                        cursors.items()},
            "dead_letters": [{"job": j, "code": c, "open": n} for (j, c), n in dead.items()],
            "leases": [lease.__dict__ for lease in leases],
        })
        return 0
    out = console()
    table = Table(title="Recent runs")
    for col in ("id", "job", "status", "started", "duration", "counts", "API calls", "error"):
        table.add_column(col)
    for r in runs:
        duration = f"{(r.finished_at - r.started_at).total_seconds():.1f}s" \
            if r.finished_at else "running"
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r.counts.items()) if v)
        calls = ", ".join(f"{k} {v}" for k, v in sorted(r.api_calls.items()))
        table.add_row(str(r.id), r.job + (" (dry)" if r.dry_run else ""), r.status,
                      f"{r.started_at:%Y-%m-%d %H:%M:%S}", duration, counts, calls,
                      (r.error or "")[:80])
    out.print(table)
    cur = Table(title="Cursors")
    cur.add_column("job")
    cur.add_column("value")
    cur.add_column("updated")
    for job, c in sorted(cursors.items()):
        value = c.value
        if value.isdigit():
            value += f" ({datetime.fromtimestamp(int(value) / 1000, UTC):%Y-%m-%d %H:%M:%S}Z)"
        cur.add_row(job, value, f"{c.updated_at:%Y-%m-%d %H:%M:%S}")
    out.print(cur)
    dl = Table(title="Open dead letters")
    dl.add_column("job")
    dl.add_column("error code")
    dl.add_column("records", justify="right")
    for (job, code), n in sorted(dead.items()):
        dl.add_row(job, code, f"{n:,}")
    out.print(dl if dead else "No open dead letters.")
    for lease in leases:
        out.print(f"lease: {lease.job} held by {lease.owner} until {lease.expires_at:%H:%M:%S}")
    return 0

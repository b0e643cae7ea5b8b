"""``connector demo``: the whole loop on the embedded sandbox, with a report at the end."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from connector.commands._common import console
from connector.commands.report import REPORT_WIDTH
from connector.sandbox_extra import require_sandbox


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo", help="sandbox + handoff + simulated sales weeks + feedback + report, in <1 min")
    p.add_argument("--contacts", type=int, default=3_000, help="HubSpot contacts to seed")
    p.add_argument("--weeks", type=float, default=6.0, help="simulated weeks of sales work")
    p.add_argument("--seed", type=int, default=7, help="seed of the data and the sales team")
    p.add_argument("--html", type=Path, default=None, metavar="PATH",
                   help="where to write the HTML report (default .sandbox-demo/report.html)")
    p.add_argument("--workdir", type=Path, default=Path(".sandbox-demo"),
                   help="folder for the sandbox's files and the demo's SQLite store")
    p.add_argument("--as-configured", action="store_true",
                   help="hand off as the definition says (hot only) instead of every grade")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    from connector.demo import DemoOptions, explore_lines, run_demo
    from connector.report import render_terminal

    if args.contacts < 1 or args.weeks < 0:
        raise SystemExit("--contacts must be positive and --weeks not negative")
    require_sandbox("`connector demo`")
    settings = None
    if getattr(args, "config", None):
        from connector.settings import load_settings

        settings = load_settings(args.config)
    out = console()
    if not out.is_terminal:  # piped or redirected: wide enough for the report's tables
        out.width = max(out.width, REPORT_WIDTH)
    result = run_demo(DemoOptions(contacts=args.contacts, weeks=args.weeks, seed=args.seed,
                                  workdir=args.workdir, html=args.html,
                                  as_configured=args.as_configured, settings=settings),
                      say=lambda line: out.print(line, markup=False))
    out.print(render_terminal(result.report))
    out.print(f"HTML report: {result.html_path}")
    calls = ", ".join(f"{n:,} {s}" for s, n in sorted(result.api_calls.items()))
    out.print(f"API calls: {calls}. Simulated {result.simulated_days:.0f} days.")
    out.print(f"Demo finished in {time.perf_counter() - started:.1f} s (wall time, report "
              "included)")
    for line in explore_lines(result):
        out.print(line, markup=False, soft_wrap=True)
    return 0

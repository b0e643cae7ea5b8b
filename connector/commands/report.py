"""``connector report``: the calibration report from the state store (terminal, HTML, JSON)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from connector.commands._common import console, datetime_arg, print_json, settings_from
from connector.settings import Settings

#: Console width when the output is not a terminal (a file, a pipe): the report's tables need it.
REPORT_WIDTH = 120


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="calibration: do the grades predict what sales does?")
    p.add_argument("--since", type=datetime_arg, default=None,
                   help="only leads first handed off on or after this date")
    p.add_argument("--version", default=None, help="only leads of this definition version")
    p.add_argument("--html", type=Path, default=None, metavar="PATH",
                   help="also write a self-contained HTML report with charts")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--min-sample", type=int, default=30,
                   help="fewest leads per side before a lift or grade order is read")
    p.set_defaults(func=run)


def criterion_dimensions(settings: Settings) -> Mapping[str, str] | None:
    """criterion -> dimension from the current definition, when it loads (the report works
    without it: snapshots name the dimensions of the criteria that fired)."""
    from connector.errors import ConfigError
    from connector.qualification import load_definition

    try:
        definition = load_definition(settings.path(settings.mappings.qualification))
    except (ConfigError, OSError):
        return None
    return {c.id: c.dimension for c in definition.criteria}


def run(args: argparse.Namespace) -> int:
    from connector.report import render_html, render_terminal, report_to_json
    from connector.report.from_store import report_from_store
    from connector.store import StateStore

    settings = settings_from(args)
    store = StateStore.open(settings.store.url)
    try:
        report = report_from_store(store, now=datetime.now(UTC), since=args.since,
                                   version=args.version,
                                   criterion_dimension=criterion_dimensions(settings),
                                   min_sample=args.min_sample)
    finally:
        store.close()
    if args.html is not None:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_html(report), encoding="utf-8")
    if args.json:
        print_json(report_to_json(report))
        return 0
    out = console()
    if not out.is_terminal:  # piped or redirected: wide enough for the report's tables
        out.width = max(out.width, REPORT_WIDTH)
    out.print(render_terminal(report))
    if args.html is not None:
        out.print(f"HTML report written to {args.html}")
    return 0

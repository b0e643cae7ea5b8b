"""``connector report``: the calibration report from the state store (terminal, HTML, JSON)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connector.commands._common import console, datetime_arg, print_json, settings_from
from connector.settings import Settings

if TYPE_CHECKING:
    from connector.qualification.definition import Definition

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
    p.add_argument("--min-won-share", type=share_arg, default=None, metavar="SHARE",
                   help="the suggested threshold keeps at least this share of won deals "
                        "(default 0.9, or 0 with --target-leads)")
    p.add_argument("--target-leads", type=positive_int, default=None, metavar="N",
                   help="suggest the threshold whose lead volume is closest to N")
    p.add_argument("--currency", default="USD",
                   help="ISO code of the Opportunity amounts (default USD)")
    p.set_defaults(func=run)


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: must be at least 1")
    return value


def share_arg(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text}: a share in [0, 1] (e.g. 0.9)")
    return value


def load_current_definition(settings: Settings) -> Definition | None:
    """The current definition, when it loads (the report works without it: snapshots name the
    dimensions of the criteria that fired, and the bar falls back to the lowest score)."""
    from connector.errors import ConfigError
    from connector.qualification import load_definition

    try:
        return load_definition(settings.path(settings.mappings.qualification))
    except (ConfigError, OSError):
        return None


def report_options(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """``build_report`` keywords from the command line and the current definition."""
    from connector.report import ThresholdObjective
    from connector.report.boundary import handoff_bar, labels

    target = args.target_leads
    share = args.min_won_share if args.min_won_share is not None else (
        0.0 if target is not None else 0.9)
    options: dict[str, Any] = {
        "objective": ThresholdObjective(min_won_share=share, min_leads=args.min_sample,
                                        target_leads=target),
        "currency": args.currency,
        "simulated": settings.salesforce.mode != "live" or settings.hubspot.mode != "live",
    }
    definition = load_current_definition(settings)
    if definition is not None:
        options["criterion_dimension"] = {c.id: c.dimension for c in definition.criteria}
        options["labels"] = labels(definition)
        bar = handoff_bar(definition)
        if bar is not None:
            options["current_threshold"] = bar.score
            options["current_boundary"] = bar.name
    return options


def run(args: argparse.Namespace) -> int:
    from connector.report import render_html, render_terminal, report_to_json
    from connector.report.from_store import report_from_store
    from connector.store import StateStore

    settings = settings_from(args)
    options = report_options(args, settings)
    store = StateStore.open(settings.store.url)
    try:
        report = report_from_store(store, now=datetime.now(UTC), since=args.since,
                                   version=args.version, min_sample=args.min_sample, **options)
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

"""``connector shadow``: what a candidate definition would change, on the same contacts.

Compares the candidate with the current definition (both at the same ``--now``): how many leads
would newly be handed off, how many no longer, how grades move, and which contacts. Nothing is
written anywhere. Exit 0; 1 when input rows were skipped; 2 for a bad definition or option.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Collection, Iterable, Iterator

from rich.console import Console
from rich.table import Table

from connector.commands._qualification import (
    bad_row_printer,
    check_input,
    contacts_from,
    definition_for,
    parse_now,
    pull_for,
)
from connector.errors import EXIT_OK, EXIT_WARNINGS
from connector.qualification.contacts_io import BadRow
from connector.qualification.decision import fmt, iso_utc
from connector.qualification.shadow import ShadowReport, compare, score_delta
from connector.records import Contact


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "shadow",
        help="compare a candidate qualification definition with the current one",
        description="Qualify the same contacts with the current and a candidate definition "
        "and show what would change. Nothing is written anywhere.",
    )
    parser.add_argument("--definition", required=True, metavar="FILE",
                        help="the candidate definition")
    parser.add_argument("--current", metavar="FILE",
                        help="the current definition (default: [mappings] qualification in "
                        "config.toml, mappings/qualification.toml)")
    parser.add_argument("--input", metavar="FILE",
                        help="contacts exported as .jsonl or .csv (default: every contact, "
                        "read from HubSpot or the sandbox; nothing is written)")
    parser.add_argument("--pulled-properties", metavar="NAMES",
                        help="the properties the definition may read, comma-separated "
                        "(default: [hubspot] properties of config.toml; without a config "
                        "file, the properties the --input file holds)")
    parser.add_argument("--now", metavar="ISO",
                        help="evaluate as of this instant (default: the current time)")
    parser.add_argument("--limit", type=int, default=50, metavar="N",
                        help="list at most N affected contacts (0: all; default 50)")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    pull = pull_for(args.config, args.pulled_properties, args.input)
    candidate = definition_for(args.definition, args.config, pull=pull)
    current = definition_for(args.current, args.config, pull=pull)
    now = parse_now(args.now)
    bad_rows = 0
    contacts: Iterable[Contact]
    if args.input is None:
        contacts = _from_hubspot(args, current.properties | candidate.properties)
    else:
        source = check_input(args.input)
        report_bad = bad_row_printer(source)

        def on_bad_row(row: BadRow) -> None:
            nonlocal bad_rows
            bad_rows += 1
            report_bad(row)

        contacts = contacts_from(source, on_bad_row)
    report = compare(contacts, current, candidate, now,
                     max_affected=None if args.limit <= 0 else args.limit)
    if args.json:
        print(json.dumps({**report.as_json(), "now": iso_utc(now), "bad_rows": bad_rows},
                         indent=2))
    else:
        _print_report(report, bad_rows)
    return EXIT_WARNINGS if bad_rows else EXIT_OK


def _from_hubspot(args: argparse.Namespace, properties: Collection[str]) -> Iterator[Contact]:
    """Every contact, streamed from HubSpot (or the sandbox) with only the properties the two
    definitions read: search pages of 200, read-only."""
    from datetime import UTC, datetime

    from connector.connections import hubspot_client
    from connector.hubspot.changes import iter_changed_contacts
    from connector.settings import load_settings

    client = hubspot_client(load_settings(args.config))
    yield from iter_changed_contacts(client, datetime(1970, 1, 1, tzinfo=UTC), sorted(properties))


def _print_report(report: ShadowReport, bad_rows: int) -> None:
    console = Console(file=sys.stdout)
    console.print(f"current   {report.current[0]!r} ({report.current[1]})")
    console.print(f"candidate {report.candidate[0]!r} ({report.candidate[1]})")
    if report.current[1] == report.candidate[1]:
        console.print("[yellow]same rules (same hash): nothing can change[/yellow]")
    elif report.current[0] == report.candidate[0]:
        console.print("[yellow]the candidate keeps the current version label but its rules "
                      "differ: give it a new version before merging[/yellow]")
    console.print(f"[bold]{report.headline()}[/bold]")

    matrix = Table(title="Grade moves (rows: current, columns: candidate)", title_justify="left")
    matrix.add_column("current \\ candidate")
    for grade in reversed(report.candidate_grades):
        matrix.add_column(grade, justify="right")
    for row in reversed(report.current_grades):
        cells = []
        for col in reversed(report.candidate_grades):
            n = report.grade_moves.get((row, col), 0)
            cells.append(f"[bold]{n}[/bold]" if n and row != col else str(n))
        matrix.add_row(row, *cells)
    console.print(matrix)

    if report.affected:
        table = Table(title=f"Affected contacts ({len(report.affected)} of "
                      f"{report.affected_total})", title_justify="left")
        for column in ("contact", "change", "current", "candidate", "delta"):
            table.add_column(column, no_wrap=True)
        table.add_column("candidate summary", ratio=1)
        for item in report.affected:
            table.add_row(item.contact_id, item.change,
                          f"{item.current_grade} {fmt(item.current_score)}",
                          f"{item.candidate_grade} {fmt(item.candidate_score)}",
                          score_delta(item), item.candidate_summary)
        console.print(table)
        if report.affected_total > len(report.affected):
            console.print(f"... and {report.affected_total - len(report.affected)} more "
                          "(--limit 0 lists all)")
    if bad_rows:
        console.print(f"[yellow]{bad_rows} bad row(s) skipped (see above)[/yellow]")

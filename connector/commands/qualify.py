"""``connector qualify``: apply the definition to exported contacts, offline.

Streams the input (memory does not grow with rows), writes one decision per contact as a JSON
line, and prints a summary by grade. Nothing is sent anywhere. Exit 0; 1 when rows were
skipped (each reported with its line number); 2 for a bad definition, config or option.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TextIO

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
from connector.errors import EXIT_OK, EXIT_WARNINGS, ConfigError, Problem
from connector.qualification.contacts_io import BadRow
from connector.qualification.decision import fmt, iso_utc
from connector.qualification.definition import Definition
from connector.qualification.engine import qualify
from connector.qualification.tally import Tally


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "qualify",
        help="evaluate the qualification definition on exported contacts (offline)",
        description="Apply the qualification definition to contacts exported as JSON lines or "
        "CSV; write one decision per contact as a JSON line and print a summary by grade.",
    )
    parser.add_argument("--input", required=True, metavar="FILE",
                        help="contacts: .jsonl ({id, properties} or flat) or .csv (header = "
                        "property names, hs_object_id or id column)")
    parser.add_argument("--definition", metavar="FILE",
                        help="qualification definition (default: [mappings] qualification in "
                        "config.toml, mappings/qualification.toml)")
    parser.add_argument("--output", metavar="FILE",
                        help="decisions as JSON lines (default: INPUT with suffix "
                        ".decisions.jsonl; '-' for stdout)")
    parser.add_argument("--pulled-properties", metavar="NAMES",
                        help="the properties the definition may read, comma-separated "
                        "(default: [hubspot] properties of config.toml; without a config "
                        "file, the properties the --input file holds)")
    parser.add_argument("--now", metavar="ISO",
                        help="evaluate as of this instant (default: the current time)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    pull = pull_for(args.config, args.pulled_properties, args.input)
    definition = definition_for(args.definition, args.config, pull=pull)
    now = parse_now(args.now)
    source = check_input(args.input)
    output = _output_path(source, args.output)
    tally = Tally.for_definition(definition)
    report_bad = bad_row_printer(source)

    def on_bad_row(row: BadRow) -> None:
        tally.bad_rows += 1
        report_bad(row)

    with _open_sink(output) as out:
        for contact in contacts_from(source, on_bad_row):
            decision = qualify(contact, definition, now)
            tally.add(decision)
            line = {"contact_id": contact.id, **decision.to_snapshot(),
                    "summary": decision.summary()}
            out.write(json.dumps(line, separators=(",", ":")) + "\n")
    report = sys.stderr if output == "-" else sys.stdout
    if args.json:
        print(json.dumps(_summary_json(tally, definition, now, output), indent=2), file=report)
    else:
        _print_summary(tally, definition, now, output, report)
    return EXIT_WARNINGS if tally.bad_rows else EXIT_OK


def _open_sink(output: str) -> AbstractContextManager[TextIO]:
    if output == "-":
        return nullcontext(sys.stdout)
    try:
        return open(output, "w", encoding="utf-8")  # noqa: SIM115 - returned to a with block
    except OSError as exc:
        raise ConfigError([Problem(output, "--output", f"cannot write: {exc.strerror}")]
                          ) from None


def _output_path(source: Path, option: str | None) -> str:
    if option:
        return option
    return str(source.with_name(source.stem + ".decisions.jsonl"))


def _summary_json(tally: Tally, definition: Definition, now: Any, output: str) -> dict[str, Any]:
    return {
        "definition": {"file": definition.source, "version": definition.version,
                       "hash": definition.hash},
        "now": iso_utc(now),
        **tally.as_json(),
        "output": output,
    }


def _print_summary(tally: Tally, definition: Definition, now: Any, output: str,
                   stream: TextIO) -> None:
    console = Console(file=stream)
    table = Table(title=f"Qualification by grade: {definition.version!r} ({definition.hash}), "
                  f"as of {iso_utc(now)}", title_justify="left")
    for column in ("grade", "contacts", "handed off", "avg score", "avg fit",
                   "avg engagement"):
        table.add_column(column, justify="left" if column == "grade" else "right")
    for name, count in reversed(tally.grades.items()):  # hot first
        table.add_row(name, str(count.contacts), str(count.handed_off),
                      fmt(count.average(count.score_sum)), fmt(count.average(count.fit_sum)),
                      fmt(count.average(count.engagement_sum)))
    table.add_row("total", str(tally.contacts), str(tally.handed_off), "", "", "",
                  style="bold", end_section=True)
    console.print(table)
    held = ", ".join(f"{name} {n}" for name, n in tally.gate_failures.most_common())
    console.print(f"held back by gates: {held or 'none'}; by the handoff rule: "
                  f"{tally.held_by_rule}")
    if tally.bad_rows:
        console.print(f"[yellow]{tally.bad_rows} bad row(s) skipped (see above)[/yellow]")
    if output != "-":
        console.print(f"decisions written to {output}")

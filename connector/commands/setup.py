"""``connector setup``: create the connector's HubSpot contact properties that are missing
(idempotent) and list the Salesforce fields a Salesforce admin must create.

Exit 0 when everything is in place, 1 with warnings, 2 when Salesforce fields are missing.
"""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.text import Text

from connector.commands import _problems_view as report
from connector.commands._schema import live_schema_source
from connector.errors import EXIT_FATAL, ConfigError, ConnectorError
from connector.fieldmap import load_mapping
from connector.fieldmap.provision import SetupOutcome, run_setup
from connector.problems import exit_code_for


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "setup", help="create the connector's HubSpot properties; list missing Salesforce fields"
    )
    p.add_argument("--dry-run", action="store_true", help="show what would be created")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--lead", help="lead mapping (default: the settings')")
    p.add_argument("--feedback", help="feedback mapping (default: the settings')")
    p.add_argument("--receipt", help="receipt mapping (default: the settings')")
    p.add_argument("--external-id-field", help="Lead external id field (default: the settings')")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from connector.commands.validate import resolve

    resolved = resolve(
        argparse.Namespace(
            config=getattr(args, "config", None),
            lead=args.lead,
            feedback=args.feedback,
            receipt=args.receipt,
            definition=None,
            pulled_properties=None,
            external_id_field=args.external_id_field,
        )
    )
    ConfigError.raise_if_any(resolved.problems)
    mappings = [
        load_mapping(resolved.lead, direction="lead"),
        load_mapping(resolved.feedback, direction="feedback"),
        load_mapping(resolved.receipt, direction="receipt"),  # renamed targets are created too
    ]
    try:
        outcome = run_setup(
            live_schema_source(args),
            mappings,
            external_id_field=resolved.external_id_field,
            dry_run=args.dry_run,
        )
    except (NotImplementedError, ConnectorError) as exc:
        print(f"cannot reach HubSpot / Salesforce: {exc}", file=sys.stderr)
        return EXIT_FATAL
    if args.json:
        print(json.dumps(as_json(outcome), indent=2))
    else:
        render(outcome, Console(highlight=False))
    return exit_code_for(outcome.problems)


def as_json(outcome: SetupOutcome) -> dict[str, object]:
    return {
        "dry_run": outcome.dry_run,
        "hubspot": {"created": list(outcome.created), "existing": list(outcome.existing)},
        "problems": [p.as_dict() for p in outcome.problems],
    }


def render(outcome: SetupOutcome, console: Console) -> None:
    verb = "would create" if outcome.dry_run else "created"
    for name in outcome.created:
        console.print(Text.assemble(("HubSpot ", "bold"), (f"{verb} ", "green"), name))
    if outcome.existing:
        console.print(
            Text(f"HubSpot: {len(outcome.existing)} connector properties already exist", "dim")
        )
    if outcome.problems:
        console.print(Text("For the Salesforce admin:", style="bold"))
        report.render(outcome.problems, console)
    else:
        console.print(Text("Salesforce: every field the mappings need exists", style="green"))

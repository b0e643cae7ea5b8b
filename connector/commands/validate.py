"""``connector validate [--live] [--json]``: check the config, both mapping files and the
qualification definition; with ``--live``, also against HubSpot's and Salesforce's live schemas.
Offline (the default) it makes no API call and needs no sandbox.

Exit 0 clean, 1 warnings only, 2 errors (3 when the live schemas cannot be fetched).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console

from connector.commands import _problems_view as report
from connector.commands._schema import live_schema_source
from connector.errors import EXIT_FATAL, ConfigError, ConnectorError, Problem
from connector.fieldmap import defaults
from connector.fieldmap.checks import validate_files
from connector.problems import exit_code_for
from connector.settings import receipt_mapping_path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate",
        help="check config, mappings and definition (offline, or --live against both schemas)",
    )
    p.add_argument("--live", action="store_true", help="also check against the live schemas")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--lead", help=f"lead mapping (default: {defaults.DEFAULT_LEAD_MAPPING})")
    p.add_argument(
        "--feedback", help=f"feedback mapping (default: {defaults.DEFAULT_FEEDBACK_MAPPING})"
    )
    p.add_argument(
        "--receipt",
        help="receipt mapping (default: the settings', else receipt.toml beside the lead "
        "mapping, else the shipped one)",
    )
    p.add_argument(
        "--definition", help=f"qualification definition (default: {defaults.DEFAULT_DEFINITION})"
    )
    p.add_argument(
        "--pulled-properties",
        help="comma-separated HubSpot properties the pull requests (default: the settings', "
        "else every property of the sandbox portal)",
    )
    p.add_argument("--external-id-field", help="Lead external id field (default: the settings')")
    p.set_defaults(func=run)


@dataclass
class Resolved:
    """Paths and values after applying the settings (when they load) and the flags."""

    lead: str
    feedback: str
    definition: str
    pulled: frozenset[str]
    external_id_field: str
    receipt: str
    """Unset in flags and settings: receipt.toml beside the lead mapping, else the shipped one."""
    problems: list[Problem] = field(default_factory=list)


def resolve(args: argparse.Namespace) -> Resolved:
    """Flags win; then the settings (whose problems are reported too); then built-in defaults."""
    resolved = Resolved(
        defaults.DEFAULT_LEAD_MAPPING,
        defaults.DEFAULT_FEEDBACK_MAPPING,
        defaults.DEFAULT_DEFINITION,
        defaults.DEFAULT_PULLED_PROPERTIES,
        defaults.DEFAULT_EXTERNAL_ID_FIELD,
        "",
    )
    settings = _settings(args, resolved)
    if settings is not None:
        resolved.lead = str(settings.path(settings.mappings.lead))
        resolved.feedback = str(settings.path(settings.mappings.feedback))
        if settings.mappings.receipt:
            resolved.receipt = str(settings.path(settings.mappings.receipt))
        resolved.definition = str(settings.path(settings.mappings.qualification))
        resolved.pulled = frozenset(settings.hubspot.properties)
        resolved.external_id_field = settings.salesforce.external_id_field
    resolved.lead = args.lead or resolved.lead
    resolved.feedback = args.feedback or resolved.feedback
    resolved.definition = args.definition or resolved.definition
    resolved.receipt = str(receipt_mapping_path(
        getattr(args, "receipt", None) or resolved.receipt, resolved.lead))
    if args.pulled_properties:
        resolved.pulled = frozenset(
            p.strip() for p in args.pulled_properties.split(",") if p.strip()
        )
    resolved.external_id_field = args.external_id_field or resolved.external_id_field
    return resolved


def _settings(args: argparse.Namespace, resolved: Resolved) -> Any:
    """The settings as far as they load, with every problem of the config file: the same
    checks every command and the daemon run, plus the secrets the live systems need (warnings:
    the daemon may have another environment than this shell). Nothing is sent anywhere."""
    from connector.settings import inspect_settings
    from connector.settings_checks import missing_secrets

    try:
        settings, problems = inspect_settings(getattr(args, "config", None))
    except ConfigError as exc:  # unreadable or not TOML at all
        resolved.problems.extend(exc.problems)
        return None
    resolved.problems.extend(problems)
    resolved.problems.extend(Problem(settings.source, key, message, severity="warning",
                                     suggestion="set it where the daemon runs")
                             for key, message in missing_secrets(settings))
    return settings


def run(args: argparse.Namespace) -> int:
    resolved = resolve(args)
    try:
        source = live_schema_source(args) if args.live else None
        outcome = validate_files(
            lead_path=resolved.lead,
            feedback_path=resolved.feedback,
            receipt_path=resolved.receipt,
            definition_path=resolved.definition,
            pulled_properties=resolved.pulled,
            external_id_field=resolved.external_id_field,
            source=source,
            earlier=resolved.problems,
        )
    except (NotImplementedError, ConnectorError) as exc:
        if isinstance(exc, ConfigError):
            raise
        print(f"cannot fetch the live schemas: {exc}", file=sys.stderr)
        return EXIT_FATAL
    if args.json:
        sys.stdout.write(
            report.to_json(outcome.problems, notes=outcome.notes, checked=outcome.checked) + "\n"
        )
    else:
        console = Console(highlight=False)
        report.render(outcome.problems, console, notes=outcome.notes, checked=outcome.checked)
    return exit_code_for(outcome.problems)

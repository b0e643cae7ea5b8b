"""Command line entry point: parse arguments, dispatch to a command module, map errors to exits.

Each module in ``connector/commands/`` exposes ``register(subparsers)``; the subparser it adds
sets ``func=run`` where ``run(args) -> int``. Commands only parse, load settings, call a job or a
report and render; the work lives elsewhere.

Whatever goes wrong ends as an exit code and one clear line on stderr (``commands/_failures``),
never a traceback; ``--debug`` (or ``CONNECTOR_DEBUG=1``) prints the traceback too.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from connector import __version__, commands
from connector.commands._failures import exit_for
from connector.errors import EXIT_CONFIG


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="connector",
        description="Hand qualified HubSpot leads to Salesforce on one shared definition.",
    )
    parser.add_argument("--version", action="version", version=f"connector {__version__}")
    parser.add_argument(
        "--config",
        default=None,
        help="path to config.toml (default: $CONNECTOR_CONFIG, ./config.toml, else built-in "
        "sandbox defaults)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=_env_flag("CONNECTOR_DEBUG"),
        help="print the traceback of an error, not just its one-line summary",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"connector.commands.{info.name}")
        module.register(sub)
    for command in set(sub.choices.values()):  # also after the command: `connector status --debug`
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="print the traceback of an error too")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_CONFIG
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe (`| head`) shows here, not at interpreter exit
        return code
    except BaseException as exc:  # noqa: BLE001 - every ending becomes an exit code
        if isinstance(exc, SystemExit):
            raise
        return exit_for(exc, args, debug=bool(args.debug))


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")

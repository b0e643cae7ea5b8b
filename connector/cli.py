"""Command line entry point: parse arguments, dispatch to a command module, map errors to exits.

Each module in ``connector/commands/`` exposes ``register(subparsers)``; the subparser it adds
sets ``func=run`` where ``run(args) -> int``. Commands only parse, load settings, call a job or a
report and render; the work lives elsewhere.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from connector import __version__, commands
from connector.errors import EXIT_CONFIG, EXIT_FATAL, ConfigError, FatalError


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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"connector.commands.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_CONFIG
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem.render(), file=sys.stderr)
        return EXIT_CONFIG
    except FatalError as exc:
        print(f"fatal: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

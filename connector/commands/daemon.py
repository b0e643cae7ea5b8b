"""``connector daemon [--once]``: run the handoff and feedback jobs on their schedules."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from connector.commands._common import settings_from


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("daemon", help="run the jobs on their schedules (leases, metrics, health)")
    p.add_argument("--once", action="store_true",
                   help="run each job once under its lease, then exit (no scheduler, no HTTP)")
    p.add_argument("--jobs", default="",
                   help="comma-separated subset of jobs to run here (default: all available: "
                        "handoff, feedback)")
    p.add_argument("--log-level", default=os.environ.get("CONNECTOR_LOG_LEVEL", "INFO"),
                   choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="default: INFO")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from connector.daemon.jobs import available_jobs
    from connector.daemon.logging import configure_logging
    from connector.daemon.service import Daemon
    from connector.errors import EXIT_OK, ConfigError, Problem

    settings = settings_from(args)
    configure_logging(level=args.log_level)
    factories = available_jobs()
    if args.jobs:
        wanted = [j.strip() for j in args.jobs.split(",") if j.strip()]
        unknown = [j for j in wanted if j not in factories]
        if unknown:
            raise ConfigError([Problem("--jobs", ",".join(unknown), "unknown or unavailable job",
                                       suggestion="available: " + ", ".join(factories))])
        factories = {j: factories[j] for j in wanted}
    daemon = Daemon(settings, factories=factories)
    configure_logging(level=args.log_level, instance=daemon.owner)
    code = daemon.run_once() if args.once else daemon.run_forever()
    if code != EXIT_OK:
        # a job thread may still be blocked (e.g. in a long HTTP call): do not wait for it.
        # Whatever it had not committed is redone by the next run (the ledger makes it safe).
        logging.shutdown()
        sys.stderr.flush()
        os._exit(code)
    return code

"""``connector sandbox``: serve both simulators on loopback until interrupted.

``--contacts-file FILE`` loads your own contacts into the simulated portal (instead of synthetic
ones, unless ``--contacts`` asks for both); ``connector sandbox outcomes --file labels.csv``
plays known outcomes into the running sandbox's org (see ``connector_sandbox.outcomes``)."""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import threading
from pathlib import Path

from connector.commands._common import console, print_json, settings_from
from connector.errors import EXIT_OK, EXIT_WARNINGS, ConfigError, Problem
from connector.sandbox_extra import require_sandbox
from connector.settings import Settings

HOST = "127.0.0.1"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sandbox", help="serve the HubSpot and Salesforce simulators on loopback")
    p.add_argument("--contacts", type=int, default=None, help="HubSpot contacts to seed")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--hubspot-port", type=int, default=None)
    p.add_argument("--salesforce-port", type=int, default=None)
    p.add_argument("--search-lag", type=float, default=None, help="search-index lag, seconds")
    p.add_argument("--no-rate-limits", action="store_true")
    p.add_argument("--contacts-file", metavar="FILE",
                   help="load these contacts (.jsonl or .csv export) into the portal, creating "
                   "the properties they need; no synthetic contacts unless --contacts is given")
    p.set_defaults(func=run)
    actions = p.add_subparsers(dest="sandbox_action", metavar="{outcomes}")
    o = actions.add_parser(
        "outcomes", help="play known outcomes (labels.csv) into the running sandbox's org",
        description="For each label (email, converted, won, amount, reason), convert the "
        "handed-off Lead and close its Opportunity won or lost, or close the Lead not "
        "converted with the reason. Then run `connector feedback` and `connector report`.")
    o.add_argument("--file", required=True, metavar="LABELS_CSV",
                   help="CSV with columns email, converted, and optionally won, amount, reason")
    o.add_argument("--json", action="store_true", help="print the outcome as JSON")
    o.set_defaults(func=run_outcomes)


def run(args: argparse.Namespace) -> int:
    require_sandbox("`connector sandbox`")
    from connector_sandbox.runner import start_sandbox
    from connector_sandbox.server import tune_gc_for_serving

    settings = settings_from(args)
    sb = settings.sandbox
    out = console()
    workdir = settings.path(sb.workdir)
    own = args.contacts_file is not None
    if own and not Path(args.contacts_file).is_file():
        raise ConfigError([Problem(args.contacts_file, "--contacts-file", "no such file",
                                   suggestion="a .jsonl or .csv export of contacts")])
    default_contacts = 0 if own else sb.contacts
    hubspot_port = sb.hubspot_port if args.hubspot_port is None else args.hubspot_port
    salesforce_port = sb.salesforce_port if args.salesforce_port is None \
        else args.salesforce_port
    _check_ports(settings, {"hubspot": hubspot_port, "salesforce": salesforce_port})
    stop = threading.Event()  # before the servers start: a SIGTERM from then on stops cleanly
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sandbox = start_sandbox(
        workdir,
        seed=sb.seed if args.seed is None else args.seed,
        contacts=default_contacts if args.contacts is None else args.contacts,
        existing_leads=0 if own else sb.existing_leads,
        existing_contacts=0 if own else sb.existing_contacts,
        contacts_file=args.contacts_file,
        hubspot_port=hubspot_port, salesforce_port=salesforce_port,
        search_lag_s=sb.search_lag_seconds if args.search_lag is None else args.search_lag,
        rate_limits=not args.no_rate_limits)
    tune_gc_for_serving()  # this process only serves the simulators from here on
    if sandbox.imported is not None:
        for line in sandbox.imported.lines():
            out.print(line, markup=False)
    ep = sandbox.endpoints
    out.print("[bold]Sandbox running[/bold] (example credentials, not secrets of any real system)")
    out.print(f"  HubSpot     {ep.hubspot_url}   token: {ep.hubspot_token}")
    out.print(f"  Salesforce  {ep.salesforce_url}   CA file: {ep.ca_file}")
    out.print(f"    username {ep.sf_username}  password {ep.sf_password}  "
              f"security token {ep.sf_security_token}")
    out.print(f"    consumer key {ep.sf_consumer_key}  client secret {ep.sf_client_secret}  "
              f"JWT key {ep.sf_private_key_file}")
    out.print(f"  admin API   {ep.hubspot_url}/__sandbox__/calls, "
              f"{ep.salesforce_url}/__sandbox__/calls")
    out.print(f"  endpoints   {workdir / 'endpoints.json'} (read by commands in sandbox mode)")
    out.print("Press Ctrl-C to stop.")
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


def _check_ports(settings: Settings, ports: dict[str, int]) -> None:
    """Refuse at once, naming the setting and the flag, when a port is not usable: out of range
    or taken (another sandbox, a daemon's metrics). 0 means any free port."""
    problems = []
    for system, port in ports.items():
        key, flag = f"sandbox.{system}_port", f"--{system}-port"
        if not 0 <= port <= 65535:
            problems.append(Problem(settings.source, key, f"{port} is not a TCP port",
                                    suggestion=f"{flag} 0 picks any free port"))
        elif port and _in_use(port):
            problems.append(Problem(
                settings.source, key, f"port {port} on {HOST} is already in use",
                suggestion=f"stop what listens there, or pass {flag} <other port> "
                           f"({flag} 0 picks any free port)"))
    ConfigError.raise_if_any(problems)


def _in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            return exc.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


def run_outcomes(args: argparse.Namespace) -> int:
    from connector.connections import salesforce_client, sandbox_endpoints
    from connector_sandbox.org_client import SandboxOrg
    from connector_sandbox.outcomes import apply_outcomes

    settings = settings_from(args)
    if settings.salesforce.mode != "sandbox":
        raise ConfigError([Problem(settings.source, "salesforce.mode",
                                   "sandbox outcomes only writes to the sandbox org",
                                   suggestion='salesforce.mode = "sandbox"')])
    if not Path(args.file).is_file():
        raise ConfigError([Problem(args.file, "--file", "no such file",
                                   suggestion="a CSV with columns email, converted, won, "
                                   "amount, reason")])
    endpoints = sandbox_endpoints(settings)
    org = SandboxOrg(salesforce_client(settings, endpoints=endpoints), endpoints)
    try:
        report = apply_outcomes(args.file, org)
    finally:
        org.close()
    if args.json:
        print_json(report.as_json())
    else:
        out = console()
        for line in report.lines():
            out.print(line, markup=False)
        if report.applied:
            out.print("next: `connector feedback`, then `connector report`", markup=False)
    return EXIT_OK if report.clean else EXIT_WARNINGS

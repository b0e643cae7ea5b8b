"""``connector sandbox``: serve both simulators on loopback until interrupted."""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import threading

from connector.commands._common import console, settings_from
from connector.errors import ConfigError, Problem
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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from connector.sandbox.runner import start_sandbox
    from connector.sandbox.server import tune_gc_for_serving

    settings = settings_from(args)
    sb = settings.sandbox
    out = console()
    workdir = settings.path(sb.workdir)
    hubspot_port = sb.hubspot_port if args.hubspot_port is None else args.hubspot_port
    salesforce_port = sb.salesforce_port if args.salesforce_port is None \
        else args.salesforce_port
    _check_ports(settings, {"hubspot": hubspot_port, "salesforce": salesforce_port})
    sandbox = start_sandbox(
        workdir,
        seed=sb.seed if args.seed is None else args.seed,
        contacts=sb.contacts if args.contacts is None else args.contacts,
        existing_leads=sb.existing_leads, existing_contacts=sb.existing_contacts,
        hubspot_port=hubspot_port, salesforce_port=salesforce_port,
        search_lag_s=sb.search_lag_seconds if args.search_lag is None else args.search_lag,
        rate_limits=not args.no_rate_limits)
    tune_gc_for_serving()  # this process only serves the simulators from here on
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
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
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

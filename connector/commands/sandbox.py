"""``connector sandbox``: serve both simulators on loopback until interrupted."""

from __future__ import annotations

import argparse
import signal
import threading

from connector.commands._common import console, settings_from
from connector.sandbox_extra import require_sandbox


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
    require_sandbox("`connector sandbox`")
    from connector_sandbox.runner import start_sandbox
    from connector_sandbox.server import tune_gc_for_serving

    settings = settings_from(args)
    sb = settings.sandbox
    out = console()
    workdir = settings.path(sb.workdir)
    sandbox = start_sandbox(
        workdir,
        seed=sb.seed if args.seed is None else args.seed,
        contacts=sb.contacts if args.contacts is None else args.contacts,
        existing_leads=sb.existing_leads, existing_contacts=sb.existing_contacts,
        hubspot_port=sb.hubspot_port if args.hubspot_port is None else args.hubspot_port,
        salesforce_port=sb.salesforce_port if args.salesforce_port is None
        else args.salesforce_port,
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

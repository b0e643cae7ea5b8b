"""``connector explain EMAIL|CONTACT_ID``: why was (or wasn't) this lead handed off?

Fetches one contact from HubSpot (or the sandbox), evaluates the definition on it now, and prints
the breakdown (gates, dimensions, each criterion's points and decay), next to what the ledger says
happened at handoff time.
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime

from connector.commands._common import console, datetime_arg, print_json, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explain", help="why was (or wasn't) this contact handed off?")
    p.add_argument("contact", type=contact_arg, help="HubSpot contact id or email address")
    p.add_argument("--definition", default=None, help="definition file (default: configured)")
    p.add_argument("--now", type=datetime_arg, default=None, help="evaluate as of this time")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def contact_arg(value: str) -> str:
    """A HubSpot contact id (digits) or an email address; anything else is a usage error
    (exit 2), not a request for a URL no contact lives at."""
    text = value.strip()
    if text.isdigit() or re.fullmatch(r"[^@\s/]+@[^@\s/]+", text):
        return text
    raise argparse.ArgumentTypeError(
        f"{value!r} is neither a HubSpot contact id (digits) nor an email address")


def run(args: argparse.Namespace) -> int:
    from connector.commands._decision_view import render_decision
    from connector.connections import hubspot_client
    from connector.qualification import load_definition, qualify
    from connector.store import StateStore

    settings = settings_from(args)
    definition = load_definition(args.definition or settings.path(settings.mappings.qualification),
                                 pulled_properties=set(settings.hubspot.properties))
    client = hubspot_client(settings)
    contact = client.get_contact(args.contact, settings.hubspot.properties)
    out = console()
    if contact is None:
        out.print(f"No HubSpot contact {args.contact!r}.")
        return 1
    decision = qualify(contact, definition, args.now or datetime.now(UTC))
    store = StateStore.open(settings.store.url)
    try:
        entry = store.ledger_for([contact.id]).get(contact.id)
    finally:
        store.close()
    if args.json:
        print_json({"contact_id": contact.id, "email": contact.email,
                    "decision": decision.to_snapshot(),
                    "ledger": None if entry is None else {
                        "salesforce_id": entry.salesforce_id, "outcome": entry.outcome,
                        "first_pushed_at": entry.first_pushed_at,
                        "at_handoff": entry.snapshot.to_json()}})
        return 0
    out.print(render_decision(decision, definition))
    if entry is None:
        out.print("Ledger: never handed off.")
    else:
        out.print(f"Ledger: {entry.outcome} as {entry.salesforce_object} {entry.salesforce_id} "
                  f"on {entry.first_pushed_at:%Y-%m-%d %H:%M}Z (pushes: {entry.push_count}); "
                  f"at handoff: grade {entry.snapshot.grade}, score {entry.snapshot.score:g}, "
                  f"definition {entry.snapshot.version}")
    return 0

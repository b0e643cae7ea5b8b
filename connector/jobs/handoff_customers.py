"""Outcomes that exist without a handoff: contacts that became customers in HubSpot.

The handoff job stores a decision for every contact it pulls, handed off or not, and keeps only
the latest. When a contact becomes a customer (``lifecyclestage`` customer or evangelist, set
by HubSpot when a deal closes won), it is pulled again and its new decision would overwrite the
one taken *before* it became a customer, the one the calibration needs. So the decision of a
customer keeps, in its snapshot's ``extra``:

- ``customer``: True (this decision was taken while the contact was a customer);
- ``before_customer``: the last decision taken before (score, grade, fired criteria,
  dimensions, definition, whether every gate passed, when), carried forward from decision to
  decision. A contact first seen as a customer has none: there is no "before" to learn from.

The report reads these from the decisions table (``connector.report.customers``): every
decided contact that passed the gates is one outcome, won when it became a customer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from connector.records import Contact
from connector.store import StoredDecision

CUSTOMER_STAGES = frozenset({"customer", "evangelist"})
CUSTOMER_KEY = "customer"
BEFORE_KEY = "before_customer"
KEPT_PROPERTIES = ("lifecyclestage",)
"""What the job keeps of a contact that is not handed off (to tell a customer)."""


def is_customer(contact: Contact) -> bool:
    return str(contact.get("lifecyclestage") or "").strip().lower() in CUSTOMER_STAGES


def kept(contact: Contact) -> Contact:
    """The contact reduced to what the decision store needs (memory stays bounded)."""
    return Contact(contact.id, {k: contact.get(k) for k in KEPT_PROPERTIES
                                if contact.get(k) is not None})


def gates_passed(extra: Mapping[str, Any]) -> bool | None:
    """Whether every gate passed, from a stored snapshot's ``extra["gates"]`` (None: unknown)."""
    gates = extra.get("gates")
    if not isinstance(gates, list):
        return None
    return all(isinstance(g, Mapping) and bool(g.get("passed")) for g in gates)


def before_customer(previous: StoredDecision | None) -> dict[str, Any] | None:
    """The pre-customer decision to keep on a customer's new decision, or None."""
    if previous is None:
        return None
    extra = previous.snapshot.extra
    carried = extra.get(BEFORE_KEY)
    if isinstance(carried, Mapping):
        return dict(carried)
    if extra.get(CUSTOMER_KEY):
        return None  # already a customer when first decided: no "before"
    snap = previous.snapshot
    return {
        "score": snap.score, "grade": snap.grade, "version": snap.version,
        "definition_hash": snap.definition_hash, "dimensions": dict(snap.dimensions),
        "fired": list(snap.fired), "gates_passed": gates_passed(extra),
        "decided_at": _iso(previous.decided_at),
    }


def customer_extra(contact: Contact, previous: StoredDecision | None) -> dict[str, Any]:
    """What a customer's decision snapshot adds to ``extra`` (empty for a non-customer)."""
    if not is_customer(contact):
        return {}
    out: dict[str, Any] = {CUSTOMER_KEY: True}
    before = before_customer(previous)
    if before is not None:
        out[BEFORE_KEY] = before
    return out


def _iso(moment: datetime) -> str:
    return moment.isoformat()

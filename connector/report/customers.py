"""Outcomes that exist without a handoff: contacts that became customers in HubSpot.

The handoff job stores a decision for every contact it pulls, handed off or not; when a contact
becomes a customer it keeps, on the customer's decision, the decision taken *before*
(``extra["before_customer"]``, see ``connector.jobs.handoff_customers``). Every decided contact
that passed the gates is then one outcome, with no selection at all (a census):

- won, from its pre-customer decision, when it became a customer;
- not won, from its latest decision, otherwise;
- left out: contacts that failed a gate, and customers first seen as customers (no "before").

The report measures each criterion's lift on *becoming a customer* over that census: the one
outcome the handoff rule cannot bias, because it is observed for every contact, handed off or
not. (Recent contacts have had little time to become customers: read it with that in mind.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from connector.report.outcomes import HandoffOutcome
from connector.report.signals import SignalAccumulator
from connector.store import StoredDecision

CUSTOMER_KEY = "customer"
BEFORE_KEY = "before_customer"
UNGRADED = "ungraded"


def _gates_passed(extra: Mapping[str, Any]) -> bool | None:
    gates = extra.get("gates")
    if not isinstance(gates, list):
        return None
    return all(isinstance(g, Mapping) and bool(g.get("passed")) for g in gates)


def _outcome(contact_id: str, decision: StoredDecision, data: Mapping[str, Any], won: bool,
             criterion_dimension: Mapping[str, str]) -> HandoffOutcome:
    fired = frozenset(str(c) for c in data.get("fired", ()))
    return HandoffOutcome(
        hubspot_id=contact_id, handed_off_at=decision.decided_at,
        version=str(data["version"]), definition_hash=str(data["definition_hash"]),
        score=float(data["score"]), grade=str(data.get("grade") or UNGRADED),
        dimensions={str(k): float(v) for k, v in dict(data.get("dimensions", {})).items()},
        fired=fired, criterion_dimension=criterion_dimension, converted=won, won=won,
        census=True)


def customer_outcomes(decisions: Iterable[StoredDecision],
                      criterion_dimension: Mapping[str, str] | None = None
                      ) -> Iterator[HandoffOutcome]:
    """One census outcome per decided contact that passed the gates (see module docstring)."""
    mapping = dict(criterion_dimension or {})
    for d in decisions:
        extra = d.snapshot.extra
        before = extra.get(BEFORE_KEY)
        if isinstance(before, Mapping):
            if before.get("gates_passed") is False:
                continue
            yield _outcome(d.contact_id, d, before, True, mapping)
        elif extra.get(CUSTOMER_KEY) or _gates_passed(extra) is False:
            continue
        else:
            yield _outcome(d.contact_id, d, d.snapshot.to_json(), False, mapping)


class CustomerAccumulator:
    """Counts the census and its per-criterion lifts on becoming a customer."""

    def __init__(self) -> None:
        self.signals = SignalAccumulator()
        self.population = 0
        self.customers = 0

    def add(self, outcome: HandoffOutcome) -> None:
        self.population += 1
        self.customers += outcome.won
        self.signals.add(outcome)

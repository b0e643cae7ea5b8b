"""Pure decisions of the handoff job: what to do in Salesforce for one qualified contact.

Given the contact, its decision, its ledger entry and what Salesforce already holds for its email,
``classify`` says create / update / adopt / existing_contact (or a record error), and
``change_key`` says whether anything that matters changed since the last push.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from connector.datetimes import to_hubspot_datetime
from connector.errors import RecordError
from connector.jobs.control_chars import clean_values
from connector.qualification import Decision
from connector.records import Contact

ActionKind = Literal["create", "update", "adopt", "existing_contact"]


@dataclass(frozen=True)
class Target:
    """Where a qualified contact goes in Salesforce."""

    kind: ActionKind
    salesforce_id: str | None = None
    current: Mapping[str, Any] | None = None
    owner_id: str | None = None


@dataclass(frozen=True)
class Planned:
    contact: Contact
    decision: Decision
    target: Target
    change_key: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def kind(self) -> ActionKind:
        return self.target.kind


def change_key(contact: Contact, properties: Iterable[str], *, definition_hash: str,
               mapping_hash: str) -> str:
    """Identity of everything a push depends on: the contact's values of the properties the
    definition and the mapping read, plus both rule sets' hashes. Time-only changes (recency
    decay) do not count: a lead is pushed once per *change*."""
    values = {name: contact.properties.get(name) for name in sorted(set(properties))}
    blob = json.dumps([definition_hash, mapping_hash, values], sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def payload_hash(payload: Mapping[str, Any]) -> str:
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def mapping_source(contact: Contact, decision: Decision, handoff_at: datetime) -> dict[str, Any]:
    """The record a lead mapping reads: HubSpot properties plus the decision (the receipt).
    ``decision.decided_at`` is the *first* handoff time, so it is stable across pushes."""
    source: dict[str, Any] = dict(contact.properties)
    source.update(decision.as_source_fields())
    source["decision.decided_at"] = to_hubspot_datetime(handoff_at)
    return source


def classify(
    contact: Contact,
    *,
    ledger_salesforce_id: str | None,
    ledger_object: str | None,
    leads_by_email: Mapping[str, Sequence[Mapping[str, Any]]],
    contacts_by_email: Mapping[str, Sequence[Mapping[str, Any]]],
    external_id_field: str,
) -> Target | RecordError:
    """Decide the Salesforce target of a qualified contact.

    - already in our ledger as a Lead: ``update`` it (upsert by external id);
    - already in our ledger as a Contact: ``existing_contact`` again (no Lead is made);
    - a Contact has its email: ``existing_contact`` (a customer or in a deal: no Lead);
    - a Lead has its email and our external id (a crash after push, before commit): ``update``;
    - a Lead has its email and no external id: ``adopt`` it (the oldest, if several);
    - a Lead has its email but another contact's id: a record error (needs a human);
    - otherwise: ``create``.
    """
    if ledger_salesforce_id and ledger_object == "Lead":
        return Target("update", ledger_salesforce_id)
    if ledger_salesforce_id and ledger_object == "Contact":
        return Target("existing_contact", ledger_salesforce_id)
    email = contact.email
    if email and contacts_by_email.get(email):
        match = sorted(contacts_by_email[email], key=lambda r: str(r.get("CreatedDate", "")))[0]
        return Target("existing_contact", str(match["Id"]), owner_id=match.get("OwnerId"))
    leads = list(leads_by_email.get(email, ())) if email else []
    ours = [r for r in leads if str(r.get(external_id_field) or "") == contact.id]
    if ours:
        return Target("update", str(ours[0]["Id"]), current=ours[0])
    free = sorted((r for r in leads if not r.get(external_id_field)),
                  key=lambda r: str(r.get("CreatedDate", "")))
    if free:
        return Target("adopt", str(free[0]["Id"]), current=free[0])
    if leads:
        other = leads[0].get(external_id_field)
        return RecordError(
            "EMAIL_OWNED_BY_OTHER_CONTACT",
            f"Lead {leads[0].get('Id')} with this email belongs to HubSpot contact {other}",
            ("Email",), record_key=contact.id)
    return Target("create")


def group_by_email(records: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    out: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        email = str(record.get("Email") or "").strip().lower()
        if email:
            out.setdefault(email, []).append(record)
    return out


def field_diff(payload: Mapping[str, Any], current: Mapping[str, Any] | None
               ) -> dict[str, tuple[Any, Any]]:
    """Field-level diff for a dry run: target field -> (current, new), changed fields only."""
    current = current or {}
    return {k: (current.get(k), v) for k, v in payload.items()
            if _norm(current.get(k)) != _norm(v)}


def _norm(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == "":
        return None
    return value


def clean_contact(contact: Contact) -> tuple[Contact, int]:
    """The contact with control characters stripped from every property value (they are never
    sent anywhere), and how many values were changed."""
    props, changed = clean_values(contact.properties)
    if not changed:
        return contact, 0
    return Contact(contact.id, props, updated_at=contact.updated_at), changed

"""Seed the org with the duplicates a real org already holds: Leads and Contacts (with their
Accounts) that share emails with HubSpot contacts but carry no HubSpot id. Deterministic for a
given seed; records are backdated over the past year, as existing data is."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from .catalog import LEAD_SOURCES
from .sftime import format_datetime
from .values import EMAIL_RE

if TYPE_CHECKING:
    from .org import Org

_OPEN_STATUSES = ("Open - Not Contacted", "Working - Contacted", "Nurturing",
                  "Closed - Not Converted")
_STATUS_WEIGHTS = (5, 3, 3, 1)


def _clip(value: Any, length: int) -> str | None:
    text = str(value or "").strip()
    return text[:length] or None


def _person(person: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "FirstName": _clip(person.get("firstname"), 40),
        "LastName": _clip(person.get("lastname"), 80) or "Unknown",
        "Email": str(person.get("email") or "").strip(),
        "Phone": _clip(person.get("phone"), 40),
        "Title": _clip(person.get("jobtitle") or person.get("title"), 128),
    }


def seed_org(org: Org, people: Iterable[Mapping[str, Any]], *, leads: int, contacts: int,
             seed: int = 0) -> dict[str, list[str]]:
    """Create ``leads`` Leads and ``contacts`` Contacts from ``people`` (dicts with email,
    firstname, lastname, company, jobtitle or title, phone). People are reused in turn when
    there are fewer of them than records, which also yields Lead + Contact pairs."""
    pool = [p for p in people if EMAIL_RE.fullmatch(str(p.get("email") or "").strip())]
    created: dict[str, list[str]] = {"leads": [], "contacts": [], "accounts": []}
    if not pool:
        return created
    rng = random.Random(seed)
    order = list(pool)
    rng.shuffle(order)
    reps = org.rep_ids() or [org.integration_user_id]
    now = org.clock()

    def stamps() -> dict[str, str]:
        created_at = now - timedelta(days=rng.uniform(1, 400))
        modified_at = created_at + (now - created_at) * rng.random() * 0.5
        return {"CreatedDate": format_datetime(created_at),
                "LastModifiedDate": format_datetime(modified_at),
                "SystemModstamp": format_datetime(modified_at)}

    with org.lock:
        for i in range(leads):
            person = order[i % len(order)]
            fields = _person(person)
            fields.update(stamps())
            fields.update({
                "Company": _clip(person.get("company"), 255) or "[not provided]",
                "Status": rng.choices(_OPEN_STATUSES, _STATUS_WEIGHTS)[0],
                "LeadSource": rng.choice(LEAD_SOURCES),
                "OwnerId": reps[i % len(reps)],
            })
            created["leads"].append(org.save_as_system("Lead", fields))
        accounts: dict[str, str] = {}
        for i in range(contacts):
            person = order[(leads + i) % len(order)]
            company = _clip(person.get("company"), 255) or "[not provided]"
            owner = reps[(leads + i) % len(reps)]
            if company.casefold() not in accounts:
                account = {"Name": company, "OwnerId": owner}
                account.update(stamps())
                accounts[company.casefold()] = org.save_as_system("Account", account)
                created["accounts"].append(accounts[company.casefold()])
            fields = _person(person)
            fields.update(stamps())
            fields.update({"AccountId": accounts[company.casefold()], "OwnerId": owner})
            created["contacts"].append(org.save_as_system("Contact", fields))
    return created

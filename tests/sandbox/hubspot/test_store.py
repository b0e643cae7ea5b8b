"""In-process access for tests and the simulated sales team (``sim.contacts``), and how its
writes show up through the API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connector_sandbox.synthetic import generate_contacts

from .conftest import SEED_START, Portal
from .helpers import f, search


def test_seeded_contacts_carry_their_intent(portal: Portal) -> None:
    generated = list(generate_contacts(len(portal.ids), 3, SEED_START))
    for cid, contact in zip(portal.ids[:20], generated, strict=False):
        assert portal.sim.hidden_intent(cid) == contact.intent
        stored = portal.sim.contacts.get(cid)
        assert stored is not None and stored["hs_object_id"] == cid
        assert stored["email"] == contact.properties["email"]
    assert portal.sim.contacts.all_ids() == portal.ids
    assert portal.sim.contacts.count() == len(portal.ids)


def test_update_bumps_lastmodifieddate_strictly(portal: Portal) -> None:
    frozen = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)
    portal.configure(clock=lambda: frozen)
    cid = portal.ids[0]
    stamps = []
    for n in range(3):
        portal.sim.contacts.update(cid, {"pricing_page_views": n})
        stamps.append(portal.sim.contacts.get(cid)["lastmodifieddate"])  # type: ignore[index]
    assert stamps == sorted(set(stamps)) and stamps[0] == "2026-11-05T12:00:00.000Z"
    when = datetime(2026, 11, 6, tzinfo=UTC)
    portal.sim.contacts.update(cid, {"hs_lead_status": "CONNECTED"}, modified_at=when)
    assert portal.sim.contacts.get(cid)["lastmodifieddate"] == "2026-11-06T00:00:00.000Z"  # type: ignore[index]


def test_trusted_writes_still_validate(portal: Portal) -> None:
    cid = portal.sim.contacts.create({"email": "Sales.Rep@Team.io",
                                      "hs_analytics_source": "OFFLINE"})
    assert portal.sim.contacts.find_by_email("sales.rep@team.io") == cid
    with pytest.raises(ValueError):
        portal.sim.contacts.update(cid, {"lifecyclestage": "won"})
    with pytest.raises(ValueError):
        portal.sim.contacts.create({"no_such_property": "x"})


def test_bulk_import_shares_one_timestamp_and_pages_by_id(portal: Portal) -> None:
    when = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
    portal.sim.contacts.set_many_modified(portal.ids, when)
    stamp = "2026-11-10T08:00:00.000Z"
    seen, after = [], None
    while True:
        page = search(portal, [f("lastmodifieddate", "EQ", stamp)], limit=20, after=after,
                      sorts=[{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}])
        seen += [r.id for r in page.results]
        if not page.paging:
            break
        after = page.paging.next.after
    assert seen == portal.ids  # equal timestamps: ties broken by id, nothing lost or repeated


def test_reset_empties_the_portal(portal: Portal) -> None:
    portal.sim.reset()
    assert portal.sim.contacts.count() == 0
    assert search(portal, []).total == 0

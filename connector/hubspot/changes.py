"""Incremental pull of changed contacts: every contact modified at or after a watermark, in
``lastmodifieddate`` order, exactly once per pull, whatever the volume.

HubSpot's search pages with an *offset* (``after``) and refuses to page past 10,000 results, and
contacts modified while we page shift the offsets under us. So this pull never pages with
``after``: it is a keyset scan. Each query asks for the first page of contacts with
``lastmodifieddate >= T`` (T = the last timestamp seen), skipping those already yielded at T.
When a whole page shares one timestamp (a bulk import can stamp 10,000+ contacts with the same
millisecond), it drains that timestamp by ``hs_object_id`` (``lastmodifieddate = T AND
hs_object_id > last id``, sorted by id), then continues with ``lastmodifieddate > T``.
No query ever reaches the 10,000 cap, an offset never shifts, and memory holds only the ids seen
at the current timestamp. A contact modified during the pull is yielded again later with its new
timestamp (the job's payload hash makes that free). Search-index lag is the caller's business:
start the watermark a little before the cursor (``overlap_seconds``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from connector.datetimes import to_epoch_ms
from connector.hubspot.api import ContactSearch
from connector.hubspot.client import SearchPage
from connector.hubspot.filters import ID, LMD, ascending, changed_at_after_id, changed_since
from connector.records import Contact


def count_changed_since(client: ContactSearch, since: datetime) -> int:
    """How many contacts changed at or after ``since`` (one search call, one result)."""
    page = client.search(filter_groups=changed_since(to_epoch_ms(since)), properties=[LMD],
                         limit=1)
    return page.total


def contact_ms(contact: Contact) -> int:
    return to_epoch_ms(contact.updated_at) if contact.updated_at else 0


def iter_changed_contacts(
    client: ContactSearch,
    since: datetime,
    properties: Sequence[str],
    *,
    page_size: int = 200,
    on_page: object = None,
    until: datetime | None = None,
) -> Iterator[Contact]:
    """Yield every contact with ``since <= lastmodifieddate [<= until]`` in non-decreasing
    timestamp order.

    ``until`` bounds a run to the changes that existed when it started: the run's own
    write-backs (which bump ``lastmodifieddate``) and later edits wait for the next run, so a run
    always ends. ``on_page``, if callable, is called with each ``SearchPage`` (progress).
    """
    props = sorted(set(properties) | {LMD, ID})
    until_ms = None if until is None else to_epoch_ms(until)
    anchor = to_epoch_ms(since)
    seen_at_anchor: set[str] = set()
    inclusive = True
    while True:
        page = client.search(
            filter_groups=changed_since(anchor, inclusive=inclusive, until_ms=until_ms),
            sorts=ascending(LMD), properties=props, limit=page_size)
        if callable(on_page):
            on_page(page)
        contacts = page.contacts
        if not contacts:
            return
        saturated = len(contacts) >= page_size
        if saturated and all(contact_ms(c) == contact_ms(contacts[0]) for c in contacts):
            tied = contact_ms(contacts[0])
            already = seen_at_anchor if tied == anchor else set()
            yield from _drain_timestamp(client, tied, already, props, page_size, on_page)
            anchor, seen_at_anchor, inclusive = tied, set(), False
            continue
        for contact in contacts:
            stamp = contact_ms(contact)
            if stamp == anchor and contact.id in seen_at_anchor:
                continue
            if stamp != anchor:
                anchor, seen_at_anchor = stamp, set()
            seen_at_anchor.add(contact.id)
            yield contact
        inclusive = True
        if not saturated:
            return


def _drain_timestamp(
    client: ContactSearch,
    stamp: int,
    already: set[str],
    props: Sequence[str],
    page_size: int,
    on_page: object,
) -> Iterator[Contact]:
    last_id = "0"
    while True:
        page: SearchPage = client.search(
            filter_groups=changed_at_after_id(stamp, last_id), sorts=ascending(ID),
            properties=props, limit=page_size)
        if callable(on_page):
            on_page(page)
        for contact in page.contacts:
            if contact.id not in already:
                yield contact
        if len(page.contacts) < page_size:
            return
        last_id = page.contacts[-1].id

"""The portal's contacts: records, the email index, hidden intents, and write timestamps.

Records are dicts of strings (what HubSpot returns) and are never mutated once stored: a write
builds a new dict, so the search index can keep sharing the old one until it catches up. One
re-entrant lock guards everything; the HTTP handlers and in-process callers (tests, the
simulated sales team) take it alike.

``lastmodifieddate`` advances on every write: each write call gets ``max(now, last + 1 ms)``,
shared by all records of a batch, as in HubSpot.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from .index import LMD, Props, SearchIndex
from .properties import PropertyRegistry, ValueProblem
from .timefmt import to_iso, to_ms

FIRST_ID = 101
Changes = dict[str, str | None]


class WriteConflict(Exception):
    """An email already used by another contact (HubSpot: 409 CONFLICT)."""

    def __init__(self, email: str, existing_id: int) -> None:
        super().__init__(f"Contact already exists. Existing ID: {existing_id}")
        self.email = email
        self.existing_id = existing_id


class ContactStore:
    """Contacts by numeric id; public methods take and return ids as strings, like the API."""

    def __init__(self, registry: PropertyRegistry, now_ms: Callable[[], int],
                 lag_ms: Callable[[], int]) -> None:
        self.registry = registry
        self.lock = threading.RLock()
        self.index = SearchIndex()
        self._now_ms = now_ms
        self._lag_ms = lag_ms
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self._records: dict[int, Props] = {}
            self._by_email: dict[str, int] = {}
            self._intent: dict[int, float] = {}
            self._sorted_ids: list[int] | None = []
            self._next_id = FIRST_ID
            self._last_write_ms = 0
            self.index.clear()

    # -- in-process API (tests, simulated sales team) ---------------------------------------
    def get(self, contact_id: str | int) -> dict[str, str] | None:
        with self.lock:
            props = self._records.get(_int_id(contact_id))
            return dict(props) if props is not None else None

    def count(self) -> int:
        return len(self._records)

    def all_ids(self) -> list[str]:
        with self.lock:
            return [str(cid) for cid in self.sorted_ids()]

    def find_by_email(self, email: str) -> str | None:
        """The id of the contact with this email (case-insensitive), or None."""
        cid = self._by_email.get(email.strip().lower())
        return None if cid is None else str(cid)

    def create(self, props: Mapping[str, Any]) -> str:
        """Create a contact (values may be non-strings; read-only properties allowed)."""
        with self.lock:
            return str(self.write([(None, self.trusted_changes(props))])[0])

    def update(self, contact_id: str | int, props: Mapping[str, Any], *,
               modified_at: datetime | None = None) -> None:
        """Change properties (``""`` or None clears); bumps ``lastmodifieddate``."""
        with self.lock:
            cid = self.require(contact_id)
            stamp = to_ms(modified_at) if modified_at is not None else None
            self.write([(cid, self.trusted_changes(props))], stamp_ms=stamp)

    def set_many_modified(self, ids: Iterable[str | int], when: datetime) -> None:
        """Give many contacts the same ``lastmodifieddate`` (a bulk import)."""
        with self.lock:
            self.write([(self.require(cid), {}) for cid in ids], stamp_ms=to_ms(when))

    def intent(self, contact_id: str | int) -> float:
        return self._intent.get(_int_id(contact_id), 0.0)

    # -- used by the API handlers (caller holds the lock) -----------------------------------
    def record(self, cid: int) -> Props | None:
        return self._records.get(cid)

    def id_by_email(self, email: str) -> int | None:
        return self._by_email.get(email.strip().lower())

    def require(self, contact_id: str | int) -> int:
        cid = _int_id(contact_id)
        if cid not in self._records:
            raise KeyError(f"no contact {contact_id}")
        return cid

    def trusted_changes(self, props: Mapping[str, Any]) -> Changes:
        try:
            return {k: self.registry.normalize(k, v, trusted=True) for k, v in props.items()}
        except ValueProblem as problem:
            raise ValueError(problem.message) from None

    def sorted_ids(self) -> list[int]:
        if self._sorted_ids is None:
            self._sorted_ids = sorted(self._records)
        return self._sorted_ids

    def ids_from(self, start: int, limit: int) -> list[int]:
        ids = self.sorted_ids()
        at = bisect_left(ids, start)
        return ids[at:at + limit + 1]

    def check_email(self, cid: int | None, changes: Changes) -> None:
        email = changes.get("email")
        if email:
            owner = self._by_email.get(email)
            if owner is not None and owner != cid:
                raise WriteConflict(email, owner)

    def write(self, writes: list[tuple[int | None, Changes]], *,
              stamp_ms: int | None = None) -> list[int]:
        """Apply creates (id None) and updates with one shared timestamp; returns the ids."""
        now = self._now_ms()
        if stamp_ms is None:
            stamp_ms = max(now, self._last_write_ms + 1)
        self._last_write_ms = max(self._last_write_ms, stamp_ms)
        stamp = to_iso(stamp_ms)
        visible_at = now + self._lag_ms()
        ids: list[int] = []
        for cid, changes in writes:
            self.check_email(cid, changes)
            if cid is None:
                cid = self._next_id
                self._next_id += 1
                old: Props = {"hs_object_id": str(cid), "createdate": stamp}
                self._sorted_ids = None
            else:
                old = self._records[cid]
            ids.append(cid)
            self._store(cid, _merged(old, changes, stamp), visible_at, now)
        return ids

    def _store(self, cid: int, new: Props, visible_at: int, now: int) -> None:
        old = self._records.get(cid)
        if old is not None and old.get("email") and old.get("email") != new.get("email"):
            self._by_email.pop(old["email"], None)
        if new.get("email"):
            self._by_email[new["email"]] = cid
        self._records[cid] = new
        self.index.put(cid, new, visible_at, now)

    def delete(self, cid: int) -> None:
        old = self._records.pop(cid, None)
        if old is None:
            return
        if old.get("email"):
            self._by_email.pop(old["email"], None)
        self._intent.pop(cid, None)
        self._sorted_ids = None
        now = self._now_ms()
        self.index.put(cid, None, now + self._lag_ms(), now)

    def load(self, rows: Iterable[tuple[Props, float]]) -> list[int]:
        """Bulk-insert seeded contacts with their own historic dates; visible at once.

        An email already in the portal gets a numeric suffix, as a real import would have
        needed."""
        with self.lock:
            loaded: list[tuple[int, Props]] = []
            for props, intent in rows:
                cid = self._next_id
                self._next_id += 1
                record = {"hs_object_id": str(cid), **props}
                email = record.get("email")
                if email:
                    n = 2
                    while email in self._by_email:
                        local, _, domain = record["email"].partition("@")
                        email = f"{local}{n}@{domain}"
                        n += 1
                    record["email"] = email
                    self._by_email[email] = cid
                self._records[cid] = record
                self._intent[cid] = intent
                self._last_write_ms = max(self._last_write_ms, _ms_of(record[LMD]))
                loaded.append((cid, record))
            self._sorted_ids = None
            self.index.load(loaded)
            return [cid for cid, _ in loaded]


def _merged(old: Props, changes: Changes, stamp: str) -> Props:
    new = dict(old)
    for name, value in changes.items():
        if value is None:
            new.pop(name, None)
        else:
            new[name] = value
    if "email" in changes:
        email = changes["email"]
        if email:
            new["hs_email_domain"] = email.partition("@")[2]
        else:
            new.pop("hs_email_domain", None)
    new[LMD] = stamp
    return new


def _ms_of(iso: str) -> int:
    return to_ms(datetime.fromisoformat(iso))


def _int_id(contact_id: str | int) -> int:
    try:
        return int(contact_id)
    except (TypeError, ValueError):
        return -1

"""The store's unit of work: everything a job commits for one batch, atomically.

A job writes a batch's ledger rows, dead letters, decisions, dispositions, run progress and the
moved cursor through ONE ``Transaction``; if anything raises inside ``StateStore.transaction()``
nothing is written and the cursor stays where it was. That is how "the cursor moves only past
records whose outcome is committed" holds.

Every method takes a whole batch and sends it as one ``executemany`` (an upsert where rows may
already exist), never one round trip per record. Duplicate keys inside one batch are fine: rows
apply in order, as if recorded one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from connector.store import leases, rows
from connector.store.schema import (
    cursors,
    dead_letters,
    decisions,
    dispositions,
    handoff_ledger,
    push_intents,
)
from connector.store.schema import runs as runs_table
from connector.store.sql_helpers import chunked, upsert_insert
from connector.store.values import Disposition, Handoff, RecordFailure, StoredDecision


class Transaction:
    """Batch writes inside one database transaction. Obtain it from ``StateStore.transaction()``;
    it is unusable once the ``with`` block ends."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def require_lease(self, job: str, owner: str, now: datetime) -> None:
        """Fence: raise ``LeaseLostError`` (and so roll everything back) unless ``owner`` still
        holds ``job``'s unexpired lease; on PostgreSQL the lease row stays locked until commit,
        so no takeover can slip in between this check and the commit. Call it first."""
        if not leases.owned(self._conn, job, owner, now, lock=True):
            raise leases.LeaseLostError(
                f"job {job!r}: this run lost its lease (paused or cut off past the TTL, and "
                "another owner took over): nothing of this batch is committed",
                code="LEASE_LOST")

    def put_intents(self, job: str, items: Iterable[tuple[str, str, str | None]],
                    now: datetime) -> int:
        """Remember what is about to be pushed: (record key, outcome, target id). A crash
        between the push and the batch commit leaves the intent, so the rerun can tell a Lead
        it created from one it adopted and write the same receipt as a clean run."""
        params = [{"job": job, "record_key": key, "outcome": outcome, "target_id": target,
                   "recorded_at": now} for key, outcome, target in items]
        if params:
            stmt = upsert_insert(self._conn, push_intents)
            stmt = stmt.on_conflict_do_update(
                index_elements=[push_intents.c.job, push_intents.c.record_key],
                set_={"outcome": stmt.excluded.outcome, "target_id": stmt.excluded.target_id,
                      "recorded_at": stmt.excluded.recorded_at})
            self._conn.execute(stmt, params)
        return len(params)

    def clear_intents(self, job: str, record_keys: Iterable[str]) -> None:
        """Forget the intents of records whose outcome this transaction commits."""
        for chunk in chunked(record_keys):
            self._conn.execute(push_intents.delete().where(
                push_intents.c.job == job, push_intents.c.record_key.in_(chunk)))

    def set_cursor(self, job: str, value: str, now: datetime) -> None:
        """Move ``job``'s cursor to ``value`` (an opaque string only the job interprets)."""
        stmt = upsert_insert(self._conn, cursors).values(job=job, value=value, updated_at=now)
        stmt = stmt.on_conflict_do_update(
            index_elements=[cursors.c.job],
            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        )
        self._conn.execute(stmt)

    def put_decisions(self, items: Iterable[StoredDecision]) -> int:
        """Keep each contact's latest decision. A decision older (``decided_at``) than the stored
        one is ignored, so overlapping or replayed runs never roll a contact back. Returns how
        many decisions were given."""
        params = [rows.decision_params(d) for d in items]
        if params:
            stmt = upsert_insert(self._conn, decisions)
            stmt = stmt.on_conflict_do_update(
                index_elements=[decisions.c.contact_id],
                set_={c.name: stmt.excluded[c.name] for c in decisions.c if not c.primary_key},
                where=stmt.excluded.decided_at >= decisions.c.decided_at,
            )
            self._conn.execute(stmt, params)
        return len(params)

    def record_handoffs(self, items: Iterable[Handoff]) -> int:
        """Record pushes in the ledger, keyed by HubSpot id.

        A new contact gets ``first_pushed_at = last_pushed_at = at`` and ``push_count = 1``.
        A known one keeps ``first_pushed_at``, gets ``last_pushed_at = at``, ``push_count + 1``,
        and the new outcome, snapshot, payload hash and email; its Salesforce id and object are
        replaced only by non-null values. Record contacts Salesforce was asked about; contacts
        skipped because their payload is unchanged belong in the run's counts, not here.
        Returns how many handoffs were given."""
        params = [rows.handoff_params(h) for h in items]
        if params:
            t = handoff_ledger.c
            stmt = upsert_insert(self._conn, handoff_ledger)
            new = stmt.excluded
            replaced = ("outcome", "score", "grade", "definition_version", "definition_hash")
            stmt = stmt.on_conflict_do_update(
                index_elements=[t.hubspot_id],
                set_={
                    **{name: new[name] for name in replaced},
                    "snapshot": new.snapshot,
                    "payload_hash": new.payload_hash,
                    "email": new.email,
                    "salesforce_id": sa.func.coalesce(new.salesforce_id, t.salesforce_id),
                    "salesforce_object": sa.func.coalesce(
                        new.salesforce_object, t.salesforce_object
                    ),
                    "last_pushed_at": new.last_pushed_at,
                    "push_count": t.push_count + new.push_count,
                },
            )
            self._conn.execute(stmt, params)
        return len(params)

    def add_dead_letters(self, failures: Iterable[RecordFailure], now: datetime) -> int:
        """Dead-letter rejected records. A record already failing with the same code (an open
        row for its job, record key and error code) gets ``attempts + 1``, ``last_seen = now``
        and the latest message, fields and payload; otherwise a new open row is made."""
        params = [rows.failure_params(f, now) for f in failures]
        if params:
            t = dead_letters.c
            stmt = upsert_insert(self._conn, dead_letters)
            new = stmt.excluded
            stmt = stmt.on_conflict_do_update(
                index_elements=[t.job, t.record_key, t.error_code],
                index_where=t.resolved_at.is_(None),
                set_={
                    "message": new.message,
                    "fields": new.fields,
                    "payload": new.payload,
                    "attempts": t.attempts + new.attempts,
                    "last_seen": new.last_seen,
                },
            )
            self._conn.execute(stmt, params)
        return len(params)

    def add_dead_letter(self, failure: RecordFailure, now: datetime) -> None:
        """One failure; prefer ``add_dead_letters`` for a batch."""
        self.add_dead_letters([failure], now)

    def resolve_dead_letters(self, ids: Iterable[int], now: datetime) -> int:
        """Mark open dead letters resolved (e.g. after a successful replay); returns how many."""
        resolved = 0
        for chunk in chunked(ids):
            result = self._conn.execute(
                dead_letters.update()
                .where(dead_letters.c.id.in_(chunk), dead_letters.c.resolved_at.is_(None))
                .values(resolved_at=now)
            )
            resolved += result.rowcount
        return resolved

    def resolve_dead_letters_for(self, job: str, record_keys: Iterable[str], now: datetime) -> int:
        """Resolve every open dead letter of these records (all error codes): call it for the
        records a batch handled successfully. Returns how many rows were resolved."""
        resolved = 0
        for chunk in chunked(record_keys):
            result = self._conn.execute(
                dead_letters.update()
                .where(
                    dead_letters.c.job == job,
                    dead_letters.c.record_key.in_(chunk),
                    dead_letters.c.resolved_at.is_(None),
                )
                .values(resolved_at=now)
            )
            resolved += result.rowcount
        return resolved

    def record_dispositions(self, items: Iterable[Disposition]) -> int:
        """Keep each handed-off lead's latest disposition (every field replaced)."""
        params = [rows.disposition_params(d) for d in items]
        if params:
            stmt = upsert_insert(self._conn, dispositions)
            stmt = stmt.on_conflict_do_update(
                index_elements=[dispositions.c.hubspot_id],
                set_={c.name: stmt.excluded[c.name] for c in dispositions.c if not c.primary_key},
            )
            self._conn.execute(stmt, params)
        return len(params)

    def update_run_progress(
        self, run_id: int, counts: Mapping[str, int], api_calls: Mapping[str, int]
    ) -> None:
        """Store a running run's counts so far, atomically with the batch they describe."""
        self._conn.execute(
            runs_table.update()
            .where(runs_table.c.id == run_id)
            .values(counts=dict(counts), api_calls=dict(api_calls))
        )

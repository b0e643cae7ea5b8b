"""``StateStore``: the one API the jobs, the daemon, the CLI and the report use for durable state.

    store = StateStore.open("sqlite:///connector.db")     # or postgresql+psycopg://...
    with store.transaction() as tx:                       # one batch, all or nothing
        tx.put_decisions(...); tx.record_handoffs(...); tx.add_dead_letters(..., now)
        tx.set_cursor("handoff", value, now)
    store.ledger_for(ids); store.iter_ledger(); store.try_acquire_lease(job, owner, now, ttl_s)

Rules it keeps: the clock is always passed in (``now``), never read here; timestamps are aware
UTC; reads of many keys go in ``IN`` chunks of 500; ``iter_*`` stream in batches of 1,000 rows
(server-side cursor on PostgreSQL), so memory stays flat however big the table. Iterators hold a
connection until exhausted or closed: consume them, or wrap them in ``contextlib.closing``.
Safe to share between threads; several processes (and, on PostgreSQL, machines) can open the
same store at once.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from connector.store import leases, migrations, rows, runs
from connector.store.engine import WRITE_OPTION, create_store_engine
from connector.store.schema import (
    api_usage,
    cursors,
    dead_letters,
    decisions,
    dispositions,
    handoff_ledger,
    push_intents,
)
from connector.store.sql_helpers import STREAM_BATCH, chunked, upsert_insert
from connector.store.transaction import Transaction
from connector.store.values import (
    ApiUsage,
    Cursor,
    DeadLetter,
    Disposition,
    FinishedStatus,
    Lease,
    LedgerEntry,
    Run,
    RunStatus,
    StoredDecision,
)

T = TypeVar("T")
Stream = Generator[T, None, None]
"""What ``iter_*`` return: a generator holding a connection until exhausted or ``close()``d."""
DEFAULT_URL = "sqlite:///connector.db"


class StateStore:
    """Durable state of the connector on SQLite or PostgreSQL (see the module docstring)."""

    latest_version = migrations.LATEST_VERSION

    def __init__(self, engine: Engine) -> None:
        """Prefer ``open``: an engine not made by ``create_store_engine`` lacks the SQLite WAL,
        busy-timeout and ``BEGIN IMMEDIATE`` setup and the PostgreSQL UTC session."""
        self._engine = engine

    @classmethod
    def open(cls, url: str = DEFAULT_URL, *, migrate: bool = True) -> StateStore:
        """Connect to ``url`` and, unless ``migrate=False``, upgrade the schema to the latest
        version (idempotent; raises ``SchemaVersionError`` if the database is newer)."""
        store = cls(create_store_engine(url))
        if migrate:
            try:
                store.migrate()
            except BaseException:
                store.close()
                raise
        return store

    # --- lifecycle ----------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engine.dialect.name

    @property
    def url(self) -> str:
        """The store URL with any password masked: safe to log or print."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def schema_version(self) -> int:
        with self._engine.connect() as conn:
            return migrations.current_version(conn)

    def migrate(self, target: int | None = None) -> int:
        """Apply pending schema migrations up to ``target`` (default latest); see migrations."""
        return migrations.migrate(self._engine, target)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One atomic unit of batch writes: committed when the block ends, rolled back entirely
        if it raises (the exception propagates)."""
        with self._write() as conn:
            yield Transaction(conn)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def _read(self, work: Callable[[Connection], T]) -> T:
        with self._engine.connect() as conn:
            return work(conn)

    def _stream(self, query: sa.Select[Any], convert: Callable[[Any], T]) -> Stream[T]:
        with self._engine.connect() as conn:
            result = conn.execution_options(yield_per=STREAM_BATCH).execute(query)
            for row in result.mappings():
                yield convert(row)

    def _by_keys(
        self, column: sa.Column[str], keys: Iterable[str], convert: Callable[[Any], T]
    ) -> dict[str, T]:
        found: dict[str, T] = {}
        with self._engine.connect() as conn:
            for chunk in chunked(dict.fromkeys(keys)):
                query = sa.select(column.table).where(column.in_(chunk))
                for row in conn.execute(query).mappings():
                    found[row[column.name]] = convert(row)
        return found

    # --- cursors and decisions ------------------------------------------------------------------

    def get_cursor(self, job: str) -> str | None:
        """The job's cursor value, or None before its first committed batch."""
        query = sa.select(cursors.c.value).where(cursors.c.job == job)
        return self._read(lambda conn: conn.execute(query).scalar())

    def cursors(self) -> dict[str, Cursor]:
        """Every job's cursor, by job."""
        query = sa.select(cursors).order_by(cursors.c.job)
        return self._read(
            lambda conn: {r["job"]: rows.cursor_from_row(r) for r in conn.execute(query).mappings()}
        )

    def decisions_for(self, contact_ids: Iterable[str]) -> dict[str, StoredDecision]:
        """Latest decisions of these contacts (absent ids were never qualified)."""
        return self._by_keys(decisions.c.contact_id, contact_ids, rows.decision_from_row)

    def iter_decisions(self) -> Stream[StoredDecision]:
        """Stream every stored decision (the latest per contact), by contact id."""
        query = sa.select(decisions).order_by(decisions.c.contact_id)
        return self._stream(query, rows.decision_from_row)

    def qualified_share(self) -> float | None:
        """Share of stored decisions that qualified (None before any): the forecast's estimate
        of how many pulled contacts will be handed off."""
        total = sa.func.count()
        qualified = sa.func.sum(sa.case((decisions.c.qualified, 1), else_=0))
        query = sa.select(total, qualified).select_from(decisions)
        count, hits = self._read(lambda conn: conn.execute(query).one())
        return None if not count else int(hits) / int(count)

    # --- handoff ledger -------------------------------------------------------------------------

    def ledger_for(self, hubspot_ids: Iterable[str]) -> dict[str, LedgerEntry]:
        """Ledger entries of these contacts, by HubSpot id (absent ids were never pushed)."""
        return self._by_keys(handoff_ledger.c.hubspot_id, hubspot_ids, rows.ledger_from_row)

    def iter_ledger(
        self, since: datetime | None = None, version: str | None = None
    ) -> Stream[LedgerEntry]:
        """Stream the ledger in first-push order; ``since`` keeps contacts first pushed at or
        after it, ``version`` those whose latest push used that definition version."""
        query = _ledger_filter(sa.select(handoff_ledger), since, version)
        return self._stream(query, rows.ledger_from_row)

    def iter_ledger_with_dispositions(
        self, since: datetime | None = None, version: str | None = None
    ) -> Stream[tuple[LedgerEntry, Disposition | None]]:
        """Stream each ledger entry with its disposition (None while sales has not touched it):
        the join the calibration report is built on. Filters as ``iter_ledger``."""
        labelled = [c.label(f"d_{c.name}") for c in dispositions.c]
        joined = handoff_ledger.outerjoin(
            dispositions, dispositions.c.hubspot_id == handoff_ledger.c.hubspot_id
        )
        query = _ledger_filter(
            sa.select(handoff_ledger, *labelled).select_from(joined), since, version
        )

        def convert(row: Any) -> tuple[LedgerEntry, Disposition | None]:
            disposition = (
                None if row["d_hubspot_id"] is None else rows.disposition_from_row(row, "d_")
            )
            return rows.ledger_from_row(row), disposition

        return self._stream(query, convert)

    # --- dead letters ---------------------------------------------------------------------------

    def iter_dead_letters(
        self, job: str | None = None, code: str | None = None, include_resolved: bool = False
    ) -> Stream[DeadLetter]:
        """Stream dead letters, oldest first; open ones only unless ``include_resolved``."""
        query = sa.select(dead_letters).order_by(dead_letters.c.id)
        if job is not None:
            query = query.where(dead_letters.c.job == job)
        if code is not None:
            query = query.where(dead_letters.c.error_code == code)
        if not include_resolved:
            query = query.where(dead_letters.c.resolved_at.is_(None))
        return self._stream(query, rows.dead_letter_from_row)

    def dead_letter_counts(self, include_resolved: bool = False) -> dict[tuple[str, str], int]:
        """Number of (open) dead letters by (job, error code)."""
        t = dead_letters.c
        query = sa.select(t.job, t.error_code, sa.func.count()).group_by(t.job, t.error_code)
        if not include_resolved:
            query = query.where(t.resolved_at.is_(None))
        return self._read(
            lambda conn: {(job, code): int(n) for job, code, n in conn.execute(query)}
        )

    # --- runs -----------------------------------------------------------------------------------

    def start_run(
        self, job: str, now: datetime, *, owner: str | None = None, dry_run: bool = False
    ) -> int:
        """Record a ``running`` run and return its id. Start runs under the job's lease: a run
        whose owner holds no lease counts as stale (``mark_stale_runs_interrupted``)."""
        with self._write() as conn:
            return runs.start(conn, job, now, owner=owner, dry_run=dry_run)

    def finish_run(
        self,
        run_id: int,
        now: datetime,
        status: FinishedStatus,
        counts: Mapping[str, int],
        api_calls: Mapping[str, int],
        error: str | None = None,
    ) -> bool:
        """Finish a ``running`` run as succeeded / failed / interrupted with its final counts
        (by outcome) and API calls (by system); True if it did. A run already finished (e.g.
        marked interrupted by the job's next lease holder) is left as it is: False.
        LookupError for an unknown id."""
        with self._write() as conn:
            return runs.finish(conn, run_id, now, status, counts, api_calls, error)

    def get_run(self, run_id: int) -> Run | None:
        return self._read(lambda conn: runs.get(conn, run_id))

    def recent_runs(
        self, job: str | None = None, limit: int = 20, *, status: RunStatus | None = None
    ) -> list[Run]:
        """The latest runs, newest first, optionally of one job and/or one status."""
        return self._read(lambda conn: runs.recent(conn, job, status, limit))

    def mark_stale_runs_interrupted(self, now: datetime, *, job: str | None = None) -> int:
        """Mark ``running`` runs whose owner holds no unexpired lease on their job as
        ``interrupted`` (finished at ``now``); returns how many. The daemon calls it on start
        and before each run."""
        with self._write() as conn:
            return runs.mark_stale(conn, now, job)

    # --- leases ---------------------------------------------------------------------------------

    def try_acquire_lease(self, job: str, owner: str, now: datetime, ttl_s: float) -> bool:
        """Take ``job``'s lease until ``now + ttl_s`` if it is free, expired, or already ours
        (then it is renewed). Atomic across processes and machines; True if we hold it."""
        with self._write() as conn:
            return leases.try_acquire(conn, job, owner, now, ttl_s)

    def heartbeat_lease(self, job: str, owner: str, now: datetime, ttl_s: float) -> bool:
        """Extend our lease to ``now + ttl_s``. False if it was lost (taken over after expiry,
        or released): the caller must stop working on the job."""
        with self._write() as conn:
            return leases.heartbeat(conn, job, owner, now, ttl_s)

    def lease_owned(self, job: str, owner: str, now: datetime) -> bool:
        """True if ``owner`` holds ``job``'s unexpired lease (the fence checked before a push)."""
        return self._read(lambda conn: leases.owned(conn, job, owner, now))

    def take_over_lease(self, job: str, dead_owner: str, owner: str, now: datetime,
                        ttl_s: float) -> bool:
        """Take ``job``'s lease from ``dead_owner``, known dead (same host, its pid is gone),
        before it expires; True if we now hold it."""
        with self._write() as conn:
            return leases.take_over(conn, job, dead_owner, owner, now, ttl_s)

    def release_lease(self, job: str, owner: str) -> bool:
        """Give the lease up (only if ours); True if we held it."""
        with self._write() as conn:
            return leases.release(conn, job, owner)

    def lease_holder(self, job: str, now: datetime) -> Lease | None:
        """The unexpired lease on ``job``, if any."""
        return self._read(lambda conn: leases.holder(conn, job, now))

    def active_leases(self, now: datetime) -> list[Lease]:
        """Every unexpired lease, by job (for metrics and ``connector status``)."""
        return self._read(lambda conn: leases.active(conn, now))

    # --- push intents and API usage -----------------------------------------------------------

    def intents_for(
        self, job: str, record_keys: Iterable[str]
    ) -> dict[str, tuple[str, str | None]]:
        """Open push intents of these records: key -> (outcome, target id)."""
        found: dict[str, tuple[str, str | None]] = {}
        t = push_intents.c
        with self._engine.connect() as conn:
            for chunk in chunked(dict.fromkeys(record_keys)):
                query = sa.select(t.record_key, t.outcome, t.target_id).where(
                    t.job == job, t.record_key.in_(chunk))
                for key, outcome, target in conn.execute(query):
                    found[key] = (outcome, target)
        return found

    def record_api_usage(self, system: str, used: int, limit: int, now: datetime) -> None:
        """Keep the last API usage reading of ``system`` (e.g. ``Sforce-Limit-Info``)."""
        with self._write() as conn:
            stmt = upsert_insert(conn, api_usage).values(system=system, used=used, max=limit,
                                                          observed_at=now)
            stmt = stmt.on_conflict_do_update(
                index_elements=[api_usage.c.system],
                set_={"used": stmt.excluded.used, "max": stmt.excluded.max,
                      "observed_at": stmt.excluded.observed_at})
            conn.execute(stmt)

    def api_usage(self, system: str) -> ApiUsage | None:
        """The last API usage reading of ``system``, if any."""
        t = api_usage.c
        query = sa.select(t.used, t.max, t.observed_at).where(t.system == system)
        row = self._read(lambda conn: conn.execute(query).first())
        return None if row is None else ApiUsage(int(row.used), int(row.max), row.observed_at)

    # --- dispositions ---------------------------------------------------------------------------

    def dispositions_for(self, hubspot_ids: Iterable[str]) -> dict[str, Disposition]:
        """Latest dispositions of these contacts, by HubSpot id."""
        return self._by_keys(dispositions.c.hubspot_id, hubspot_ids, rows.disposition_from_row)

    def iter_dispositions(self) -> Stream[Disposition]:
        """Stream every disposition, by HubSpot id."""
        query = sa.select(dispositions).order_by(dispositions.c.hubspot_id)
        return self._stream(query, rows.disposition_from_row)


def _ledger_filter(
    query: sa.Select[Any], since: datetime | None, version: str | None
) -> sa.Select[Any]:
    if since is not None:
        query = query.where(handoff_ledger.c.first_pushed_at >= since)
    if version is not None:
        query = query.where(handoff_ledger.c.definition_version == version)
    return query.order_by(handoff_ledger.c.first_pushed_at, handoff_ledger.c.hubspot_id)

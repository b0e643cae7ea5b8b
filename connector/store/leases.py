"""Job leases: at most one owner runs a job at any moment, across processes and machines.

Acquisition is a single atomic statement, so no read-then-write race exists:

    INSERT INTO leases (job, owner, acquired_at, heartbeat_at, expires_at) VALUES (...)
    ON CONFLICT (job) DO UPDATE SET owner = excluded.owner, ...
    WHERE leases.expires_at <= :now OR leases.owner = excluded.owner

``RETURNING owner`` yields our name if we now hold the lease, and no row if someone else does.
PostgreSQL locks the conflicting row and re-checks the WHERE against the latest committed
version; SQLite runs it under its single write lock (``BEGIN IMMEDIATE``).

A heartbeat renews only while the row still names us: once another owner took over after
expiry (or we released), the old holder's heartbeat returns False and it must stop.

Fencing: a holder paused past its TTL (SIGSTOP, a long GC, a VM migration) must not write after
another owner took over. ``owned`` says whether the row still names us and is unexpired; inside a
write transaction it locks the row (``FOR UPDATE`` on PostgreSQL; SQLite's write lock is already
held), so a takeover waits until that transaction has committed: the batch commit checks it
first, and the job checks it before each push.

Times come from the callers' clocks (``now``): instances sharing a store must keep their clocks
in sync (NTP) to well within the TTL, and heartbeat several times per TTL.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from connector.errors import FatalError
from connector.store.rows import lease_from_row
from connector.store.schema import leases
from connector.store.sql_helpers import upsert_insert
from connector.store.values import Lease


class LeaseLostError(FatalError):
    """Another owner holds the job's lease now (ours expired while we were paused, or was
    released): stop without writing anything more."""


def _expiry(now: datetime, ttl_s: float) -> datetime:
    if ttl_s <= 0:
        raise ValueError(f"lease ttl must be positive, got {ttl_s}")
    return now + timedelta(seconds=ttl_s)


def try_acquire(conn: Connection, job: str, owner: str, now: datetime, ttl_s: float) -> bool:
    expires_at = _expiry(now, ttl_s)
    insert = upsert_insert(conn, leases).values(
        job=job, owner=owner, acquired_at=now, heartbeat_at=now, expires_at=expires_at
    )
    new = insert.excluded
    same_owner = leases.c.owner == new.owner
    upsert = insert.on_conflict_do_update(
        index_elements=[leases.c.job],
        set_={
            "owner": new.owner,
            "acquired_at": sa.case((same_owner, leases.c.acquired_at), else_=new.acquired_at),
            "heartbeat_at": new.heartbeat_at,
            "expires_at": new.expires_at,
        },
        where=sa.or_(same_owner, leases.c.expires_at <= now),
    ).returning(leases.c.owner)
    return conn.execute(upsert).scalar() == owner


def heartbeat(conn: Connection, job: str, owner: str, now: datetime, ttl_s: float) -> bool:
    result = conn.execute(
        leases.update()
        .where(leases.c.job == job, leases.c.owner == owner)
        .values(heartbeat_at=now, expires_at=_expiry(now, ttl_s))
    )
    return result.rowcount == 1


def release(conn: Connection, job: str, owner: str) -> bool:
    result = conn.execute(leases.delete().where(leases.c.job == job, leases.c.owner == owner))
    return result.rowcount == 1


def holder(conn: Connection, job: str, now: datetime) -> Lease | None:
    row = conn.execute(
        sa.select(leases).where(leases.c.job == job, leases.c.expires_at > now)
    ).first()
    return None if row is None else lease_from_row(row._mapping)


def active(conn: Connection, now: datetime) -> list[Lease]:
    result = conn.execute(sa.select(leases).where(leases.c.expires_at > now).order_by(leases.c.job))
    return [lease_from_row(row) for row in result.mappings()]


def owned(conn: Connection, job: str, owner: str, now: datetime, *, lock: bool = False) -> bool:
    """True if ``owner`` holds ``job``'s unexpired lease; ``lock`` holds the row until commit."""
    query = sa.select(leases.c.owner, leases.c.expires_at).where(leases.c.job == job)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    return row is not None and row.owner == owner and row.expires_at > now


def take_over(conn: Connection, job: str, dead_owner: str, owner: str, now: datetime,
              ttl_s: float) -> bool:
    """Take ``job``'s lease from ``dead_owner`` (known dead: its process is gone) whatever its
    expiry; True if we now hold it. Atomic: only if the row still names ``dead_owner``."""
    result = conn.execute(
        leases.update()
        .where(leases.c.job == job, leases.c.owner == dead_owner)
        .values(owner=owner, acquired_at=now, heartbeat_at=now, expires_at=_expiry(now, ttl_s))
    )
    return result.rowcount == 1

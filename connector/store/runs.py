"""The runs table: one row per job run, from ``running`` to a finished status.

A run is alive while its owner holds the job's lease. ``mark_stale`` uses exactly that: a
``running`` row whose owner no longer holds an unexpired lease on its job (the process was
killed, the machine died) becomes ``interrupted``. Runs must therefore be started under the
job's lease, as the daemon and the CLI do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from connector.store.rows import run_from_row
from connector.store.schema import leases, runs
from connector.store.values import FINISHED_STATUSES, Run

STALE_RUN_ERROR = "interrupted: its owner no longer holds the job's lease"


def start(conn: Connection, job: str, now: datetime, *, owner: str | None, dry_run: bool) -> int:
    result = conn.execute(
        runs.insert().values(
            job=job,
            status="running",
            started_at=now,
            counts={},
            api_calls={},
            owner=owner,
            dry_run=dry_run,
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def finish(
    conn: Connection,
    run_id: int,
    now: datetime,
    status: str,
    counts: Mapping[str, int],
    api_calls: Mapping[str, int],
    error: str | None,
) -> bool:
    if status not in FINISHED_STATUSES:
        raise ValueError(f"a run finishes as one of {sorted(FINISHED_STATUSES)}, not {status!r}")
    result = conn.execute(
        runs.update()
        .where(runs.c.id == run_id, runs.c.status == "running")
        .values(
            status=status,
            finished_at=now,
            counts=dict(counts),
            api_calls=dict(api_calls),
            error=error,
        )
    )
    if result.rowcount == 1:
        return True
    if conn.execute(sa.select(runs.c.id).where(runs.c.id == run_id)).first() is None:
        raise LookupError(f"no run with id {run_id}")
    return False  # already finished, e.g. marked interrupted by the job's next lease holder


def get(conn: Connection, run_id: int) -> Run | None:
    row = conn.execute(sa.select(runs).where(runs.c.id == run_id)).mappings().first()
    return None if row is None else run_from_row(row)


def recent(conn: Connection, job: str | None, status: str | None, limit: int) -> list[Run]:
    query = sa.select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit)
    if job is not None:
        query = query.where(runs.c.job == job)
    if status is not None:
        query = query.where(runs.c.status == status)
    return [run_from_row(row) for row in conn.execute(query).mappings()]


def mark_stale(conn: Connection, now: datetime, job: str | None) -> int:
    lease_alive = (
        sa.select(leases.c.job)
        .where(
            leases.c.job == runs.c.job, leases.c.owner == runs.c.owner, leases.c.expires_at > now
        )
        .exists()
    )
    stmt = (
        runs.update()
        .where(runs.c.status == "running", ~lease_alive)
        .values(
            status="interrupted",
            finished_at=now,
            error=sa.func.coalesce(runs.c.error, STALE_RUN_ERROR),
        )
    )
    if job is not None:
        stmt = stmt.where(runs.c.job == job)
    return conn.execute(stmt).rowcount

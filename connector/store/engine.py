"""Engines for the two supported backends, set up so that several processes can share them.

SQLite (``sqlite:///connector.db``): WAL journal (readers never block the writer, so a CLI
command can read while the daemon writes), a busy timeout (a second writer waits instead of
failing), and write transactions opened with ``BEGIN IMMEDIATE`` so they take the write lock up
front and wait on the busy timeout rather than failing half way when a read turns into a write.
Read-only work opens a plain deferred ``BEGIN``. ``sqlite://`` (in memory) shares one connection
and suits single-threaded tests only.

PostgreSQL (``postgresql+psycopg://...``; ``postgresql://`` is taken to mean psycopg 3): the
session time zone is UTC and connections are pinged before use so a long-lived daemon survives a
database restart. ``options`` in the URL (e.g. ``-csearch_path=...``) are kept.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from connector.errors import ConfigError, Problem

SQLITE_BUSY_TIMEOUT_S = 30.0
WRITE_OPTION = "connector_store_write"
"""Execution option marking a connection whose transaction writes (SQLite: ``BEGIN IMMEDIATE``)."""


def create_store_engine(url: str | URL) -> Engine:
    """An engine for a ``sqlite://`` or ``postgresql[+psycopg]://`` URL; ConfigError otherwise."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql" and parsed.get_driver_name() in ("psycopg", "psycopg2"):
        return _postgresql_engine(parsed.set(drivername="postgresql+psycopg"))
    raise ConfigError(
        Problem(
            file="<config>",
            key="store.url",
            message=f"unsupported state store URL scheme {parsed.drivername!r}",
            suggestion="use sqlite:///connector.db or postgresql+psycopg://user@host/db",
        )
    )


def _sqlite_engine(url: URL) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {
        "connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
    }
    if in_memory:  # one shared connection, or every checkout would see an empty database
        kwargs["poolclass"] = StaticPool
    engine = sa.create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module; `_on_begin` issues BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        if not in_memory:
            _enable_wal(cursor)
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def _enable_wal(cursor: Any) -> None:
    """Switch the file to WAL (a persistent setting) unless it already is. The switch needs an
    exclusive lock and SQLite answers SQLITE_BUSY at once, without its busy handler, while other
    connections are opening the same new file: wait and retry, up to the busy timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while True:
        try:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


PG_IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000
"""A process paused inside a transaction (SIGSTOP, a debugger, a frozen VM) keeps its row locks,
the lease row's included, and would block the job's next holder forever: the server ends such a
session after 10 s of idleness (well within a lease TTL). No transaction of ours waits on
anything but the database, so a live process never comes near it."""


def _postgresql_engine(url: URL) -> Engine:
    options = " ".join(filter(None, [
        _query_value(url, "options"), "-c timezone=UTC",
        f"-c idle_in_transaction_session_timeout={PG_IDLE_IN_TRANSACTION_TIMEOUT_MS}"]))
    return sa.create_engine(url.update_query_dict({"options": options}), pool_pre_ping=True)


def _query_value(url: URL, key: str) -> str | None:
    value = url.query.get(key)
    if isinstance(value, tuple):
        return " ".join(value)
    return value

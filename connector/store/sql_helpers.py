"""Small SQL helpers shared by the store modules: dialect upserts and batching."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

T = TypeVar("T")

IN_CHUNK = 500
"""Keys per ``IN (...)`` list: well under SQLite's and PostgreSQL's parameter limits."""
STREAM_BATCH = 1000
"""Rows fetched at a time by streaming reads (server-side cursor on PostgreSQL)."""

UpsertInsert = postgresql.Insert | sqlite.Insert


def upsert_insert(conn: Connection, table: sa.Table) -> UpsertInsert:
    """The dialect's ``INSERT .. ON CONFLICT`` construct (same API on both dialects)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for dialect {conn.dialect.name!r}")


def chunked(items: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk

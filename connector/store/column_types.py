"""Column types that read back identically on SQLite and PostgreSQL.

``IntegerId``: surrogate keys (BIGINT / SQLite INTEGER rowid).

``UTCDateTime``: aware UTC datetimes. PostgreSQL stores ``timestamptz`` (the session runs in UTC);
SQLite stores fixed-width ISO-8601 text (``0001-01-01T00:00:00.000000+00:00``), so string order
is time order and comparisons in SQL (``expires_at <= :now``) work on both. Both keep
microseconds. Naive datetimes are refused: a store that guesses time zones loses leads.

``JSONText``: JSON kept as text (compact, ASCII, no NaN) on both backends, so what comes back is
exactly what went in, key order included, whatever the dialect's JSON semantics (PostgreSQL
``jsonb`` would reorder keys and normalise numbers). Nothing queries inside the JSON:
fields worth querying (score, grade, version) are columns of their own.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

IntegerId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
"""Surrogate keys: BIGINT on PostgreSQL, INTEGER on SQLite (only that aliases the rowid)."""


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC ``datetime``; refuses naive values."""

    impl = sa.String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TIMESTAMP(timezone=True))
        return dialect.type_descriptor(sa.String(32))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the store needs timezone-aware UTC")
        value = value.astimezone(UTC)
        if dialect.name == "postgresql":
            return value
        return value.isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        if isinstance(value, datetime):
            return value.astimezone(UTC)
        raise TypeError(f"unexpected stored timestamp {value!r}")


def dumps(value: Any) -> str:
    """Compact JSON text of ``value``; refuses NaN and infinities, which JSON cannot hold."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


class JSONText(sa.TypeDecorator[Any]):
    """Any JSON-able value, stored as JSON text."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else dumps(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)

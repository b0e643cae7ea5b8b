"""Schema versions of the state store, applied in order, in place, without losing state.

Why an in-house list rather than alembic: the store is embedded in a CLI and a daemon that
upgrade themselves on start (``StateStore.open``), there are a handful of steps, and every step
must run on SQLite and PostgreSQL alike. A tuple of ``Migration`` steps plus a ``schema_version``
table does that with no config files, no script directory to ship, no second version table.
What alembic's autogenerate would give us, a check that the migrated database equals the
declared schema (``schema.py``), is a test (tests/store/test_migrations.py).

Rules for a step:
- it declares its tables *frozen*, as they were at that version: never import ``schema.py``
  here, it moves on;
- it is idempotent (``checkfirst``, "add column if missing"), so a half-applied step (not
  possible on these two backends, whose DDL is transactional, but cheap to guard) reruns cleanly;
- it keeps data: add, copy, backfill; never drop what an older connector still needs.

``migrate`` runs all pending steps and their ``schema_version`` rows in ONE transaction, under a
lock (PostgreSQL advisory lock per schema; SQLite ``BEGIN IMMEDIATE``), so two processes starting
at once upgrade once, and a failing step leaves the database at its old version, intact.
A database newer than this code is refused: downgrades are not supported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from connector.errors import FatalError
from connector.store.column_types import IntegerId, JSONText, UTCDateTime
from connector.store.engine import WRITE_OPTION

_ADVISORY_LOCK_NAMESPACE = 0x5EAD  # first key of pg_advisory_xact_lock(int, int)


class SchemaVersionError(FatalError):
    """The database's schema is newer than this connector knows: upgrade the connector."""


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


# --- version table (never changes) --------------------------------------------------------

_versions = sa.MetaData()
_schema_version = sa.Table(
    "schema_version",
    _versions,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String, nullable=False),
)

# --- v1: the handoff job's state ----------------------------------------------------------

V1 = sa.MetaData()
sa.Table(
    "cursors",
    V1,
    sa.Column("job", sa.String, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
sa.Table(
    "decisions",
    V1,
    sa.Column("contact_id", sa.String, primary_key=True),
    sa.Column("qualified", sa.Boolean, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("grade", sa.String),
    sa.Column("definition_version", sa.String, nullable=False),
    sa.Column("definition_hash", sa.String, nullable=False),
    sa.Column("snapshot", JSONText, nullable=False),
    sa.Column("decided_at", UTCDateTime, nullable=False),
)
sa.Table(
    "handoff_ledger",
    V1,
    sa.Column("hubspot_id", sa.String, primary_key=True),
    sa.Column("salesforce_id", sa.String),
    sa.Column("salesforce_object", sa.String),
    sa.Column("outcome", sa.String, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("grade", sa.String),
    sa.Column("definition_version", sa.String, nullable=False),
    sa.Column("definition_hash", sa.String, nullable=False),
    sa.Column("snapshot", JSONText, nullable=False),
    sa.Column("payload_hash", sa.String),
    sa.Column("first_pushed_at", UTCDateTime, nullable=False),
    sa.Column("last_pushed_at", UTCDateTime, nullable=False),
    sa.Column("push_count", sa.Integer, nullable=False),
    sa.Index("ix_handoff_ledger_first_pushed_at", "first_pushed_at"),
    sa.Index("ix_handoff_ledger_definition_version", "definition_version"),
)
_v1_dead_letters = sa.Table(
    "dead_letters",
    V1,
    sa.Column("id", IntegerId, primary_key=True, autoincrement=True),
    sa.Column("job", sa.String, nullable=False),
    sa.Column("record_key", sa.String, nullable=False),
    sa.Column("error_code", sa.String, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("fields", JSONText, nullable=False),
    sa.Column("payload", JSONText, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    sa.Column("resolved_at", UTCDateTime),
    sa.Index("ix_dead_letters_job_code", "job", "error_code"),
)
sa.Index(
    "uq_dead_letters_open",
    _v1_dead_letters.c.job,
    _v1_dead_letters.c.record_key,
    _v1_dead_letters.c.error_code,
    unique=True,
    sqlite_where=_v1_dead_letters.c.resolved_at.is_(None),
    postgresql_where=_v1_dead_letters.c.resolved_at.is_(None),
)
sa.Table(
    "runs",
    V1,
    sa.Column("id", IntegerId, primary_key=True, autoincrement=True),
    sa.Column("job", sa.String, nullable=False),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime),
    sa.Column("counts", JSONText, nullable=False),
    sa.Column("api_calls", JSONText, nullable=False),
    sa.Column("error", sa.Text),
    sa.Index("ix_runs_job_started_at", "job", "started_at"),
)


def _v1(conn: Connection) -> None:
    V1.create_all(conn, checkfirst=True)


# --- v2: feedback dispositions, daemon leases, run owners, ledger email ----------------------

V2_NEW = sa.MetaData()
sa.Table(
    "leases",
    V2_NEW,
    sa.Column("job", sa.String, primary_key=True),
    sa.Column("owner", sa.String, nullable=False),
    sa.Column("acquired_at", UTCDateTime, nullable=False),
    sa.Column("heartbeat_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
)
# No foreign key to handoff_ledger: a Lead carrying our external id can exist in Salesforce
# before its ledger row (crash between push and commit); its disposition must still be kept.
sa.Table(
    "dispositions",
    V2_NEW,
    sa.Column("hubspot_id", sa.String, primary_key=True),
    sa.Column("salesforce_lead_id", sa.String),
    sa.Column("lead_status", sa.String),
    sa.Column("disqualification_reason", sa.String),
    sa.Column("converted", sa.Boolean, nullable=False),
    sa.Column("opportunity_id", sa.String),
    sa.Column("opportunity_stage", sa.String),
    sa.Column("is_won", sa.Boolean),
    sa.Column("is_closed", sa.Boolean),
    sa.Column("amount", sa.Float),
    sa.Column("first_touch_at", UTCDateTime),
    sa.Column("payload_hash", sa.String),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)


def _v2(conn: Connection) -> None:
    _add_column(conn, "handoff_ledger", sa.Column("email", sa.String))
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_handoff_ledger_email ON handoff_ledger (email)"
    )
    _add_column(conn, "runs", sa.Column("owner", sa.String))
    _add_column(
        conn, "runs", sa.Column("dry_run", sa.Boolean, nullable=False, server_default=sa.false())
    )
    V2_NEW.create_all(conn, checkfirst=True)


# --- v3: push intents (receipts that survive a crash), the last seen API usage ----------------

V3_NEW = sa.MetaData()
sa.Table(
    "push_intents",
    V3_NEW,
    sa.Column("job", sa.String, primary_key=True),
    sa.Column("record_key", sa.String, primary_key=True),
    sa.Column("outcome", sa.String, nullable=False),
    sa.Column("target_id", sa.String),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
)
sa.Table(
    "api_usage",
    V3_NEW,
    sa.Column("system", sa.String, primary_key=True),
    sa.Column("used", sa.Integer, nullable=False),
    sa.Column("max", sa.Integer, nullable=False),
    sa.Column("observed_at", UTCDateTime, nullable=False),
)


def _v3(conn: Connection) -> None:
    V3_NEW.create_all(conn, checkfirst=True)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "handoff state: cursors, decisions, ledger, dead letters, runs", _v1),
    Migration(2, "feedback and daemon: dispositions, leases, run owner and dry_run, email", _v2),
    Migration(3, "push intents and the last seen API usage", _v3),
)
LATEST_VERSION = MIGRATIONS[-1].version


def _add_column(conn: Connection, table: str, column: sa.Column[object]) -> None:
    """``ALTER TABLE .. ADD COLUMN`` unless the column is already there (both backends)."""
    if column.name in {c["name"] for c in sa.inspect(conn).get_columns(table)}:
        return
    sa.Table(table, sa.MetaData(), column)  # attach, so the column compiles in context
    ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
    preparer = conn.dialect.identifier_preparer
    conn.exec_driver_sql(f"ALTER TABLE {preparer.quote(table)} ADD COLUMN {ddl}")


def current_version(conn: Connection) -> int:
    """The database's schema version; 0 for an empty database."""
    if not sa.inspect(conn).has_table(_schema_version.name):
        return 0
    found = conn.execute(sa.select(sa.func.max(_schema_version.c.version))).scalar()
    return int(found or 0)


def migrate(engine: Engine, target: int | None = None) -> int:
    """Bring the database up to ``target`` (default: the latest version); returns the version.

    Idempotent, atomic, safe to call from several processes at once (see module docstring)."""
    target = LATEST_VERSION if target is None else target
    if not 0 <= target <= LATEST_VERSION:
        raise ValueError(f"unknown schema version {target} (latest is {LATEST_VERSION})")
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            _lock(conn)
            _versions.create_all(conn, checkfirst=True)
            version = current_version(conn)
            if version > LATEST_VERSION:
                raise SchemaVersionError(
                    f"the state store is at schema version {version}, newer than this connector "
                    f"(which knows up to {LATEST_VERSION}): upgrade the connector",
                    system="store",
                    code="SCHEMA_TOO_NEW",
                )
            for step in MIGRATIONS:
                if version < step.version <= target:
                    step.apply(conn)
                    conn.execute(
                        _schema_version.insert().values(
                            version=step.version, description=step.description
                        )
                    )
                    version = step.version
            return version


def _lock(conn: Connection) -> None:
    """Serialise migrations of one schema across processes (SQLite: BEGIN IMMEDIATE did it)."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(:ns, hashtext(current_schema()))"),
            {"ns": _ADVISORY_LOCK_NAMESPACE},
        )

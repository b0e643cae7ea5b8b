"""The state store's tables as they are at the latest schema version (SQLAlchemy Core).

These objects are what queries are written against. They are *not* how a database gets its
tables: ``migrations.py`` builds every version step by step (a fresh database too), and a test
checks that the migrated schema matches this module exactly.

String columns carry no length on purpose: PostgreSQL would enforce one and SQLite would not, and
the two backends must accept the same data.
"""

from __future__ import annotations

import sqlalchemy as sa

from connector.store.column_types import IntegerId, JSONText, UTCDateTime

metadata = sa.MetaData()


schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String, nullable=False),
)

cursors = sa.Table(
    "cursors",
    metadata,
    sa.Column("job", sa.String, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("contact_id", sa.String, primary_key=True),
    sa.Column("qualified", sa.Boolean, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("grade", sa.String),
    sa.Column("definition_version", sa.String, nullable=False),
    sa.Column("definition_hash", sa.String, nullable=False),
    sa.Column("snapshot", JSONText, nullable=False),
    sa.Column("decided_at", UTCDateTime, nullable=False),
)

handoff_ledger = sa.Table(
    "handoff_ledger",
    metadata,
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
    sa.Column("email", sa.String),  # v2
    sa.Index("ix_handoff_ledger_first_pushed_at", "first_pushed_at"),
    sa.Index("ix_handoff_ledger_definition_version", "definition_version"),
    sa.Index("ix_handoff_ledger_email", "email"),  # v2
)

dead_letters = sa.Table(
    "dead_letters",
    metadata,
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
# One open row per (job, record_key, error_code): a partial unique index, the conflict target of
# the dead-letter upsert. Both SQLite and PostgreSQL support partial indexes.
dead_letters_open_key = sa.Index(
    "uq_dead_letters_open",
    dead_letters.c.job,
    dead_letters.c.record_key,
    dead_letters.c.error_code,
    unique=True,
    sqlite_where=dead_letters.c.resolved_at.is_(None),
    postgresql_where=dead_letters.c.resolved_at.is_(None),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", IntegerId, primary_key=True, autoincrement=True),
    sa.Column("job", sa.String, nullable=False),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime),
    sa.Column("counts", JSONText, nullable=False),
    sa.Column("api_calls", JSONText, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("owner", sa.String),  # v2
    sa.Column("dry_run", sa.Boolean, nullable=False, server_default=sa.false()),  # v2
    sa.Index("ix_runs_job_started_at", "job", "started_at"),
)

leases = sa.Table(  # v2
    "leases",
    metadata,
    sa.Column("job", sa.String, primary_key=True),
    sa.Column("owner", sa.String, nullable=False),
    sa.Column("acquired_at", UTCDateTime, nullable=False),
    sa.Column("heartbeat_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
)

dispositions = sa.Table(  # v2; joins handoff_ledger on hubspot_id (no foreign key, see migrations)
    "dispositions",
    metadata,
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

push_intents = sa.Table(  # v3; what a batch is about to do, written before its push
    "push_intents",
    metadata,
    sa.Column("job", sa.String, primary_key=True),
    sa.Column("record_key", sa.String, primary_key=True),
    sa.Column("outcome", sa.String, nullable=False),
    sa.Column("target_id", sa.String),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
)

api_usage = sa.Table(  # v3; the last ``Sforce-Limit-Info`` (or /limits) reading, per system
    "api_usage",
    metadata,
    sa.Column("system", sa.String, primary_key=True),
    sa.Column("used", sa.Integer, nullable=False),
    sa.Column("max", sa.Integer, nullable=False),
    sa.Column("observed_at", UTCDateTime, nullable=False),
)

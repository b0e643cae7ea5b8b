"""Durable state of the connector: cursors, decisions, the handoff ledger, dead letters, runs,
leases and dispositions, on SQLite (default) or PostgreSQL. See ``store.StateStore``."""

from connector.store.leases import LeaseLostError
from connector.store.migrations import LATEST_VERSION, SchemaVersionError
from connector.store.store import DEFAULT_URL, StateStore
from connector.store.transaction import Transaction
from connector.store.values import (
    FINISHED_STATUSES,
    ApiUsage,
    Cursor,
    DeadLetter,
    DecisionSnapshot,
    Disposition,
    FinishedStatus,
    Handoff,
    HandoffOutcome,
    Lease,
    LedgerEntry,
    RecordFailure,
    Run,
    RunStatus,
    SalesforceObject,
    StoredDecision,
)

__all__ = [
    "DEFAULT_URL",
    "FINISHED_STATUSES",
    "LATEST_VERSION",
    "ApiUsage",
    "Cursor",
    "DeadLetter",
    "DecisionSnapshot",
    "Disposition",
    "FinishedStatus",
    "Handoff",
    "HandoffOutcome",
    "Lease",
    "LeaseLostError",
    "LedgerEntry",
    "RecordFailure",
    "Run",
    "RunStatus",
    "SalesforceObject",
    "SchemaVersionError",
    "StoredDecision",
    "StateStore",
    "Transaction",
]

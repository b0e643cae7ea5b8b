"""Conversions between the store's values and table rows (one place, both directions)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any

from connector.store.values import (
    Cursor,
    DeadLetter,
    DecisionSnapshot,
    Disposition,
    Handoff,
    Lease,
    LedgerEntry,
    RecordFailure,
    Run,
    StoredDecision,
)

Row = Mapping[Any, Any]  # a RowMapping, keyed by column name
DISPOSITION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Disposition))


def snapshot_params(snapshot: DecisionSnapshot) -> dict[str, Any]:
    """The whole snapshot as JSON, plus copies of the fields worth querying as columns."""
    return {
        "score": snapshot.score,
        "grade": snapshot.grade,
        "definition_version": snapshot.version,
        "definition_hash": snapshot.definition_hash,
        "snapshot": snapshot.to_json(),
    }


def decision_params(decision: StoredDecision) -> dict[str, Any]:
    return {
        "contact_id": decision.contact_id,
        "qualified": decision.qualified,
        "decided_at": decision.decided_at,
        **snapshot_params(decision.snapshot),
    }


def decision_from_row(row: Row) -> StoredDecision:
    return StoredDecision(
        contact_id=row["contact_id"],
        qualified=row["qualified"],
        snapshot=DecisionSnapshot.from_json(row["snapshot"]),
        decided_at=row["decided_at"],
    )


def handoff_params(handoff: Handoff) -> dict[str, Any]:
    """Insert values for a first push; the upsert merges them into an existing row."""
    return {
        "hubspot_id": handoff.hubspot_id,
        "salesforce_id": handoff.salesforce_id,
        "salesforce_object": handoff.salesforce_object,
        "outcome": handoff.outcome,
        "payload_hash": handoff.payload_hash,
        "email": handoff.email,
        "first_pushed_at": handoff.at,
        "last_pushed_at": handoff.at,
        "push_count": 1,
        **snapshot_params(handoff.snapshot),
    }


def ledger_from_row(row: Row) -> LedgerEntry:
    return LedgerEntry(
        hubspot_id=row["hubspot_id"],
        salesforce_id=row["salesforce_id"],
        salesforce_object=row["salesforce_object"],
        outcome=row["outcome"],
        snapshot=DecisionSnapshot.from_json(row["snapshot"]),
        payload_hash=row["payload_hash"],
        email=row["email"],
        first_pushed_at=row["first_pushed_at"],
        last_pushed_at=row["last_pushed_at"],
        push_count=row["push_count"],
    )


def failure_params(failure: RecordFailure, now: datetime) -> dict[str, Any]:
    return {
        "job": failure.job,
        "record_key": failure.record_key,
        "error_code": failure.error_code,
        "message": failure.message,
        "fields": list(failure.fields),
        "payload": dict(failure.payload),
        "attempts": 1,
        "first_seen": now,
        "last_seen": now,
    }


def dead_letter_from_row(row: Row) -> DeadLetter:
    return DeadLetter(
        id=row["id"],
        job=row["job"],
        record_key=row["record_key"],
        error_code=row["error_code"],
        message=row["message"],
        fields=tuple(row["fields"]),
        payload=row["payload"],
        attempts=row["attempts"],
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        resolved_at=row["resolved_at"],
    )


def run_from_row(row: Row) -> Run:
    return Run(
        id=row["id"],
        job=row["job"],
        status=row["status"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        counts=row["counts"],
        api_calls=row["api_calls"],
        error=row["error"],
        owner=row["owner"],
        dry_run=row["dry_run"],
    )


def lease_from_row(row: Row) -> Lease:
    return Lease(
        job=row["job"],
        owner=row["owner"],
        acquired_at=row["acquired_at"],
        heartbeat_at=row["heartbeat_at"],
        expires_at=row["expires_at"],
    )


def disposition_params(disposition: Disposition) -> dict[str, Any]:
    return {name: getattr(disposition, name) for name in DISPOSITION_FIELDS}


def disposition_from_row(row: Row, prefix: str = "") -> Disposition:
    """``prefix``: the label prefix of disposition columns in a join (e.g. ``"d_"``)."""
    return Disposition(**{name: row[prefix + name] for name in DISPOSITION_FIELDS})


def cursor_from_row(row: Row) -> Cursor:
    return Cursor(job=row["job"], value=row["value"], updated_at=row["updated_at"])

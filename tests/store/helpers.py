"""Builders of store values for the store tests (plain functions, explicit defaults)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from connector.store import DecisionSnapshot, Disposition, Handoff, RecordFailure, StoredDecision

T0 = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """``T0`` plus some seconds: every test uses its own fixed clock."""
    return T0 + timedelta(seconds=seconds)


def snapshot(
    score: float = 72.5, grade: str | None = "A", version: str = "2024.1"
) -> DecisionSnapshot:
    return DecisionSnapshot(
        score=score,
        grade=grade,
        version=version,
        definition_hash=f"sha256:{version}",
        dimensions={"urgency": 30.0, "authority": 20.0, "behaviour": 22.5},
        fired=("demo_requested", "pricing_page_3x"),
        extra={"reasons": ["asked for a demo", "visited pricing 3 times"]},
    )


def handoff(
    hubspot_id: str,
    when: datetime = T0,
    outcome: str = "created",
    salesforce_id: str | None = "00Q000000000001",
    payload_hash: str | None = "p1",
    score: float = 72.5,
    version: str = "2024.1",
) -> Handoff:
    return Handoff(
        hubspot_id=hubspot_id,
        outcome=outcome,  # type: ignore[arg-type]
        at=when,
        snapshot=snapshot(score=score, version=version),
        salesforce_id=salesforce_id,
        salesforce_object="Lead" if salesforce_id else None,
        payload_hash=payload_hash,
        email=f"{hubspot_id}@example.com",
    )


def decision(
    contact_id: str, when: datetime = T0, qualified: bool = True, score: float = 72.5
) -> StoredDecision:
    return StoredDecision(
        contact_id=contact_id, qualified=qualified, snapshot=snapshot(score=score), decided_at=when
    )


def failure(
    record_key: str,
    code: str = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
    job: str = "handoff",
    message: str = "bad value for LeadSource",
) -> RecordFailure:
    return RecordFailure(
        job=job,
        record_key=record_key,
        error_code=code,
        message=message,
        fields=("LeadSource",),
        payload={"LeadSource": "Webinar 2024", "Email": f"{record_key}@example.com"},
    )


def disposition(
    hubspot_id: str, when: datetime = T0, status: str = "Working - Contacted"
) -> Disposition:
    return Disposition(
        hubspot_id=hubspot_id,
        updated_at=when,
        salesforce_lead_id="00Q000000000001",
        lead_status=status,
        first_touch_at=when - timedelta(hours=3),
        payload_hash="d1",
    )

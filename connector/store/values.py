"""Values the state store accepts and returns. Frozen: a stored fact never changes under you.

Every timestamp is a timezone-aware UTC ``datetime``; the store refuses naive ones. JSON-shaped
fields (``Mapping`` / ``tuple``) come back as ``dict`` / ``tuple`` exactly as they were written,
on SQLite and PostgreSQL alike (sequences inside free-form JSON come back as lists).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from connector.errors import RecordError

HandoffOutcome = Literal["created", "updated", "adopted", "existing_contact"]
"""What the handoff job did about one qualified contact in Salesforce:
``created`` a new Lead, ``updated`` our Lead, ``adopted`` an existing Lead without our external id
(stamped and updated), ``existing_contact`` found a Contact so no Lead was made."""

SalesforceObject = Literal["Lead", "Contact"]

FinishedStatus = Literal["succeeded", "failed", "interrupted"]
RunStatus = Literal["running", FinishedStatus]
FINISHED_STATUSES: frozenset[str] = frozenset({"succeeded", "failed", "interrupted"})


@dataclass(frozen=True)
class DecisionSnapshot:
    """A qualification decision as it stood at one moment: the "handoff receipt".

    ``dimensions`` maps a dimension (urgency, authority, ...) to its score, ``fired`` lists the
    criteria that fired, ``extra`` holds anything else JSON-able the definition wants to keep
    (reasons, missing fields). ``version`` + ``definition_hash`` identify the definition."""

    score: float
    grade: str | None
    version: str
    definition_hash: str
    dimensions: Mapping[str, float] = field(default_factory=dict)
    fired: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "grade": self.grade,
            "version": self.version,
            "definition_hash": self.definition_hash,
            "dimensions": dict(self.dimensions),
            "fired": list(self.fired),
            "extra": dict(self.extra),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DecisionSnapshot:
        return cls(
            score=data["score"],
            grade=data["grade"],
            version=data["version"],
            definition_hash=data["definition_hash"],
            dimensions=dict(data.get("dimensions", {})),
            fired=tuple(data.get("fired", ())),
            extra=dict(data.get("extra", {})),
        )


@dataclass(frozen=True)
class StoredDecision:
    """The latest qualification decision for one HubSpot contact (kept for every pulled contact,
    handed off or not, so "why wasn't this handed off?" has an answer)."""

    contact_id: str
    qualified: bool
    snapshot: DecisionSnapshot
    decided_at: datetime


@dataclass(frozen=True)
class Handoff:
    """What the handoff job records for one contact after Salesforce answered (the input to
    ``Transaction.record_handoffs``). ``at`` is the time of this push."""

    hubspot_id: str
    outcome: HandoffOutcome
    at: datetime
    snapshot: DecisionSnapshot
    salesforce_id: str | None = None
    salesforce_object: SalesforceObject | None = None
    payload_hash: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """One row of the handoff ledger: the state of a contact's handoff, keyed by HubSpot id.

    ``snapshot``, ``outcome``, ``payload_hash`` are those of the latest push; ``first_pushed_at``
    is the first handoff (the start of the sales SLA); ``push_count`` counts recorded pushes."""

    hubspot_id: str
    salesforce_id: str | None
    salesforce_object: str | None
    outcome: str
    snapshot: DecisionSnapshot
    payload_hash: str | None
    email: str | None
    first_pushed_at: datetime
    last_pushed_at: datetime
    push_count: int


@dataclass(frozen=True)
class RecordFailure:
    """One rejected record, the input to ``Transaction.add_dead_letters``. ``payload`` is what
    is needed to replay it; ``fields`` names the offending fields."""

    job: str
    record_key: str
    error_code: str
    message: str
    fields: tuple[str, ...] = ()
    payload: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_error(
        cls, job: str, error: RecordError, payload: Mapping[str, Any] | None = None
    ) -> RecordFailure:
        return cls(
            job=job,
            record_key=error.record_key,
            error_code=error.code,
            message=error.message,
            fields=tuple(error.fields),
            payload=dict(payload or {}),
        )


@dataclass(frozen=True)
class DeadLetter:
    """A dead-letter row. At most one *open* row exists per (job, record_key, error_code);
    a repeated failure bumps ``attempts`` and ``last_seen``."""

    id: int
    job: str
    record_key: str
    error_code: str
    message: str
    fields: tuple[str, ...]
    payload: Mapping[str, Any]
    attempts: int
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


@dataclass(frozen=True)
class Run:
    """One run of a job. ``counts`` is records by outcome, ``api_calls`` calls by system."""

    id: int
    job: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    counts: Mapping[str, int]
    api_calls: Mapping[str, int]
    error: str | None
    owner: str | None
    dry_run: bool


@dataclass(frozen=True)
class ApiUsage:
    """The last API usage reading of a system: ``used`` of ``max`` daily calls, when seen."""

    used: int
    max: int
    observed_at: datetime


@dataclass(frozen=True)
class Lease:
    """Who may run a job until ``expires_at`` (renewed by heartbeats)."""

    job: str
    owner: str
    acquired_at: datetime
    heartbeat_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Disposition:
    """What sales did with a handed-off lead, keyed by HubSpot id (joins the ledger).

    ``payload_hash`` is the hash of what was last written to HubSpot for it, so an unchanged
    disposition costs no HubSpot write; ``updated_at`` is when the feedback job recorded it."""

    hubspot_id: str
    updated_at: datetime
    salesforce_lead_id: str | None = None
    lead_status: str | None = None
    disqualification_reason: str | None = None
    converted: bool = False
    opportunity_id: str | None = None
    opportunity_stage: str | None = None
    is_won: bool | None = None
    is_closed: bool | None = None
    amount: float | None = None
    first_touch_at: datetime | None = None
    payload_hash: str | None = None


@dataclass(frozen=True)
class Cursor:
    """A job's incremental position: an opaque string only the job interprets."""

    job: str
    value: str
    updated_at: datetime

"""The report's input: one handed-off lead joined with what sales did with it.

The report command builds these by joining the handoff ledger (the decision snapshot taken at
handoff) with the dispositions the feedback job recorded. Everything here is a plain value; the
statistics live in :mod:`connector.report.calibration`.

Naive datetimes are read as UTC, so a store that drops the offset (SQLite does) still compares
correctly with an aware ``now``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

#: The Salesforce ``Disqualification_Reason__c`` picklist, in the order the report lists them.
REJECTION_REASONS: tuple[str, ...] = (
    "No Budget",
    "No Authority",
    "No Need",
    "Bad Timing",
    "Competitor",
    "Bad Data",
)
#: How a rejection without a reason is counted (it is a finding in itself: sales skipped it).
UNSPECIFIED_REASON = "Unspecified"

SNAPSHOT_KEYS: tuple[str, ...] = ("grade", "score", "dimensions", "fired", "version",
                                  "definition_hash")


def as_utc(moment: datetime | date) -> datetime:
    """``moment`` as an aware UTC datetime; a bare date is its midnight, naive is taken as UTC."""
    if not isinstance(moment, datetime):
        return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _frozen_map(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


@dataclass(frozen=True)
class HandoffOutcome:
    """One handed-off lead: the decision snapshot at handoff and its sales disposition now.

    ``accepted`` is None while sales has not touched the lead. An opportunity that was won or
    lost implies the lead was converted, and a converted lead implies it was accepted: the report
    counts the funnel stages that way (:attr:`reached_accepted`, :attr:`reached_opportunity`),
    so a disposition synced half-way still lands in a consistent funnel.
    """

    hubspot_id: str
    handed_off_at: datetime
    version: str
    definition_hash: str
    score: float
    grade: str
    dimensions: Mapping[str, float] = field(default_factory=dict)
    fired: frozenset[str] = frozenset()
    criterion_dimension: Mapping[str, str] = field(default_factory=dict)
    lead_status: str | None = None
    accepted: bool | None = None
    rejected: bool = False
    rejection_reason: str | None = None
    converted: bool = False
    won: bool = False
    lost: bool = False
    amount_won: float | None = None
    first_touch_at: datetime | None = None
    selection_probability: float = 1.0
    census: bool = False
    """Handed off by a rule that hands off every lead passing the gates (no selection)."""

    def __post_init__(self) -> None:
        if not self.hubspot_id:
            raise ValueError("hubspot_id is empty")
        p = self.selection_probability
        if not (math.isfinite(p) and 0.0 < p <= 1.0):
            raise ValueError(f"{self.hubspot_id}: selection probability {p!r} is not in (0, 1]")
        if not math.isfinite(self.score):
            raise ValueError(f"{self.hubspot_id}: score {self.score!r} is not a finite number")
        if self.won and self.lost:
            raise ValueError(f"{self.hubspot_id}: an opportunity cannot be both won and lost")
        if self.amount_won is not None and not math.isfinite(self.amount_won):
            raise ValueError(f"{self.hubspot_id}: amount_won {self.amount_won!r} is not finite")
        # Normalise without changing meaning: aware UTC datetimes, immutable collections.
        object.__setattr__(self, "handed_off_at", as_utc(self.handed_off_at))
        if self.first_touch_at is not None:
            object.__setattr__(self, "first_touch_at", as_utc(self.first_touch_at))
        object.__setattr__(self, "fired", frozenset(self.fired))
        object.__setattr__(self, "dimensions", _frozen_map(self.dimensions))
        object.__setattr__(self, "criterion_dimension", _frozen_map(self.criterion_dimension))

    @property
    def weight(self) -> float:
        """How many gate-passing leads this one stands for: ``1 / selection_probability``
        (1 for a lead the handoff rule chose, 1/share for an explored one)."""
        return 1.0 / self.selection_probability

    @property
    def explored(self) -> bool:
        """Handed off by exploration (at random), not by the handoff rule."""
        return self.selection_probability < 1.0

    @property
    def reached_opportunity(self) -> bool:
        """Converted to an opportunity (a won or lost opportunity implies it)."""
        return self.converted or self.won or self.lost

    @property
    def reached_accepted(self) -> bool:
        """Accepted by sales (worked, nurtured or converted)."""
        return bool(self.accepted) or self.reached_opportunity

    @property
    def pending(self) -> bool:
        """No sales decision yet: neither accepted, rejected nor converted."""
        return not self.reached_accepted and not self.rejected

    @property
    def reason(self) -> str | None:
        """The rejection reason as counted (``Unspecified`` when rejected without one)."""
        if not self.rejected:
            return None
        return (self.rejection_reason or "").strip() or UNSPECIFIED_REASON

    @property
    def hours_to_first_touch(self) -> float | None:
        """The SLA figure: hours from handoff to the first sales touch (never negative)."""
        if self.first_touch_at is None:
            return None
        return max(0.0, (self.first_touch_at - self.handed_off_at).total_seconds() / 3600.0)

    def fired_dimensions(self) -> frozenset[str]:
        """Dimensions with at least one fired criterion."""
        known = self.criterion_dimension
        return frozenset(known[c] for c in self.fired if c in known)

    @classmethod
    def from_snapshot(
        cls,
        hubspot_id: str,
        handed_off_at: datetime,
        snapshot: Mapping[str, Any],
        *,
        criterion_dimension: Mapping[str, str] | None = None,
        lead_status: str | None = None,
        accepted: bool | None = None,
        rejected: bool = False,
        rejection_reason: str | None = None,
        converted: bool = False,
        won: bool = False,
        lost: bool = False,
        amount_won: float | None = None,
        first_touch_at: datetime | None = None,
        selection_probability: float = 1.0,
        census: bool = False,
    ) -> HandoffOutcome:
        """Build from a ``Decision.to_snapshot()`` dict plus the disposition fields.

        The snapshot only lists the criteria that fired; pass the definition's full
        ``criterion_dimension`` map when you have it. Without it the report still measures each
        criterion correctly, because it compares fired vs not within each definition hash, using
        every lead of a hash where the criterion was seen.
        """
        missing = [key for key in SNAPSHOT_KEYS if key not in snapshot]
        if missing:
            raise ValueError(f"{hubspot_id}: snapshot lacks {', '.join(missing)}")
        fired_entries: Iterable[Mapping[str, Any]] = snapshot["fired"]
        fired: set[str] = set()
        mapping: dict[str, str] = {}
        for entry in fired_entries:
            criterion = str(entry["criterion"])
            fired.add(criterion)
            if entry.get("dimension") is not None:
                mapping[criterion] = str(entry["dimension"])
        mapping.update(criterion_dimension or {})
        return cls(
            hubspot_id=hubspot_id,
            handed_off_at=handed_off_at,
            version=str(snapshot["version"]),
            definition_hash=str(snapshot["definition_hash"]),
            score=float(snapshot["score"]),
            grade=str(snapshot["grade"]),
            dimensions={str(k): float(v) for k, v in dict(snapshot["dimensions"]).items()},
            fired=frozenset(fired),
            criterion_dimension=mapping,
            lead_status=lead_status,
            accepted=accepted,
            rejected=rejected,
            rejection_reason=rejection_reason,
            converted=converted,
            won=won,
            lost=lost,
            amount_won=amount_won,
            first_touch_at=first_touch_at,
            selection_probability=selection_probability,
            census=census,
        )

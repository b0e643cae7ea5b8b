"""Pure parts of the feedback job: what to read from Salesforce, the mapping's source record, the
disposition value, its kind, and the cursor. No I/O here.

A Lead is ours when it carries our external id (the HubSpot contact id). Its disposition is read
from the Lead (status, disqualification reason, first touch, conversion) and, once converted,
from the Opportunity it was converted to (stage, won / closed, amount).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connector.datetimes import parse_optional
from connector.fieldmap import Mapping as FieldMapping
from connector.store import Disposition

#: Lead fields the disposition itself needs (besides what the mapping reads), when the org has
#: them (``First_Touch_At__c`` and ``Disqualification_Reason__c`` are custom fields).
DISPOSITION_LEAD_FIELDS: tuple[str, ...] = (
    "Id", "SystemModstamp", "Status", "IsConverted", "ConvertedOpportunityId",
    "Disqualification_Reason__c", "First_Touch_At__c",
)
DISPOSITION_OPPORTUNITY_FIELDS: tuple[str, ...] = (
    "Id", "SystemModstamp", "StageName", "IsWon", "IsClosed", "Amount",
)
#: Fields that must exist: without them there is no disposition to read.
REQUIRED_LEAD_FIELDS = frozenset({"Id", "SystemModstamp", "Status", "IsConverted",
                                  "ConvertedOpportunityId"})
REQUIRED_OPPORTUNITY_FIELDS = frozenset({"Id", "SystemModstamp", "StageName", "IsWon",
                                         "IsClosed"})
STREAMS: tuple[str, ...] = ("Lead", "Opportunity")

Record = Mapping[str, Any]


def select_fields(sobject: str, mapping: FieldMapping, available: Iterable[str] | None,
                  *, extra: Iterable[str] = ()) -> list[str]:
    """The fields to SELECT from ``sobject``: what the mapping reads (always: a missing one is
    schema drift and Salesforce says so), plus the disposition's fields the org has."""
    wanted = DISPOSITION_LEAD_FIELDS if sobject == "Lead" else DISPOSITION_OPPORTUNITY_FIELDS
    required = REQUIRED_LEAD_FIELDS if sobject == "Lead" else REQUIRED_OPPORTUNITY_FIELDS
    have = set(available) if available is not None else None
    optional = [f for f in wanted if f in required or have is None or f in have]
    return list(dict.fromkeys([*optional, *extra, *sorted(mapping.source_fields(sobject))]))


def source_record(lead: Record, opportunity: Record | None) -> dict[str, Any]:
    """The record a feedback mapping reads: ``Lead.Field`` and ``Opportunity.Field`` keys."""
    source = {f"Lead.{k}": v for k, v in lead.items()}
    if opportunity is not None:
        source.update({f"Opportunity.{k}": v for k, v in opportunity.items()})
    return source


def parse_sf_datetime(value: Any) -> datetime | None:
    """``2026-11-29T10:00:00.000+0000`` (or any ISO-8601 form) -> aware UTC; blank -> None."""
    return parse_optional(value if value is None else str(value))


def latest_stamp(records: Iterable[Record]) -> datetime | None:
    """The latest ``SystemModstamp`` among ``records`` (None if none has one)."""
    stamps = [s for s in (parse_sf_datetime(r.get("SystemModstamp")) for r in records) if s]
    return max(stamps, default=None)


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def disposition_of(hubspot_id: str, lead: Record, opportunity: Record | None, *,
                   now: datetime, payload_hash: str | None) -> Disposition:
    """What sales did with this lead, as the store keeps it."""
    opp = opportunity or {}
    return Disposition(
        hubspot_id=hubspot_id,
        updated_at=now,
        salesforce_lead_id=lead.get("Id"),
        lead_status=lead.get("Status"),
        disqualification_reason=lead.get("Disqualification_Reason__c") or None,
        converted=bool(lead.get("IsConverted")),
        opportunity_id=lead.get("ConvertedOpportunityId") or opp.get("Id"),
        opportunity_stage=opp.get("StageName"),
        is_won=bool(opp["IsWon"]) if opp.get("IsWon") is not None else None,
        is_closed=bool(opp["IsClosed"]) if opp.get("IsClosed") is not None else None,
        amount=_float(opp.get("Amount")),
        first_touch_at=parse_sf_datetime(lead.get("First_Touch_At__c")),
        payload_hash=payload_hash,
    )


def same_facts(a: Disposition | None, b: Disposition) -> bool:
    """Equal dispositions, ignoring when they were recorded and what was written."""
    if a is None:
        return False
    ignore = {"updated_at", "payload_hash"}
    return all(getattr(a, name) == getattr(b, name)
               for name in Disposition.__dataclass_fields__ if name not in ignore)


def kind_of(d: Disposition) -> str:
    """One word for the run's counts: open, working, nurturing, rejected, converted, won, lost."""
    if d.is_won:
        return "won"
    if d.is_closed:
        return "lost"
    if d.converted:
        return "converted"
    status = d.lead_status or ""
    if status == "Closed - Not Converted":
        return "rejected"
    if status == "Nurturing":
        return "nurturing"
    if status in ("", "Open - Not Contacted"):
        return "open"
    return "working"


@dataclass(frozen=True)
class FeedbackCursor:
    """Where each stream stopped: the ``SystemModstamp`` of the last committed Lead and
    Opportunity (None before the first committed batch of that stream)."""

    lead: datetime | None = None
    opportunity: datetime | None = None

    def get(self, stream: str) -> datetime | None:
        return self.lead if stream == "Lead" else self.opportunity

    def moved(self, stream: str, to: datetime | None) -> FeedbackCursor:
        """A copy with ``stream`` moved to ``to`` (never backwards)."""
        current = self.get(stream)
        if to is None or (current is not None and to <= current):
            return self
        if stream == "Lead":
            return FeedbackCursor(to, self.opportunity)
        return FeedbackCursor(self.lead, to)

    def encode(self) -> str:
        return json.dumps({"Lead": _iso(self.lead), "Opportunity": _iso(self.opportunity)},
                          sort_keys=True)

    @classmethod
    def decode(cls, value: str | None) -> FeedbackCursor:
        if not value:
            return cls()
        data = json.loads(value)
        return cls(parse_sf_datetime(data.get("Lead")), parse_sf_datetime(data.get("Opportunity")))


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()

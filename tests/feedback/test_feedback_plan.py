"""Pure parts of the feedback job: disposition values, kinds, cursor, fields to select."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from connector.fieldmap import load_mapping
from connector.jobs.feedback_plan import (
    FeedbackCursor,
    disposition_of,
    kind_of,
    latest_stamp,
    parse_sf_datetime,
    same_facts,
    select_fields,
    source_record,
)

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 30, tzinfo=UTC)
LEAD = {"Id": "00Q000000000001AAA", "Status": "Closed - Converted", "IsConverted": True,
        "ConvertedOpportunityId": "006000000000001AAA", "Disqualification_Reason__c": None,
        "First_Touch_At__c": "2026-11-29T10:00:00.000+0000",
        "SystemModstamp": "2026-11-29T12:00:00.000+0000"}
OPP = {"Id": "006000000000001AAA", "StageName": "Closed Won", "IsWon": True, "IsClosed": True,
       "Amount": 45000.0, "SystemModstamp": "2026-11-30T08:00:00.000+0000"}


def test_parse_salesforce_datetimes() -> None:
    assert parse_sf_datetime("2026-11-29T10:00:00.000+0000") == datetime(2026, 11, 29, 10,
                                                                          tzinfo=UTC)
    assert parse_sf_datetime("2026-11-29T11:00:00+01:00") == datetime(2026, 11, 29, 10,
                                                                      tzinfo=UTC)
    assert parse_sf_datetime("2026-11-29T10:00:00Z") == datetime(2026, 11, 29, 10, tzinfo=UTC)
    assert parse_sf_datetime(None) is None and parse_sf_datetime(" ") is None
    assert latest_stamp([LEAD, OPP, {}]) == datetime(2026, 11, 30, 8, tzinfo=UTC)


def test_disposition_of_a_won_lead() -> None:
    d = disposition_of("101", LEAD, OPP, now=NOW, payload_hash="h")
    assert (d.converted, d.is_won, d.is_closed, d.amount) == (True, True, True, 45000.0)
    assert d.first_touch_at == datetime(2026, 11, 29, 10, tzinfo=UTC)
    assert d.opportunity_stage == "Closed Won" and kind_of(d) == "won"
    assert same_facts(d, disposition_of("101", LEAD, OPP, now=datetime(2027, 1, 1, tzinfo=UTC),
                                        payload_hash="other"))
    assert not same_facts(d, disposition_of("101", LEAD, {**OPP, "Amount": 1.0}, now=NOW,
                                            payload_hash="h"))


def test_kinds() -> None:
    def kind(status: str, **lead: object) -> str:
        return kind_of(disposition_of("1", {"Id": "x", "Status": status, **lead}, None,
                                      now=NOW, payload_hash=None))

    assert kind("Open - Not Contacted") == "open"
    assert kind("Working - Contacted") == "working"
    assert kind("Nurturing") == "nurturing"
    assert kind("Closed - Not Converted") == "rejected"
    assert kind("Closed - Converted", IsConverted=True) == "converted"
    lost = disposition_of("1", LEAD, {**OPP, "IsWon": False, "StageName": "Closed Lost"},
                          now=NOW, payload_hash=None)
    assert kind_of(lost) == "lost"


def test_cursor_round_trip_and_never_backwards() -> None:
    cursor = FeedbackCursor()
    assert FeedbackCursor.decode(None) == cursor
    t1, t2 = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)
    moved = cursor.moved("Lead", t2).moved("Opportunity", t1)
    assert FeedbackCursor.decode(moved.encode()) == moved
    assert moved.moved("Lead", t1) is moved
    assert moved.get("Lead") == t2 and moved.get("Opportunity") == t1


def test_select_fields_and_source_record() -> None:
    mapping = load_mapping(ROOT / "mappings" / "feedback.toml", direction="feedback")
    lead_fields = select_fields("Lead", mapping, None, extra=["HubSpot_Contact_Id__c"])
    assert {"Id", "Status", "IsConverted", "SystemModstamp", "HubSpot_Contact_Id__c"} \
        <= set(lead_fields)
    assert mapping.source_fields("Lead") <= set(lead_fields)
    without_custom = select_fields("Lead", mapping, {"Id", "Status"})
    assert "First_Touch_At__c" not in without_custom or "First_Touch_At__c" in \
        mapping.source_fields("Lead")
    source = source_record(LEAD, OPP)
    assert source["Lead.Status"] == "Closed - Converted"
    assert source["Opportunity.IsWon"] is True

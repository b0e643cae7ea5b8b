"""Ledger + dispositions -> HandoffOutcome: how each Lead status and opportunity reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from connector.report.from_store import outcome_of, outcomes_from_store, report_from_store
from connector.store import DecisionSnapshot, Disposition, Handoff, StateStore

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
SNAP = DecisionSnapshot(score=70.0, grade="hot", version="v1", definition_hash="h1",
                        dimensions={"urgency": 20.0}, fired=("timeline_this_quarter",),
                        extra={"fired": [{"criterion": "timeline_this_quarter",
                                          "dimension": "urgency"}]})


def handoff(hid: str, obj: str = "Lead") -> Handoff:
    return Handoff(hubspot_id=hid, outcome="created" if obj == "Lead" else "existing_contact",
                   at=T0, snapshot=SNAP, salesforce_id=f"00Q{hid}", salesforce_object=obj)  # type: ignore[arg-type]


def disposition(hid: str, **kw: object) -> Disposition:
    return Disposition(hubspot_id=hid, updated_at=T0 + timedelta(days=9), **kw)  # type: ignore[arg-type]


def test_statuses_and_opportunities_read_as_sales_decisions(store_url: str) -> None:
    store = StateStore.open(store_url)
    try:
        touched = T0 + timedelta(hours=5)
        with store.transaction() as tx:
            tx.record_handoffs([handoff(h) for h in ("open", "work", "nurt", "rej", "conv",
                                                       "won", "lost", "none")]
                               + [handoff("contact", "Contact")])
            tx.record_dispositions([
                disposition("open", lead_status="Open - Not Contacted"),
                disposition("work", lead_status="Working - Contacted", first_touch_at=touched),
                disposition("nurt", lead_status="Nurturing", first_touch_at=touched),
                disposition("rej", lead_status="Closed - Not Converted",
                            disqualification_reason="No Budget", first_touch_at=touched),
                disposition("conv", lead_status="Closed - Converted", converted=True,
                            opportunity_stage="Prospecting", is_won=False, is_closed=False,
                            amount=9000.0),
                disposition("won", lead_status="Closed - Converted", converted=True,
                            opportunity_stage="Closed Won", is_won=True, is_closed=True,
                            amount=45000.0),
                disposition("lost", lead_status="Closed - Converted", converted=True,
                            opportunity_stage="Closed Lost", is_won=False, is_closed=True,
                            amount=12000.0),
            ])
        got = {o.hubspot_id: o for o in outcomes_from_store(store)}
        assert "contact" not in got  # no Lead was made: not sales' to dispose of
        assert got["open"].pending and got["none"].pending and got["none"].accepted is None
        assert got["work"].accepted and got["nurt"].accepted and not got["work"].rejected
        assert got["work"].hours_to_first_touch == 5.0
        assert got["rej"].rejected and got["rej"].reason == "No Budget"
        assert got["rej"].accepted is False
        assert got["conv"].reached_opportunity and not got["conv"].won
        assert got["won"].won and got["won"].amount_won == 45000.0
        assert got["lost"].lost and got["lost"].amount_won is None
        assert got["won"].grade == "hot" and got["won"].fired == {"timeline_this_quarter"}
        assert got["won"].criterion_dimension["timeline_this_quarter"] == "urgency"
        report = report_from_store(store, now=T0 + timedelta(days=30), min_sample=1)
        assert report.total.handed_off == 8 and report.total.won == 1
        assert report.total.revenue == 45000.0
        assert dict(report.total.rejected_by_reason) == {"No Budget": 1}
        with_contacts = list(outcomes_from_store(store, version="v1"))
        assert len(with_contacts) == 8
        assert list(outcomes_from_store(store, since=T0 + timedelta(days=1))) == []
    finally:
        store.close()


def test_ungraded_snapshot_and_bare_fired_names() -> None:
    from connector.store import LedgerEntry

    snap = DecisionSnapshot(score=10.0, grade=None, version="v", definition_hash="h",
                            fired=("a",))
    entry = LedgerEntry("1", "00Q1", "Lead", "created", snap, None, None, T0, T0, 1)
    outcome = outcome_of(entry, None)
    assert outcome.grade == "ungraded" and outcome.fired == {"a"} and outcome.pending

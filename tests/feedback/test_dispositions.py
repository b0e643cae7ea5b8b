"""End to end: what sales did reaches HubSpot with the mapped values, and the store records it.

Sandbox simulators on loopback, the real hubspot-api-client and simple-salesforce, a frozen
SimClock moved by the simulated sales team. Two weeks of sales work leave every kind of lead:
untouched, working, nurturing, rejected with a reason, converted with an open opportunity, won
with an amount and lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from connector.jobs.feedback_plan import parse_sf_datetime
from tests.feedback.world import EXT, START, World

HS_LEAD_STATUS = {"Open - Not Contacted": "NEW", "Working - Contacted": "IN_PROGRESS",
                  "Nurturing": "BAD_TIMING", "Closed - Converted": "OPEN_DEAL",
                  "Closed - Not Converted": "UNQUALIFIED"}
RANK = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
        "customer", "evangelist"]


def kind(w: World, lead: dict[str, object]) -> str:
    if lead["IsConverted"]:
        opp = w.opportunity(str(lead["ConvertedOpportunityId"]))
        return "won" if opp["IsWon"] else "lost" if opp["IsClosed"] else "converted"
    return {"Closed - Not Converted": "rejected", "Nurturing": "nurturing",
            "Working - Contacted": "working"}.get(str(lead["Status"]), "open")


def test_every_disposition_kind_reaches_hubspot(world: Callable[..., World]) -> None:
    w = world(contacts=500)
    before = {str(lead[EXT]): w.contact(str(lead[EXT])).get("lifecyclestage")
              for lead in w.leads()}
    w.team.work(days=14)
    report = w.feedback()
    assert report.status == "succeeded" and report.counts["failed"] == 0
    kinds: Counter[str] = Counter()
    stored = w.ctx.store.dispositions_for(before)
    for lead in w.leads():
        cid, k = str(lead[EXT]), kind(w, lead)
        kinds[k] += 1
        hs = w.contact(cid)
        d = stored[cid]
        assert hs["sf_lead_id"] == lead["Id"] == d.salesforce_lead_id
        assert hs["sales_lead_status"] == lead["Status"] == d.lead_status
        assert hs["hs_lead_status"] == HS_LEAD_STATUS[str(lead["Status"])]
        stage = str(hs.get("lifecyclestage") or "")
        if k == "rejected":
            assert hs["sales_disqualification_reason"] == lead["Disqualification_Reason__c"]
            assert d.disqualification_reason == lead["Disqualification_Reason__c"] is not None
        if k in ("converted", "won", "lost"):
            opp = w.opportunity(str(lead["ConvertedOpportunityId"]))
            assert hs["sales_converted"] == "true" and d.converted
            assert hs["sf_opportunity_id"] == lead["ConvertedOpportunityId"] == d.opportunity_id
            assert hs["sf_contact_id"] == lead["ConvertedContactId"]
            assert hs["sales_opportunity_stage"] == opp["StageName"] == d.opportunity_stage
            assert RANK.index(stage) >= RANK.index("opportunity")
        if k == "won":
            assert d.amount is not None and d.amount > 0
            assert float(hs["sales_amount_won"]) == opp["Amount"] == d.amount
            assert stage == "customer" and d.is_won
        else:
            assert not hs.get("sales_amount_won")
        if k == "lost":
            assert hs["sales_opportunity_stage"] == "Closed Lost" and d.is_closed
            assert not d.is_won
        if k in ("working", "nurturing", "rejected", "converted", "won", "lost"):
            touched = parse_sf_datetime(lead["First_Touch_At__c"])
            assert touched is not None and touched > START
            assert parse_sf_datetime(hs["sales_first_touch_at"]) == touched == d.first_touch_at
        if k == "working":
            assert RANK.index(stage) >= RANK.index("salesqualifiedlead")
        if k == "open":
            assert stage == (before[cid] or "")  # nothing sales did moves it
            assert not hs.get("sales_first_touch_at") and d.first_touch_at is None
    assert set(kinds) == {"open", "working", "nurturing", "rejected", "converted", "won",
                          "lost"}, kinds
    assert sum(report.counts[k] for k in kinds) == sum(kinds.values())
    run = w.ctx.store.get_run(report.run_id or 0)
    assert run is not None and run.job == "feedback" and run.status == "succeeded"
    assert run.api_calls["hubspot"] >= 1 and run.api_calls["salesforce"] >= 1
    assert run.counts["written"] == report.counts["written"] == len(before)


def test_rerun_makes_zero_hubspot_calls(world: Callable[..., World]) -> None:
    w = world(contacts=300)
    w.team.work(days=10)
    first = w.feedback()
    assert first.counts["written"] > 0
    w.sandbox.reset_counters()
    second = w.feedback()
    assert w.hubspot_calls() == 0, w.sandbox.hubspot.counter.snapshot()
    assert second.counts["written"] == 0 and second.api_calls.get("hubspot", 0) == 0
    # sales works on: only what changed is written, once
    w.team.work(days=3)
    third = w.feedback()
    changed = third.counts["written"]
    assert 0 < changed < first.counts["written"]
    assert w.hubspot_writes() <= 2 * -(-changed // 100)  # a batch per stream at most
    w.sandbox.reset_counters()
    w.feedback()
    assert w.hubspot_writes() == 0


def test_lifecycle_never_moves_backwards(world: Callable[..., World]) -> None:
    w = world(contacts=500)
    w.team.work(days=14)
    by_kind: dict[str, list[str]] = {}
    for lead in w.leads():
        by_kind.setdefault(kind(w, lead), []).append(str(lead[EXT]))
    ahead = {by_kind["working"][0]: "customer", by_kind["won"][0]: "evangelist",
             by_kind["converted"][0]: "customer", by_kind["rejected"][0]: "opportunity",
             by_kind["working"][1]: "opportunity"}
    behind = by_kind["won"][1]
    for cid, stage in ahead.items():
        w.sandbox.hubspot.contacts.update(cid, {"lifecyclestage": stage})
    w.sandbox.hubspot.contacts.update(behind, {"lifecyclestage": "subscriber"})
    w.feedback()
    for cid, stage in ahead.items():
        assert w.contact(cid)["lifecyclestage"] == stage
    assert w.contact(behind)["lifecyclestage"] == "customer"  # forward: written
    assert w.contact(by_kind["working"][2])["lifecyclestage"] == "salesqualifiedlead"


def test_control_characters_in_salesforce_text_never_reach_hubspot(
        world: Callable[..., World]) -> None:
    """A rep pastes text with a NUL and control characters into a mapped Lead field: HubSpot
    gets the text without them (tab and newline kept), and the run counts what it stripped."""
    w = world(contacts=40)
    lead = w.leads()[0]
    w.sandbox.salesforce.org.update("Lead", str(lead["Id"]), {
        "Status": "Working - Contacted",
        "Handoff_Reasons__c": "budget\x00 confirmed\x07 by\x1b rep\tok\nnext\x7f"})
    report = w.feedback()
    assert report.status == "succeeded" and report.counts["failed"] == 0
    assert report.counts["control_chars_stripped"] == 1
    assert w.contact(str(lead[EXT]))["handoff_reasons"] == "budget confirmed by rep\tok\nnext"

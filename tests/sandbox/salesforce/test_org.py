"""The in-process org API used by tests and the simulated sales team, and seeding."""

from __future__ import annotations

import pytest

from connector_sandbox.salesforce import RecordRejected

from .helpers import EXT, Client, SfSandbox


def test_conversion_creates_account_contact_and_opportunity(sfx: SfSandbox,
                                                            sf: Client) -> None:
    org = sfx.sim.org
    lead_id = org.insert("Lead", {"LastName": "Turing", "FirstName": "Alan", "Company": "Bletchley",
                                  "Email": "alan@bletchley.example", "LeadSource": "Web",
                                  "Title": "Cryptanalyst"})
    before = org.get("Lead", lead_id)
    ids = org.convert_lead(lead_id, amount=25_000)
    lead = sf.Lead.get(lead_id)
    assert (lead["IsConverted"], lead["Status"]) == (True, "Closed - Converted")
    assert lead["ConvertedAccountId"] == ids["accountId"]
    assert lead["ConvertedContactId"] == ids["contactId"]
    assert lead["ConvertedOpportunityId"] == ids["opportunityId"]
    assert lead["SystemModstamp"] >= before["SystemModstamp"]  # type: ignore[index]
    contact = sf.Contact.get(ids["contactId"])
    assert (contact["Email"], contact["AccountId"], contact["Name"]) == (
        "alan@bletchley.example", ids["accountId"], "Alan Turing")
    assert sf.Account.get(ids["accountId"])["Name"] == "Bletchley"
    opp = sf.Opportunity.get(ids["opportunityId"])
    assert (opp["StageName"], opp["Amount"], opp["IsWon"], opp["IsClosed"]) == (
        "Prospecting", 25_000.0, False, False)
    assert opp["CloseDate"] >= lead["ConvertedDate"]
    opp_id = str(ids["opportunityId"])
    org.set_opportunity_stage(opp_id, "Negotiation/Review")
    assert sf.Opportunity.get(ids["opportunityId"])["Probability"] == 90.0
    org.set_opportunity_stage(opp_id, "Closed Lost", amount=0)
    lost = sf.query("SELECT StageName, IsWon, IsClosed, Amount FROM Opportunity")["records"][0]
    assert (lost["IsWon"], lost["IsClosed"], lost["Amount"]) == (False, True, 0.0)
    without = org.convert_lead(org.insert("Lead", {"LastName": "Solo", "Company": "S"}),
                               opportunity=False)
    assert without["opportunityId"] is None


def test_in_process_writes_validate_like_the_api(sfx: SfSandbox) -> None:
    org = sfx.sim.org
    with pytest.raises(RecordRejected) as rejected:
        org.insert("Lead", {"LastName": "X", "Company": "Y", "Handoff_Grade__c": "Won"})
    assert rejected.value.issues[0].status_code == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    lead_id = org.insert("Lead", {"LastName": "X", "Company": "Y"})
    with pytest.raises(RecordRejected):
        org.update("Lead", lead_id, {"IsConverted": True})
    with pytest.raises(KeyError):
        org.insert("Nope", {})
    with pytest.raises(RecordRejected):
        org.set_opportunity_stage(lead_id, "Closed Won")  # a Lead id is no Opportunity
    assert org.get("Lead", "00QDn000000ZZZZ") is None
    assert org.count("Lead") == 1


def test_seed_org_makes_duplicates_without_the_external_id(sfx: SfSandbox,
                                                           sf: Client) -> None:
    people = [{"email": f"Person{i}@Corp{i % 3}.example", "firstname": f"F{i}",
               "lastname": f"L{i}", "company": f"Corp {i % 3}", "jobtitle": "VP",
               "phone": "+1 555 0100"} for i in range(10)]
    people.append({"email": "not an email", "lastname": "Skipped"})
    first = sfx.sim.seed_org(people, leads=6, contacts=4, seed=3)
    assert [len(first[k]) for k in ("leads", "contacts")] == [6, 4]
    assert 1 <= len(first["accounts"]) <= 3
    leads = sf.query_all(f"SELECT Email, {EXT}, OwnerId, CreatedDate, Status FROM Lead")
    assert all(r[EXT] is None for r in leads["records"])
    assert {r["OwnerId"] for r in leads["records"]} <= set(sfx.sim.org.rep_ids())
    emails = {r["Email"].lower() for r in leads["records"]}
    contacts = sf.query_all("SELECT Email, AccountId FROM Contact")["records"]
    assert all(r["AccountId"] for r in contacts)
    assert emails | {r["Email"].lower() for r in contacts} <= {p["email"].lower()
                                                                for p in people}
    sfx.sim.reset()
    again = sfx.sim.seed_org(people, leads=6, contacts=4, seed=3)
    assert again == first  # deterministic ids for a seed

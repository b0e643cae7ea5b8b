"""sObject Collections through ``sf.restful``: per-record results in input order, always 200."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from connector_sandbox.salesforce import ValidationRule

from .helpers import EXT, UPSERT, Client, SfSandbox, codes, content, lead, unused_id


def upsert(sf: Client, records: list[dict[str, Any]], all_or_none: bool = False,
           **kw: Any) -> list[dict[str, Any]]:
    result = sf.restful(UPSERT, method="PATCH",
                        json={"allOrNone": all_or_none, "records": records}, **kw)
    assert isinstance(result, list)
    return result


def test_upsert_creates_then_updates_in_input_order(sfx: SfSandbox, sf: Client) -> None:
    created = upsert(sf, [lead(i) for i in range(3)])
    assert [r["created"] for r in created] == [True, True, True]
    assert all(r["success"] and r["errors"] == [] for r in created)
    again = upsert(sf, [lead(2, Title="CTO"), lead(3), lead(0, Handoff_Grade__c="hot")])
    assert [r["created"] for r in again] == [False, True, False]
    assert again[0]["id"] == created[2]["id"] and again[2]["id"] == created[0]["id"]
    assert sfx.sim.org.get("Lead", created[2]["id"])["Title"] == "CTO"  # type: ignore[index]
    assert sfx.sim.org.count("Lead") == 4


def test_mixed_per_record_errors(sfx: SfSandbox, sf: Client) -> None:
    sfx.sim.org.insert("Lead", {"LastName": "Existing", "Company": "Org",
                                "Email": "taken@org.example"})
    results = upsert(sf, [
        lead(1),
        lead(2, Handoff_Grade__c="lukewarm"),
        lead(3, Company="x" * 256),
        lead(4, LastName=""),
        lead(5, Email="TAKEN@org.example"),
        lead(6, Email="bad@", Purchase_Timeline__c="Someday"),
        lead(7, Name="Ada Lovelace"),
        lead(8, Handoff_Score__c="high"),
        {"attributes": {"type": "Lead"}, "LastName": "No key", "Company": "C"},
        lead(9),
    ])
    assert [r["success"] for r in results] == [True, False, False, False, False, False, False,
                                               False, False, True]
    assert codes(results[1]) == ["INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"]
    assert results[1]["errors"][0] == {
        "statusCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        "message": "Handoff Grade: bad value for restricted picklist field: lukewarm",
        "fields": ["Handoff_Grade__c"]}
    assert codes(results[2]) == ["STRING_TOO_LONG"]
    assert results[2]["errors"][0]["fields"] == ["Company"]
    assert codes(results[3]) == ["REQUIRED_FIELD_MISSING"]
    assert results[3]["errors"][0]["fields"] == ["LastName"]
    assert codes(results[4]) == ["DUPLICATES_DETECTED"]
    match = results[4]["errors"][0]["duplicateResult"]["matchResults"][0]["matchRecords"][0]
    assert match["record"]["Id"].startswith("00Q")
    assert sorted(codes(results[5])) == ["INVALID_EMAIL_ADDRESS",
                                         "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"]
    assert codes(results[6]) == ["INVALID_FIELD_FOR_INSERT_UPDATE"]
    assert codes(results[7]) == ["INVALID_TYPE_ON_FIELD_IN_RECORD"]
    assert codes(results[8]) == ["MISSING_ARGUMENT"]
    assert all(r["created"] is False and r["id"] is None for r in results[1:9])
    assert sfx.sim.org.count("Lead") == 3


def test_all_or_none_rolls_everything_back(sfx: SfSandbox, sf: Client) -> None:
    results = upsert(sf, [lead(1), lead(2, Handoff_Grade__c="Bogus"), lead(3)], all_or_none=True)
    assert [codes(r) for r in results] == [["ALL_OR_NONE_OPERATION_ROLLED_BACK"],
                                           ["INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"],
                                           ["ALL_OR_NONE_OPERATION_ROLLED_BACK"]]
    assert sfx.sim.org.count("Lead") == 0
    assert all(r["success"] for r in upsert(sf, [lead(1), lead(3)], all_or_none=True))


def test_duplicate_rule_switches_and_the_allow_save_header(sfx: SfSandbox,
                                                           sf: Client) -> None:
    upsert(sf, [lead(1, Email="same@x.io")])
    assert codes(upsert(sf, [lead(2, Email="same@x.io")])[0]) == ["DUPLICATES_DETECTED"]
    allowed = upsert(sf, [lead(2, Email="same@x.io")],
                     headers={"Sforce-Duplicate-Rule-Header": "allowSave=true"})
    assert allowed[0]["success"] is True
    sfx.sim.settings.lead_email_duplicate_rule = False
    assert upsert(sf, [lead(3, Email="same@x.io")])[0]["success"] is True
    # records of one request are not compared with each other, as in Salesforce
    sfx.sim.settings.lead_email_duplicate_rule = True
    pair = upsert(sf, [lead(4, Email="twin@x.io"), lead(5, Email="twin@x.io")])
    assert [r["success"] for r in pair] == [True, True]


def test_same_external_id_twice_in_one_request(sf: Client) -> None:
    results = upsert(sf, [lead(1), lead(1, Title="again"), lead(2)])
    assert [codes(r) for r in results] == [["DUPLICATE_EXTERNAL_ID"], ["DUPLICATE_EXTERNAL_ID"],
                                           []]


def test_custom_validation_rules(sfx: SfSandbox, sf: Client) -> None:
    sfx.sim.add_validation_rule(ValidationRule(
        "Reason_Required", "Lead",
        lambda r: r.get("Status") == "Closed - Not Converted"
        and not r.get("Disqualification_Reason__c"),
        "A disqualification reason is required", "Disqualification_Reason__c"))
    results = upsert(sf, [lead(1, Status="Closed - Not Converted"),
                          lead(2, Status="Closed - Not Converted",
                               Disqualification_Reason__c="No Budget")])
    assert results[0]["errors"] == [{"statusCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                                     "message": "A disqualification reason is required",
                                     "fields": ["Disqualification_Reason__c"]}]
    assert results[1]["success"] is True


def test_create_and_update_collections(sfx: SfSandbox, sf: Client) -> None:
    account = sf.Account.create({"Name": "Globex"})["id"]
    created = sf.restful("composite/sobjects", method="POST", json={"records": [
        {"attributes": {"type": "Contact"}, "LastName": "Scorpio", "AccountId": account},
        {"attributes": {"type": "Contact"}, "LastName": "Bad", "AccountId": unused_id("001")},
        {"attributes": {"type": "Task"}, "Subject": "Call", "Status": "Not Started"},
        {"attributes": {"type": "Lead"}, "Id": "00QDn0000000001AAA", "LastName": "Id given",
         "Company": "C"},
    ]})
    assert [r["success"] for r in created] == [True, False, True, False]
    assert "created" not in created[0]
    assert codes(created[1]) == ["INVALID_CROSS_REFERENCE_KEY"]
    assert codes(created[3]) == ["INVALID_FIELD"]
    contact_id = created[0]["id"]
    updated = sf.restful("composite/sobjects", method="PATCH", json={"records": [
        {"attributes": {"type": "Contact"}, "id": contact_id, "Title": "Boss"},
        {"attributes": {"type": "Contact"}, "Title": "No id"},
        {"attributes": {"type": "Contact"}, "id": unused_id("003"), "Title": "Missing"},
    ]})
    assert [r["success"] for r in updated] == [True, False, False]
    assert codes(updated[1]) == ["MISSING_ARGUMENT"]
    assert codes(updated[2]) == ["INVALID_CROSS_REFERENCE_KEY"]
    retrieved = sf.restful("composite/sobjects/Contact",
                           params={"ids": f"{contact_id},{unused_id('003')}",
                                   "fields": "Title,Name"})
    assert retrieved[0]["Title"] == "Boss" and retrieved[1] is None


@pytest.mark.parametrize(("path", "body", "code"), [
    (UPSERT, {"records": [lead(i) for i in range(201)]}, "EXCEEDED_ID_LIMIT"),
    ("composite/sobjects/Lead/Title", {"records": [lead(1)]}, "INVALID_FIELD"),
    (UPSERT, {"records": [lead(1, attributes={"type": "Contact"})]}, "INVALID_TYPE"),
    ("composite/sobjects", {"records": [{"attributes": {}, "LastName": "untyped"}]},
     "INVALID_TYPE"),
    (UPSERT, {"allOrNone": False}, "JSON_PARSER_ERROR"),
])
def test_malformed_collection_requests_are_400(sf: Client, path: str,
                                               body: dict[str, Any], code: str) -> None:
    method = "POST" if path == "composite/sobjects" else "PATCH"
    with pytest.raises(SalesforceMalformedRequest) as bad:
        sf.restful(path, method=method, json=body)
    assert content(bad.value)[0]["errorCode"] == code


def test_writes_bump_system_modstamp_for_incremental_queries(sfx: SfSandbox,
                                                             sf: Client) -> None:
    first = upsert(sf, [lead(1), lead(2)])
    stamp = sfx.sim.org.get("Lead", first[0]["id"])["SystemModstamp"]  # type: ignore[index]
    upsert(sf, [lead(2, Title="changed")])
    soql = f"SELECT {EXT} FROM Lead WHERE SystemModstamp > {stamp.replace('+0000', 'Z')}"
    changed = sf.query_all(soql)["records"]
    later = [r[EXT] for r in changed]
    assert later in ([], ["hs-2"])  # same millisecond is possible; never hs-1
    assert "hs-1" not in later


def test_composite_batches_subrequests_as_one_api_call(sfx: SfSandbox, sf: Client) -> None:
    upsert(sf, [lead(1)])
    before = sfx.sim.usage.used()
    result = sf.restful("composite", method="POST", json={"compositeRequest": [
        {"method": "GET", "referenceId": "q",
         "url": "/services/data/v59.0/query?q=SELECT+Email+FROM+Lead"},
        {"method": "PATCH", "referenceId": "u", "url": f"/services/data/v59.0/{UPSERT}",
         "body": {"records": [lead(2)]}},
        {"method": "GET", "referenceId": "bad",
         "url": "/services/data/v59.0/query?q=SELECT+Nope__c+FROM+Lead"},
    ]})["compositeResponse"]
    assert [r["httpStatusCode"] for r in result] == [200, 200, 400]
    assert result[0]["body"]["records"][0]["Email"] == "ada1@engines.example"
    assert result[1]["body"][0]["created"] is True
    assert result[2]["body"][0]["errorCode"] == "INVALID_FIELD"
    assert sfx.sim.usage.used() - before == 1


def test_row_lock_contention_on_demand(sfx: SfSandbox, sf: Client) -> None:
    with sfx.admin() as http:
        http.patch("/__sandbox__/config", json={"lock_failures": 1})
    results = upsert(sf, [lead(1), lead(2)])
    assert codes(results[0]) == ["UNABLE_TO_LOCK_ROW"] and results[1]["success"] is True
    assert upsert(sf, [lead(1)])[0]["success"] is True  # a retry goes through

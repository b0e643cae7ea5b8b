"""SOQL through simple-salesforce: paging, the supported subset, and its error codes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from simple_salesforce.exceptions import SalesforceMalformedRequest
from simple_salesforce.format import format_soql

from .helpers import EXT, Client, SfSandbox, content


@pytest.fixture
def people(sfx: SfSandbox) -> list[str]:
    """Six Leads with varied values (and a deleted seventh)."""
    org = sfx.sim.org
    rows: list[dict[str, Any]] = [
        {"LastName": "Abbott", "FirstName": "Ann", "Company": "Acme", "Email": "ann@acme.io",
         "NumberOfEmployees": 10, "AnnualRevenue": 1000, "Rating": "Hot", EXT: "1",
         "Handoff_At__c": "2026-01-01T10:00:00Z"},
        {"LastName": "Baker", "FirstName": "Bob", "Company": "Bolt", "Email": "bob@bolt.io",
         "NumberOfEmployees": 200, "Rating": "Warm", EXT: "2",
         "Handoff_At__c": "2026-03-01T10:00:00+01:00"},
        {"LastName": "Carter", "Company": "Acme", "Email": "carol@acme.io", "Rating": "Cold",
         "NumberOfEmployees": 50, EXT: "3"},
        {"LastName": "O'Neil", "FirstName": "Dan", "Company": "100% Juice_Co", "Title": "CEO"},
        {"LastName": "Evans", "FirstName": "Eve", "Company": "Echo", "Email": "EVE@ECHO.IO",
         "Status": "Nurturing"},
        {"LastName": "Fox", "Company": "Fable", "Status": "Working - Contacted",
         "NumberOfEmployees": 5},
    ]
    ids = [org.insert("Lead", row) for row in rows]
    gone = org.insert("Lead", {"LastName": "Ghost", "Company": "Gone"})
    org.delete("Lead", gone)
    return ids


def names(sf: Client, where: str, order: str = "LastName") -> list[str]:
    result = sf.query_all(f"SELECT LastName FROM Lead WHERE {where} ORDER BY {order}")
    return [r["LastName"] for r in result["records"]]


def test_query_all_iter_follows_next_records_url_across_pages(sfx: SfSandbox,
                                                              sf: Client) -> None:
    org = sfx.sim.org
    for i in range(23):
        org.insert("Lead", {"LastName": f"P{i:02d}", "Company": "Paging"})
    sfx.sim.settings.query_page_size = 5
    first = sf.query("SELECT Id, LastName FROM Lead ORDER BY LastName")
    assert first["totalSize"] == 23 and first["done"] is False and len(first["records"]) == 5
    assert first["nextRecordsUrl"].startswith("/services/data/v59.0/query/01g")
    assert first["nextRecordsUrl"].endswith("-5")
    assert first["records"][0]["attributes"] == {
        "type": "Lead", "url": f"/services/data/v59.0/sobjects/Lead/{first['records'][0]['Id']}"}
    every = [r["LastName"] for r in sf.query_all_iter("SELECT LastName FROM Lead ORDER BY "
                                                        "LastName DESC")]
    assert every == [f"P{i:02d}" for i in reversed(range(23))]
    assert sfx.sim.counter.total("GET /services/data/v59.0/query/{locator}") == 4


def test_pages_are_a_snapshot_of_the_result(sfx: SfSandbox, sf: Client) -> None:
    org = sfx.sim.org
    ids = [org.insert("Lead", {"LastName": f"S{i}", "Company": "Snap"}) for i in range(4)]
    sfx.sim.settings.query_page_size = 2
    first = sf.query("SELECT Id, Company FROM Lead ORDER BY LastName")
    org.update("Lead", ids[3], {"Company": "Changed"})
    rest = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert [r["Company"] for r in rest["records"]] == ["Snap", "Snap"]
    assert rest["done"] is True and "nextRecordsUrl" not in rest


def test_query_without_trailing_slash_and_query_all_with_deleted(sfx: SfSandbox, sf: Client,
                                                                 people: list[str]) -> None:
    plain = sf.restful("query", params={"q": "SELECT Id FROM Lead"})
    assert plain["totalSize"] == 6
    assert sf.query_all("SELECT Id FROM Lead", include_deleted=True)["totalSize"] == 7
    deleted = sf.query("SELECT LastName, IsDeleted FROM Lead WHERE IsDeleted = TRUE",
                       include_deleted=True)
    assert [r["LastName"] for r in deleted["records"]] == ["Ghost"]


def test_an_unknown_query_locator(sf: Client) -> None:
    with pytest.raises(SalesforceMalformedRequest) as bad:
        sf.query_more("/services/data/v59.0/query/01gDn00000000ZZAAA-2000",
                      identifier_is_url=True)
    assert content(bad.value)[0]["errorCode"] == "INVALID_QUERY_LOCATOR"


@pytest.mark.parametrize(("where", "expected"), [
    ("Company = 'acme'", ["Abbott", "Carter"]),  # string equality ignores case
    ("Company != 'Acme'", ["Baker", "Evans", "Fox", "O'Neil"]),
    ("Email = 'eve@echo.io'", ["Evans"]),
    ("NumberOfEmployees > 10", ["Baker", "Carter"]),
    ("NumberOfEmployees >= 10 AND NumberOfEmployees <= 50", ["Abbott", "Carter"]),
    ("NumberOfEmployees < 10", ["Fox"]),
    ("NumberOfEmployees = null", ["Evans", "O'Neil"]),
    ("FirstName != null AND Email = null", ["O'Neil"]),
    ("Rating IN ('Hot', 'Cold')", ["Abbott", "Carter"]),
    ("Rating NOT IN ('Hot', 'Cold')", ["Baker", "Evans", "Fox", "O'Neil"]),
    ("LastName LIKE 'b%'", ["Baker"]),
    ("Company LIKE '%ac_e'", ["Abbott", "Carter"]),
    ("Company LIKE '100\\% Juice\\_%'", ["O'Neil"]),
    ("LastName = 'O\\'Neil'", ["O'Neil"]),
    ("(Rating = 'Hot' OR Rating = 'Warm') AND NOT Company = 'Bolt'", ["Abbott"]),
    ("NOT (Company = 'Acme' OR Company = 'Bolt')", ["Evans", "Fox", "O'Neil"]),
    ("Status = 'Open - Not Contacted' AND IsConverted = FALSE",
     ["Abbott", "Baker", "Carter", "O'Neil"]),
    ("IsConverted = true", []),
    ("AnnualRevenue = 1000.0", ["Abbott"]),
    ("Handoff_At__c > 2026-02-01T00:00:00Z", ["Baker"]),
    ("Handoff_At__c = 2026-03-01T09:00:00+00:00", ["Baker"]),
    ("Handoff_At__c <= 2026-01-01T10:00:00.000Z", ["Abbott"]),
    ("CreatedDate = TODAY AND CreatedDate > YESTERDAY", ["Abbott", "Baker", "Carter", "Evans",
                                                        "Fox", "O'Neil"]),
    ("CreatedDate = LAST_N_DAYS:3", ["Abbott", "Baker", "Carter", "Evans", "Fox", "O'Neil"]),
    ("Owner.Username = 'integration@sandbox.example' AND Company = 'Echo'", ["Evans"]),
])
def test_where_clauses(sf: Client, people: list[str], where: str,
                       expected: list[str]) -> None:
    assert names(sf, where) == expected


def test_order_by_nulls_limit_and_offset(sf: Client, people: list[str]) -> None:
    assert names(sf, "Company != null", "NumberOfEmployees DESC NULLS LAST, LastName") == [
        "Baker", "Carter", "Abbott", "Fox", "Evans", "O'Neil"]
    assert names(sf, "Company != null", "NumberOfEmployees NULLS LAST, LastName DESC") == [
        "Fox", "Abbott", "Carter", "Baker", "O'Neil", "Evans"]
    assert names(sf, "Company != null", "NumberOfEmployees, LastName") == [
        "Evans", "O'Neil", "Fox", "Abbott", "Carter", "Baker"]
    page = sf.query("SELECT LastName FROM Lead ORDER BY LastName LIMIT 2 OFFSET 1")
    assert page["totalSize"] == 2 and [r["LastName"] for r in page["records"]] == [
        "Baker", "Carter"]


def test_count_relationships_and_date_only_fields(sfx: SfSandbox, sf: Client,
                                                  people: list[str]) -> None:
    assert sf.query("SELECT COUNT() FROM Lead WHERE Company = 'Acme'") == {
        "totalSize": 2, "done": True, "records": []}
    ids = sfx.sim.org.convert_lead(people[0], amount=1200.5)
    record = sf.query("SELECT Id, ConvertedDate, ConvertedOpportunity.Amount, Owner.Name "
                      "FROM Lead WHERE IsConverted = TRUE")["records"][0]
    assert record["ConvertedOpportunity"]["Amount"] == 1200.5
    assert record["ConvertedOpportunity"]["attributes"]["type"] == "Opportunity"
    assert record["Owner"]["Name"] == "Integration User"
    today = datetime.now(UTC).date().isoformat()
    assert record["ConvertedDate"] == today
    found = sf.query(f"SELECT Id FROM Lead WHERE ConvertedDate = {today}")["records"]
    assert [r["Id"] for r in found] == [people[0]]
    empty = sf.query("SELECT Id, ConvertedOpportunity.Name FROM Lead WHERE Company = 'Bolt'")
    assert empty["records"][0]["ConvertedOpportunity"] is None
    assert ids["opportunityId"] is not None


def test_dedup_query_by_email_in_uses_case_insensitive_matching(sf: Client,
                                                                 people: list[str]) -> None:
    soql = format_soql("SELECT Id, Email FROM Lead WHERE Email IN {}",
                       ["ANN@acme.io", "eve@echo.io", "nobody@x.io"])
    found = sorted(r["Email"] for r in sf.query(soql)["records"])
    assert found == ["EVE@ECHO.IO", "ann@acme.io"]


@pytest.mark.parametrize("soql", [
    "SELECT Id FROM Lead WHERE Company = 'a' AND Rating = 'Hot' OR Rating = 'Cold'",
    "SELECT Id, COUNT(Id) FROM Lead",
    "SELECT Id FROM Lead GROUP BY Id",
    "SELECT Id FROM Lead WHERE Company = \"double\"",
    "SELECT Id FROM Lead WHERE Company = 'unterminated",
    "SELECT Id FROM Lead WHERE Company INCLUDES ('a')",
    "SELECT Id FROM Lead WHERE Company = :bind",
    "SELECT Id FROM Lead LIMIT -1",
    "SELECT Id FROM Lead WITH SECURITY_ENFORCED",
    "SELECT Id FROM Lead FOR UPDATE",
    "SELECT (SELECT Id FROM Tasks) FROM Lead",
    "SELECT Id FROM Lead WHERE",
    "SELECT Id FROM Lead ORDER BY",
    "SELECT FROM Lead",
    "SELECT Id Lead",
    "SELECT Id FROM Lead WHERE Company = 'x\\q'",
    "SELECT Id FROM Lead WHERE Handoff_At__c > 2026-01-01T00:00:00",
    "SELECT Id FROM Lead WHERE Company < null",
    "SELECT Id, Id FROM Lead",
    "",
])
def test_outside_the_subset_is_malformed_query(sf: Client, soql: str) -> None:
    with pytest.raises(SalesforceMalformedRequest) as bad:
        sf.query(soql)
    assert content(bad.value)[0]["errorCode"] == "MALFORMED_QUERY", content(bad.value)


@pytest.mark.parametrize(("soql", "code"), [
    ("SELECT Id, Nope__c FROM Lead", "INVALID_FIELD"),
    ("SELECT Id FROM Lead WHERE Bogus = 1", "INVALID_FIELD"),
    ("SELECT Id FROM Lead ORDER BY Bogus", "INVALID_FIELD"),
    ("SELECT Id, Nope.Name FROM Lead", "INVALID_FIELD"),
    ("SELECT Id, Owner.Nope FROM Lead", "INVALID_FIELD"),
    ("SELECT Id FROM Lead WHERE Description = 'x'", "INVALID_FIELD"),
    ("SELECT Id FROM Lead ORDER BY Handoff_Reasons__c", "INVALID_FIELD"),
    ("SELECT Id FROM Lead WHERE CreatedDate > '2026-01-01T00:00:00Z'", "INVALID_FIELD"),
    ("SELECT Id FROM Lead WHERE CreatedDate > 2026-01-01", "INVALID_FIELD"),
    ("SELECT Id FROM Lead WHERE NumberOfEmployees = '5'", "INVALID_FIELD"),
    ("SELECT Id FROM Lead WHERE Company = 5", "INVALID_FIELD"),
    ("SELECT Id FROM Lead WHERE IsConverted = 'true'", "INVALID_FIELD"),
    ("SELECT Id FROM Leed", "INVALID_TYPE"),
    ("SELECT Id FROM Lead WHERE Id = 'not-an-id'", "INVALID_QUERY_FILTER_OPERATOR"),
    ("SELECT Id FROM Lead WHERE NumberOfEmployees LIKE '5%'", "INVALID_QUERY_FILTER_OPERATOR"),
])
def test_unknown_names_and_type_mismatches(sf: Client, soql: str, code: str) -> None:
    with pytest.raises(SalesforceMalformedRequest) as bad:
        sf.query(soql)
    assert content(bad.value)[0]["errorCode"] == code, content(bad.value)


_text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
                min_size=1, max_size=40).filter(lambda s: s.strip() == s and s != "")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_text)
def test_string_literals_round_trip_through_format_soql(sfx: SfSandbox, sf: Client,
                                                        title: str) -> None:
    org = sfx.sim.org
    record_id = org.insert("Lead", {"LastName": "Round", "Company": "Trip", "Title": title})
    try:
        found = sf.query(format_soql("SELECT Id, Title FROM Lead WHERE Title = {}", title))
        assert [r["Id"] for r in found["records"] if r["Title"] == title] == [record_id]
        like = sf.query(format_soql("SELECT Id FROM Lead WHERE Title LIKE '{:like}'", title))
        assert record_id in [r["Id"] for r in like["records"]]
    finally:
        org.delete("Lead", record_id)


def test_limit_spans_pages_and_batch_size_header(sfx: SfSandbox, sf: Client) -> None:
    org = sfx.sim.org
    for i in range(250):
        org.insert("Lead", {"LastName": f"B{i:03d}", "Company": "Batch"})
    sfx.sim.settings.query_page_size = 100
    limited = list(sf.query_all_iter("SELECT Id FROM Lead LIMIT 130"))
    assert len(limited) == 130
    page = sf.query("SELECT Id FROM Lead", headers={"Sforce-Query-Options": "batchSize=200"})
    assert (page["totalSize"], len(page["records"])) == (250, 200)

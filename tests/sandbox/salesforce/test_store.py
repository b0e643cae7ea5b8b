"""The org store's case-insensitive indexes: one holder, several holders, moves and removals."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from connector_sandbox.salesforce.catalog import Catalog
from connector_sandbox.salesforce.store import OrgStore, Row


def lead(record_id: str, email: str | None, **extra: object) -> Row:
    return {"Id": record_id, "Email": email, "IsDeleted": False, **extra}


def test_one_then_several_holders_then_back_to_one() -> None:
    store = OrgStore(Catalog.standard("HubSpot_Contact_Id__c"))
    a, b, c = lead("00QA", "Dana@Example.com"), lead("00QB", "dana@example.COM"), \
        lead("00QC", "other@example.com")
    for row in (a, b, c):
        store.put("Lead", row, None)
    assert [r["Id"] for r in store.matching("Lead", "Email", "DANA@example.com")] == \
        ["00QA", "00QB"]
    assert store.other_holder("Lead", "Email", "dana@example.com", "00QA") == "00QB"
    assert [r["Id"] for r in store.lookup("Lead", "Email", ["dana@example.com",
                                                            "OTHER@example.com"]) or []] == \
        ["00QA", "00QB", "00QC"]
    moved = lead("00QA", "new@example.com")
    store.put("Lead", moved, a)
    assert [r["Id"] for r in store.matching("Lead", "Email", "dana@example.com")] == ["00QB"]
    assert [r["Id"] for r in store.matching("Lead", "Email", "new@example.com")] == ["00QA"]
    assert store.other_holder("Lead", "Email", "dana@example.com", "00QB") is None
    store.put("Lead", lead("00QB", None), b)
    assert store.matching("Lead", "Email", "dana@example.com") == []


def test_deleted_rows_are_not_live_holders() -> None:
    store = OrgStore(Catalog.standard("HubSpot_Contact_Id__c"))
    row = lead("00QA", "x@example.com")
    store.put("Lead", row, None)
    gone = dict(row, IsDeleted=True)
    store.put("Lead", gone, row)
    assert store.matching("Lead", "Email", "x@example.com") == []
    assert store.other_holder("Lead", "Email", "x@example.com", None) is None


@settings(max_examples=150)
@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["a@x.io", "A@X.io", "b@x.io",
                                                              "c@x.io", None])),
                max_size=40))
def test_index_agrees_with_a_scan(writes: list[tuple[int, str | None]]) -> None:
    """After any sequence of writes, every index answer equals a scan of the table."""
    store = OrgStore(Catalog.standard("HubSpot_Contact_Id__c"))
    for n, email in writes:
        record_id = f"00Q{n}"
        old = store.get("Lead", record_id)
        store.put("Lead", lead(record_id, email), old)
    for probe in ("a@x.io", "b@x.io", "c@x.io"):
        scan = [r["Id"] for r in store.tables["Lead"].values()
                if (r["Email"] or "").casefold() == probe]
        found = [r["Id"] for r in store.matching("Lead", "Email", probe)]
        assert sorted(found) == sorted(scan)
        assert (store.other_holder("Lead", "Email", probe, None) is None) == (not scan)

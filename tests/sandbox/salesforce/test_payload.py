"""Generated payload readers agree with the table loop they replace, on every outcome."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connector_sandbox.salesforce import payload as payload_module
from connector_sandbox.salesforce.api_errors import RecordRejected
from connector_sandbox.salesforce.catalog import Catalog
from connector_sandbox.salesforce.payload import PayloadReader
from connector_sandbox.salesforce.values import EMAIL_RE

LEAD = Catalog.standard("HubSpot_Contact_Id__c").get("Lead")
assert LEAD is not None
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "LastName": st.sampled_from(["Lopez", "", None, "x" * 81, 7]),
    "company": st.sampled_from(["Acme", None, True]),
    "Email": st.sampled_from(["dana@acme.example", "not an email", None, "", 3.5]),
    "Status": st.sampled_from(["Open - Not Contacted", "Working - Contacted", "Nope", None]),
    "NumberOfEmployees": st.sampled_from([12, 12.0, 12.5, "12", "x", None, True, 10 ** 12]),
    "AnnualRevenue": st.sampled_from([1000, 1000.125, "1000", None, float("nan")]),
    "Handoff_At__c": st.sampled_from(["2026-11-29T10:00:00Z", "2026-11-29", "bad", None]),
    "HubSpot_Contact_Id__c": st.sampled_from(["hs-1", "", None]),
    "attributes": st.just({"type": "Lead"}),
    "Bogus__c": st.just("x"),
    "IsConverted": st.sampled_from([True, "true"]),
}


def outcome(call: Any) -> Any:
    try:
        return ("ok", call())
    except RecordRejected as rejected:
        return ("rejected", [issue.as_dict() for issue in rejected.issues])


@settings(max_examples=400)
@given(st.lists(st.sampled_from(sorted(VALUES)), unique=True, max_size=8).flatmap(
    lambda keys: st.fixed_dictionaries({k: VALUES[k] for k in keys})),
    st.sampled_from([None, {"LastName": "Lopez", "Company": "Acme", "NumberOfEmployees": 12,
                            "Email": "dana@acme.example", "AnnualRevenue": 1000.0}]),
    st.booleans())
def test_generated_reader_equals_the_loop(payload: dict[str, Any], old: dict[str, Any] | None,
                                          system: bool) -> None:
    assert LEAD is not None
    generated = outcome(lambda: PayloadReader().changes(LEAD, payload, old, system))
    looped = outcome(lambda: PayloadReader()._looped(LEAD, payload, old, system))
    assert generated == looped


def test_shapes_beyond_the_cache_use_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    assert LEAD is not None
    monkeypatch.setattr(payload_module, "MAX_SHAPES", 1)
    reader = PayloadReader()
    first = reader.changes(LEAD, {"LastName": "A", "Company": "B"}, None, False)
    second = reader.changes(LEAD, {"Company": "B", "LastName": "A", "Title": "CEO"}, None, False)
    assert first == {"LastName": "A", "Company": "B"}
    assert second == {"Company": "B", "LastName": "A", "Title": "CEO"}
    assert len(reader._readers) == 1


def test_a_reader_is_generated_once_per_shape() -> None:
    assert LEAD is not None
    reader = PayloadReader()
    for n in range(50):
        reader.changes(LEAD, {"LastName": f"L{n}", "Company": "B"}, None, False)
    assert len(reader._readers) == 1


# the textbook form of what Salesforce accepts as an email address (values.EMAIL_RE is the same
# language written with possessive quantifiers)
_TEXTBOOK_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


@settings(max_examples=2000)
@given(st.text(alphabet="aZ09.-@_+!", max_size=16))
def test_email_pattern_accepts_the_textbook_language(text: str) -> None:
    assert bool(EMAIL_RE.fullmatch(text)) == bool(_TEXTBOOK_EMAIL.fullmatch(text))

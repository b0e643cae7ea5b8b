"""The jobs' SOQL, built in ``connector.salesforce.soql`` with ``format_soql``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connector.errors import FatalError
from connector.salesforce.soql import api_name, changed_leads, changed_opportunities, field_list

SINCE = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def test_changed_leads() -> None:
    assert changed_leads(["Id", "Status", "Owner.Name"], "HubSpot_Contact_Id__c", SINCE) == (
        "SELECT Id, Status, Owner.Name FROM Lead WHERE HubSpot_Contact_Id__c != null "
        "AND SystemModstamp >= 2026-11-29T10:00:00+00:00 ORDER BY SystemModstamp, Id")


def test_changed_opportunities() -> None:
    assert changed_opportunities(["Id", "StageName"], SINCE) == (
        "SELECT Id, StageName FROM Opportunity WHERE SystemModstamp >= "
        "2026-11-29T10:00:00+00:00 ORDER BY SystemModstamp, Id")


@pytest.mark.parametrize("bad", ["", "Id, Name", "1Id", "Id--", "Id FROM Lead", "Id'", "a..b"])
def test_names_from_config_are_checked(bad: str) -> None:
    with pytest.raises(FatalError):
        changed_leads([bad], "HubSpot_Contact_Id__c", SINCE)
    with pytest.raises(FatalError):
        changed_leads(["Id"], bad, SINCE)


def test_a_query_needs_a_field() -> None:
    with pytest.raises(FatalError):
        changed_opportunities([], SINCE)


@given(st.text(max_size=20))
def test_only_api_names_pass(name: str) -> None:
    import re

    ok = re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) is not None
    try:
        assert api_name(name) == name and ok
    except FatalError:
        assert not ok
    try:
        assert field_list([name]) == name
    except FatalError:
        assert not ok

"""HubSpot search bodies, built in ``connector.hubspot.filters`` (jobs never spell them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from connector.hubspot.changes import count_changed_since
from connector.hubspot.client import SearchPage
from connector.hubspot.filters import ascending, changed_at_after_id, changed_since


def test_changed_since() -> None:
    assert changed_since(1000) == [{"filters": [
        {"propertyName": "lastmodifieddate", "operator": "GTE", "value": "1000"}]}]
    assert changed_since(1000, inclusive=False, until_ms=2000) == [{"filters": [
        {"propertyName": "lastmodifieddate", "operator": "GT", "value": "1000"},
        {"propertyName": "lastmodifieddate", "operator": "LTE", "value": "2000"}]}]


def test_changed_at_after_id_and_sorts() -> None:
    assert changed_at_after_id(1000, "42") == [{"filters": [
        {"propertyName": "lastmodifieddate", "operator": "EQ", "value": "1000"},
        {"propertyName": "hs_object_id", "operator": "GT", "value": "42"}]}]
    assert ascending("hs_object_id") == [{"propertyName": "hs_object_id",
                                          "direction": "ASCENDING"}]


class RecordingSearch:
    """A ``ContactSearch``: remembers the request, answers a total."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.requests: list[dict[str, Any]] = []

    def search(self, *, filter_groups: Sequence[Mapping[str, Any]], properties: Sequence[str],
               sorts: Sequence[Mapping[str, str]] = (), limit: int = 200,
               after: str | None = None) -> SearchPage:
        self.requests.append({"filter_groups": list(filter_groups),
                              "properties": list(properties), "limit": limit})
        return SearchPage([], self.total, None)


def test_count_changed_since_is_one_search_of_one_result() -> None:
    client = RecordingSearch(total=1234)
    since = datetime(2026, 1, 1, tzinfo=UTC)
    assert count_changed_since(client, since) == 1234
    ms = int(since.timestamp() * 1000)
    assert client.requests == [{"filter_groups": changed_since(ms),
                                "properties": ["lastmodifieddate"], "limit": 1}]

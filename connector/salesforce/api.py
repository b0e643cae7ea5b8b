"""What the jobs need from Salesforce, as a small Protocol: ``JobContext`` holds a
``SalesforceApi``. ``SalesforceClient`` satisfies it (mypy checks it where ``connections`` builds
the context); a test can pass any object that does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from connector.callstats import CallStats
from connector.salesforce.client import ApiBudget, SaveResult


class SalesforceApi(Protocol):
    """Reads (SOQL, describe, limits) and sObject Collections writes, with the API budget."""

    stats: CallStats
    write_guard: Callable[[], None] | None
    """called right before each write attempt leaves (the jobs' lease fence)"""
    budget: ApiBudget

    def close(self) -> None: ...

    def refresh_limits(self) -> Mapping[str, Any]: ...

    def describe(self, sobject: str) -> dict[str, Any]: ...

    def query(self, soql: str, *, include_deleted: bool = False
              ) -> Iterator[dict[str, Any]]: ...

    def find_by_field(self, sobject: str, field_name: str, values: Sequence[str],
                      fields: Sequence[str], *, chunk: int = ...) -> list[dict[str, Any]]: ...

    def query_many(self, queries: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]: ...

    def soql_in(self, sobject: str, field_name: str, values: Sequence[str],
                fields: Sequence[str]) -> str: ...

    def upsert(self, sobject: str, external_id_field: str,
               records: Sequence[Mapping[str, Any]], *,
               auto_assign: bool | None = None) -> list[SaveResult]: ...

    def update(self, sobject: str, records: Sequence[Mapping[str, Any]], *,
               auto_assign: bool | None = False) -> list[SaveResult]: ...

    def create(self, sobject: str, records: Sequence[Mapping[str, Any]], *,
               auto_assign: bool | None = None) -> list[SaveResult]: ...

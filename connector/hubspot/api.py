"""What the jobs and the pull need from HubSpot, as small Protocols: ``JobContext`` holds a
``HubSpotApi``, the pull takes a ``ContactSearch``. ``HubSpotClient`` satisfies both (mypy checks
it where ``connections`` builds the context); a test can pass any object that does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from connector.callstats import CallStats
from connector.hubspot.client import BatchWriteResult, SearchPage
from connector.records import Contact


class ContactSearch(Protocol):
    """One page of the contacts search (what the incremental pull needs)."""

    def search(self, *, filter_groups: Sequence[Mapping[str, Any]], properties: Sequence[str],
               sorts: Sequence[Mapping[str, str]] = (), limit: int = ...,
               after: str | None = None) -> SearchPage: ...


class HubSpotApi(ContactSearch, Protocol):
    """Everything a job does with HubSpot: search, read, write back, properties."""

    stats: CallStats
    write_guard: Callable[[], None] | None
    """called right before each write attempt leaves (the jobs' lease fence)"""

    def get_contact(self, id_or_email: str, properties: Sequence[str]) -> Contact | None: ...

    def read_batch(self, ids: Sequence[str], properties: Sequence[str]) -> list[Contact]: ...

    def properties(self) -> list[dict[str, Any]]: ...

    def create_property(self, body: Mapping[str, Any]) -> None: ...

    def update_batch(self, updates: Iterable[tuple[str, Mapping[str, str]]]
                     ) -> BatchWriteResult: ...

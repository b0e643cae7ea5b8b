"""Server-side query cursors for ``nextRecordsUrl`` paging.

A query's full, ordered result list is computed once and kept (rows are immutable snapshots);
each ``GET .../query/01g...-2000`` slices the next page. Like Salesforce, only a bounded number of
cursors stay open: the least recently used ones are dropped (``INVALID_QUERY_LOCATOR``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from .ids import IdFactory
from .soql_bind import BoundQuery
from .store import Row


@dataclass
class Cursor:
    bound: BoundQuery
    rows: list[Row]
    page_size: int


class CursorCache:
    def __init__(self, capacity: int = 64) -> None:
        self._lock = threading.Lock()
        self._cursors: OrderedDict[str, Cursor] = OrderedDict()
        self._ids = IdFactory()
        self.capacity = capacity

    def open(self, cursor: Cursor) -> str:
        locator = self._ids.new("QueryLocator")
        with self._lock:
            self._cursors[locator] = cursor
            while len(self._cursors) > self.capacity:
                self._cursors.popitem(last=False)
        return locator

    def get(self, locator: str) -> Cursor | None:
        with self._lock:
            cursor = self._cursors.get(locator)
            if cursor is not None:
                self._cursors.move_to_end(locator)
            return cursor

    def clear(self) -> None:
        with self._lock:
            self._cursors.clear()

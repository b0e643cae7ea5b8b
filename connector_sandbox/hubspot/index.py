"""The search index: what ``/search`` sees, which may lag behind the contact store.

HubSpot's search runs on a separate index that catches up "a few moments" after a write. Here
every write is queued with the time it becomes visible (``now + search_lag_s``); ``refresh``
applies what is due. With no lag, writes are visible at once. The index keeps the snapshots it
has seen (records are immutable dicts, shared with the store until the next write) and the ids
sorted by ``(lastmodifieddate, id)``, so the incremental-sync query (``lastmodifieddate GTE x``
sorted ascending) is a bisect and a slice, not a scan. The sort keys are plain strings
(canonical ISO timestamp + zero-padded id) kept in a list parallel to the ids: one memcmp per
bisect step, and a range of ids is a slice. ``version`` changes whenever
search results may change, which keys the search engine's cache.
"""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

Props = dict[str, str]
LMD = "lastmodifieddate"
_AFTER = "\x7f"  # sorts after every digit: "<stamp>\x7f" follows all keys of that stamp


def sort_key(lmd: str, cid: int) -> str:
    return f"{lmd}{cid:015d}"


@dataclass(frozen=True)
class Range:
    """An interval of canonical ISO timestamps; ``None`` bounds are open-ended."""

    low: str | None = None
    low_inclusive: bool = True
    high: str | None = None
    high_inclusive: bool = True

    def intersect(self, other: Range) -> Range:
        low, low_inc = self.low, self.low_inclusive
        if other.low is not None and (low is None or other.low > low or
                                      (other.low == low and not other.low_inclusive)):
            low, low_inc = other.low, other.low_inclusive
        high, high_inc = self.high, self.high_inclusive
        if other.high is not None and (high is None or other.high < high or
                                       (other.high == high and not other.high_inclusive)):
            high, high_inc = other.high, other.high_inclusive
        return Range(low, low_inc, high, high_inc)


class SearchIndex:
    """Visible snapshots by id plus a time-sorted key list. Not thread-safe: the store locks."""

    def __init__(self) -> None:
        self.docs: dict[int, Props] = {}
        self._keys: list[str] = []  # sort_key(lastmodifieddate, id), ascending
        self._ids: list[int] = []  # the ids, parallel to _keys
        self._pending: list[tuple[int, int, int, Props | None]] = []
        self._seq = itertools.count()
        self._applied: dict[int, int] = {}  # id -> sequence number of the visible write
        self.version = 0

    def clear(self) -> None:
        self.docs.clear()
        self._keys.clear()
        self._ids.clear()
        self._pending.clear()
        self._applied.clear()
        self.version += 1

    def load(self, records: Iterable[tuple[int, Props]]) -> None:
        """Bulk-add records visible at once (seeding); one sort instead of many inserts."""
        pairs = list(zip(self._keys, self._ids, strict=True))
        for cid, props in records:
            if cid in self.docs:
                raise ValueError(f"bulk load of an existing id {cid}")
            self.docs[cid] = props
            pairs.append((sort_key(props[LMD], cid), cid))
        pairs.sort()
        self._keys = [k for k, _ in pairs]
        self._ids = [cid for _, cid in pairs]
        self.version += 1

    def put(self, cid: int, props: Props | None, visible_at_ms: int, now_ms: int) -> None:
        """Make ``props`` (``None`` = deleted) the searchable record once ``visible_at_ms``."""
        seq = next(self._seq)
        if visible_at_ms <= now_ms and not self._pending:
            self._applied[cid] = seq
            self._apply(cid, props)
        else:
            heapq.heappush(self._pending, (visible_at_ms, seq, cid, props))

    def refresh(self, now_ms: int) -> None:
        pending = self._pending
        while pending and pending[0][0] <= now_ms:
            _, seq, cid, props = heapq.heappop(pending)
            if seq > self._applied.get(cid, -1):  # skip if a newer write is already visible
                self._applied[cid] = seq
                self._apply(cid, props)

    def _apply(self, cid: int, props: Props | None) -> None:
        self._drop_key(cid)
        if props is None:
            self.docs.pop(cid, None)
        else:
            self.docs[cid] = props
            key = sort_key(props[LMD], cid)
            at = bisect_left(self._keys, key)
            self._keys.insert(at, key)
            self._ids.insert(at, cid)
        self.version += 1

    def _drop_key(self, cid: int) -> None:
        old = self.docs.get(cid)
        if old is not None:
            key = sort_key(old[LMD], cid)
            at = bisect_left(self._keys, key)
            if at < len(self._keys) and self._keys[at] == key:
                del self._keys[at]
                del self._ids[at]

    def ids_in_range(self, rng: Range) -> list[int]:
        """Ids whose lastmodifieddate is in ``rng``, ordered by (lastmodifieddate, id)."""
        keys = self._keys
        start = 0
        if rng.low is not None:
            start = (bisect_left(keys, rng.low) if rng.low_inclusive
                     else bisect_right(keys, rng.low + _AFTER))
        end = len(keys)
        if rng.high is not None:
            end = (bisect_right(keys, rng.high + _AFTER) if rng.high_inclusive
                   else bisect_left(keys, rng.high))
        return self._ids[start:end] if start < end else []

"""Salesforce record ids: 15-character case-sensitive ids and their 18-character checksummed form.

An id is a 3-character key prefix (``00Q`` Lead, ``003`` Contact ...), a 2-character pod, a
reserved character and a 9-character base-62 counter; the 18-character form appends a 3-character
case checksum, as Salesforce does. ``IdFactory`` is deterministic, so a seeded org is reproducible.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator

KEY_PREFIXES: dict[str, str] = {
    "Account": "001",
    "Contact": "003",
    "User": "005",
    "Opportunity": "006",
    "Task": "00T",
    "Lead": "00Q",
    "Organization": "00D",
    "QueryLocator": "01g",
}
PREFIX_TO_TYPE: dict[str, str] = {v: k for k, v in KEY_PREFIXES.items()}

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CHECKSUM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_ID_RE = re.compile(r"[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?")
_POD = "Dn"


_CASE_BITS = str.maketrans({ch: "1" if "A" <= ch <= "Z" else "0" for ch in _BASE62})


def checksum(id15: str) -> str:
    """The 3-character suffix that makes a 15-character id case-insensitively unique: one
    character per 5-character chunk, from the bit mask of its upper-case letters."""
    bits = id15.translate(_CASE_BITS)
    return (_CHECKSUM_CHARS[int(bits[4::-1], 2)] + _CHECKSUM_CHARS[int(bits[9:4:-1], 2)]
            + _CHECKSUM_CHARS[int(bits[14:9:-1], 2)])


def to18(record_id: str) -> str | None:
    """Normalise a 15- or 18-character id to 18 characters; None when it is not a valid id."""
    if not _ID_RE.fullmatch(record_id):
        return None
    id15 = record_id[:15]
    full = id15 + checksum(id15)
    if len(record_id) == 18 and record_id[15:].upper() != full[15:].upper():
        return None
    return full


def is_id(value: object) -> bool:
    return isinstance(value, str) and to18(value) is not None


def type_of_id(record_id: str) -> str | None:
    """The sObject type a (valid) id belongs to, from its key prefix."""
    return PREFIX_TO_TYPE.get(record_id[:3])


_PAIRS = [a + b for a in _BASE62 for b in _BASE62]  # 2-digit base-62 strings, 0..3843
_UPPER = [int("A" <= ch <= "Z") for ch in _BASE62]  # case bit of each base-62 digit
_PAIR_UPPER = [_UPPER[i // 62] | _UPPER[i % 62] << 1 for i in range(3844)]
_LOW_SPAN = 62 ** 5  # the last 5 characters: the third checksum chunk


def _base62(number: int, width: int) -> str:
    """``number`` in base 62, left-padded with zeros to ``width`` digits (width <= 10)."""
    high, low = divmod(number, 3844 * 3844)
    mid, low = divmod(low, 3844)
    text = _PAIRS[mid] + _PAIRS[low]
    if high:
        while high:
            high, rem = divmod(high, 62)
            text = _BASE62[rem] + text
    return text.rjust(width, "0")


class IdFactory:
    """Hands out ids per key prefix from deterministic counters (thread-safe).

    ``new`` is on the write path of every created record, so it avoids recomputing what only
    changes every 62**5 ids: the first 10 characters and the first two checksum characters
    are cached per (prefix, high part), and the last checksum character comes from per-digit
    case bits (``checksum`` is the reference; a test compares the two)."""

    def __init__(self, start: int = 1) -> None:
        self._lock = threading.Lock()
        self._start = start
        self._counters: dict[str, Iterator[int]] = {}
        self._heads: dict[tuple[str, int], tuple[str, str]] = {}

    def restart(self, sobject: str, at: int) -> None:
        """The next id of ``sobject`` gets counter value ``at``."""
        with self._lock:
            self._counters[KEY_PREFIXES[sobject]] = itertools.count(at)

    def new(self, sobject: str) -> str:
        prefix = KEY_PREFIXES[sobject]
        counter = self._counters.get(prefix)
        if counter is None:
            with self._lock:
                counter = self._counters.setdefault(prefix, itertools.count(self._start))
        n = next(counter)  # atomic: itertools.count holds the GIL while it counts
        high, low = divmod(n, _LOW_SPAN)
        head = self._heads.get((prefix, high))
        if head is None:
            id15 = f"{prefix}{_POD}0{_base62(high * _LOW_SPAN, 9)}"
            head = self._heads[(prefix, high)] = (id15[:10], checksum(id15)[:2])
        first, pair_hi = divmod(low, 3844 * 3844)
        pair_hi, pair_lo = divmod(pair_hi, 3844)
        bits = _UPPER[first] | _PAIR_UPPER[pair_hi] << 1 | _PAIR_UPPER[pair_lo] << 3
        return (head[0] + _BASE62[first] + _PAIRS[pair_hi] + _PAIRS[pair_lo] + head[1]
                + _CHECKSUM_CHARS[bits])

    def reset(self) -> None:
        with self._lock:
            self._counters.clear()

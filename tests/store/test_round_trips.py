"""Property tests: what goes in comes out exactly (``repr``-equal), on SQLite and PostgreSQL alike.

Domain: aware datetimes in years 1-9999 with any fixed offset (read back in UTC, microseconds
kept); any JSON (NUL characters and lone surrogates included: JSON escapes them); finite floats;
plain text columns take any text without NUL (PostgreSQL text cannot hold it) or lone surrogates.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connector.store import (
    DecisionSnapshot,
    Disposition,
    Handoff,
    RecordFailure,
    StateStore,
    StoredDecision,
)

offsets = st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23))
moments = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.builds(timezone, offsets),
)
text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
floats = st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | floats | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
snapshots = st.builds(
    DecisionSnapshot,
    score=floats | st.integers(-1000, 1000),
    grade=st.none() | text,
    version=text,
    definition_hash=text,
    dimensions=st.dictionaries(text, floats, max_size=4),
    fired=st.lists(text, max_size=4).map(tuple),
    extra=st.dictionaries(st.text(max_size=8), json_values, max_size=4),
)


@dataclass(frozen=True)
class Sample:
    moment: datetime
    snapshot: DecisionSnapshot
    payload: dict[str, Any]
    words: tuple[str, ...]
    flags: tuple[bool | None, ...]
    amount: float | None


samples = st.builds(
    Sample,
    moment=moments,
    snapshot=snapshots,
    payload=st.dictionaries(st.text(max_size=8), json_values, max_size=5),
    words=st.lists(text, min_size=6, max_size=6).map(tuple),
    flags=st.lists(st.none() | st.booleans(), min_size=3, max_size=3).map(tuple),
    amount=st.none() | floats,
)


def write_and_read(store: StateStore, key: str, s: Sample) -> tuple[Any, ...]:
    """Write ``s`` through every kind of row, and read it all back."""
    w = s.words
    with store.transaction() as tx:
        tx.set_cursor(key, w[0], s.moment)
        tx.put_decisions([StoredDecision(key, bool(s.flags[0]), s.snapshot, s.moment)])
        tx.record_handoffs(
            [Handoff(key, "created", s.moment, s.snapshot, w[1], "Lead", w[2], w[3])]
        )
        tx.add_dead_letter(RecordFailure(key, w[4], w[5], w[0], w[1:3], s.payload), s.moment)
        tx.record_dispositions(
            [
                Disposition(
                    key, s.moment, w[1], w[2], w[3], bool(s.flags[0]), w[4], w[5],
                    s.flags[1], s.flags[2], s.amount, s.moment, w[0],
                )
            ]
        )  # fmt: skip
    (letter,) = store.iter_dead_letters(job=key)
    return (
        store.cursors()[key],
        store.decisions_for([key])[key],
        store.ledger_for([key])[key],
        letter,
        store.dispositions_for([key])[key],
    )


def check_exact(read: tuple[Any, ...], s: Sample, key: str) -> None:
    cursor, decision, entry, letter, disposition = read
    utc = s.moment.astimezone(UTC)
    assert repr(cursor.updated_at) == repr(utc) and cursor.value == s.words[0]
    assert repr(decision) == repr(StoredDecision(key, bool(s.flags[0]), s.snapshot, utc))
    assert repr(entry.snapshot) == repr(s.snapshot)
    assert (entry.first_pushed_at, entry.email) == (utc, s.words[3])
    assert repr(letter.payload) == repr(s.payload) and letter.fields == s.words[1:3]
    assert repr(letter.first_seen) == repr(utc)
    assert (disposition.is_won, disposition.is_closed) == s.flags[1:]
    assert repr(disposition.amount) == repr(s.amount)
    assert repr(disposition.first_touch_at) == repr(utc)


KEYS = itertools.count()  # a fresh key per example: examples share the test's store
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(sample=samples)
def test_values_round_trip_exactly(store: StateStore, sample: Sample) -> None:
    key = f"k{next(KEYS)}"
    check_exact(write_and_read(store, key, sample), sample, key)


@pytest.fixture
def both_stores(store_url: str, pg_url: str) -> Iterator[tuple[StateStore, StateStore]]:
    with StateStore.open(store_url) as lite, StateStore.open(pg_url) as pg:
        yield lite, pg


@pytest.mark.postgres
@PROPERTY_SETTINGS
@given(sample=samples)
def test_sqlite_and_postgresql_read_back_the_same(
    both_stores: tuple[StateStore, StateStore], sample: Sample
) -> None:
    key = f"k{next(KEYS)}"
    lite, pg = both_stores
    assert repr(write_and_read(lite, key, sample)) == repr(write_and_read(pg, key, sample))

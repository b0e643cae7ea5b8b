"""Record ids: the fast id factory agrees with the reference checksum for any counter value."""

from __future__ import annotations

import threading

from hypothesis import given
from hypothesis import strategies as st

from connector_sandbox.salesforce.ids import (
    _BASE62,
    _POD,
    KEY_PREFIXES,
    IdFactory,
    _base62,
    checksum,
    to18,
    type_of_id,
)


def reference(prefix: str, n: int) -> str:
    id15 = f"{prefix}{_POD}0{_base62(n, 9)}"
    return id15 + checksum(id15)


@given(st.sampled_from(sorted(KEY_PREFIXES)),
       st.integers(min_value=0, max_value=62 ** 9 - 1))
def test_new_matches_the_reference_checksum(sobject: str, n: int) -> None:
    factory = IdFactory()
    factory.restart(sobject, n)
    made = factory.new(sobject)
    assert made == reference(KEY_PREFIXES[sobject], n)
    assert to18(made[:15]) == made
    assert type_of_id(made) == sobject


def test_counter_boundaries_of_the_cached_head() -> None:
    factory = IdFactory()
    for n in (62 ** 5 - 1, 62 ** 5, 62 ** 5 + 1, 2 * 62 ** 5 - 1, 62 ** 9 - 1):
        factory.restart("Lead", n)
        assert factory.new("Lead") == reference("00Q", n)


def test_sequence_starts_at_one_and_reset_restarts_it() -> None:
    factory = IdFactory()
    first = [factory.new("Lead") for _ in range(3)]
    assert first == [reference("00Q", n) for n in (1, 2, 3)]
    assert factory.new("Contact") == reference("003", 1)
    factory.reset()
    assert factory.new("Lead") == first[0]


def test_known_id_and_case_sensitive_characters() -> None:
    factory = IdFactory()
    factory.restart("Lead", 10 + 36)  # digits 'A' (10) and 'a' (36) land in the last chunk
    made = factory.new("Lead")
    assert made[14] in _BASE62
    assert made == reference("00Q", 46)


def test_threads_never_get_the_same_id() -> None:
    factory = IdFactory()
    out: list[list[str]] = [[] for _ in range(4)]

    def work(bucket: list[str]) -> None:
        bucket.extend(factory.new("Lead") for _ in range(2000))

    threads = [threading.Thread(target=work, args=(b,)) for b in out]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    made = [i for bucket in out for i in bucket]
    assert len(set(made)) == len(made) == 8000

"""Concurrency and scale, on both backends: lease contention between threads and between
processes, concurrent batches losing no update, and streaming reads with flat memory."""

from __future__ import annotations

import multiprocessing
import threading
import tracemalloc
from contextlib import closing
from dataclasses import dataclass
from itertools import islice
from typing import Any

import sqlalchemy as sa

from connector.store import StateStore
from tests.store import lease_worker
from tests.store.helpers import at, failure, handoff

ROUNDS = 5  # every contender must get the lease this many times


@dataclass
class Box:
    value: int = 0


def test_threads_hammering_a_lease_never_hold_it_together(store: StateStore) -> None:
    holders, violations, lock, start = Box(), Box(), threading.Lock(), threading.Barrier(6)
    outcome: dict[str, tuple[int, int]] = {}

    def run(owner: str) -> None:
        outcome[owner] = lease_worker.contend(
            store, owner, ROUNDS, holders, violations, lock, start
        )

    threads = [threading.Thread(target=run, args=(f"thread-{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert violations.value == 0
    assert [held for held, _ in outcome.values()] == [ROUNDS] * 6
    assert sum(refused for _, refused in outcome.values()) > 0  # they did contend


def test_processes_hammering_a_lease_never_hold_it_together(
    store: StateStore, any_store_url: str
) -> None:
    spawn = multiprocessing.get_context("spawn")
    holders, violations = spawn.Value("i", 0, lock=False), spawn.Value("i", 0, lock=False)
    shared = (holders, violations, spawn.Lock(), spawn.Barrier(3))
    results = spawn.Queue()
    processes = [
        spawn.Process(
            target=lease_worker.contend_in_process,
            args=(any_store_url, f"process-{i}", ROUNDS, shared, results),
        )
        for i in range(3)
    ]
    for process in processes:
        process.start()
    outcome = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    assert violations.value == 0
    assert [held for held, _ in outcome.values()] == [ROUNDS] * 3
    assert sum(refused for _, refused in outcome.values()) > 0  # they did contend


def test_concurrent_batches_lose_no_update(store: StateStore) -> None:
    errors: list[BaseException] = []

    def batches(worker: int) -> None:
        try:
            for i in range(25):
                with store.transaction() as tx:
                    tx.record_handoffs([handoff("1", at(worker * 100 + i))])
                    tx.add_dead_letter(failure("9"), at(worker * 100 + i))
                    tx.set_cursor("handoff", f"{worker}:{i}", at(i))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=batches, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.ledger_for(["1"])["1"].push_count == 100
    (letter,) = store.iter_dead_letters()
    assert letter.attempts == 100


def test_iterating_20k_ledger_rows_streams_with_flat_memory(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.record_handoffs(handoff(f"{i:05d}", at(i)) for i in range(20_000))
    server_side: list[bool] = []

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def note(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if "FROM handoff_ledger" in statement:
            server_side.append(getattr(cursor, "name", None) is not None)  # psycopg named cursor

    tracemalloc.start()
    try:
        count = sum(1 for _ in store.iter_ledger())
        _, streaming_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with closing(store.iter_ledger()) as rows:
            an_eighth = list(islice(rows, 2_500))
        _, eighth_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000 and an_eighth[-1].hubspot_id == "02499"
    # Streaming all 20,000 rows costs less memory than holding an eighth of them.
    assert streaming_peak < eighth_peak, (streaming_peak, eighth_peak)
    # PostgreSQL buffers a whole result client-side unless a server-side cursor is used.
    assert server_side == [store.dialect == "postgresql"] * 2

"""The state store's contract, run identically against SQLite and PostgreSQL (``store`` fixture)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, timedelta, timezone

import pytest
import sqlalchemy as sa

from connector.errors import RecordError
from connector.store import Disposition, RecordFailure, StateStore
from tests.store.helpers import T0, at, decision, disposition, failure, handoff

# --- cursors and transactions -------------------------------------------------------------------


def test_cursor_is_none_until_set_then_moves(store: StateStore) -> None:
    assert store.get_cursor("handoff") is None
    with store.transaction() as tx:
        tx.set_cursor("handoff", "2024-05-01T09:00:00Z|0", at(0))
    with store.transaction() as tx:
        tx.set_cursor("handoff", "2024-05-01T10:00:00Z|17", at(60))
        tx.set_cursor("feedback", "2024-04-30T00:00:00Z", at(60))
    assert store.get_cursor("handoff") == "2024-05-01T10:00:00Z|17"
    cursors = store.cursors()
    assert sorted(cursors) == ["feedback", "handoff"]
    assert cursors["handoff"].updated_at == at(60)


def test_an_exception_inside_a_transaction_writes_nothing(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.set_cursor("handoff", "before", at(0))

    class Crash(Exception):
        pass

    with pytest.raises(Crash), store.transaction() as tx:
        tx.put_decisions([decision("1")])
        tx.record_handoffs([handoff("1")])
        tx.add_dead_letters([failure("2")], at(1))
        tx.record_dispositions([disposition("1")])
        tx.set_cursor("handoff", "after", at(1))
        raise Crash

    assert store.get_cursor("handoff") == "before"
    assert store.decisions_for(["1"]) == {}
    assert store.ledger_for(["1"]) == {}
    assert list(store.iter_dead_letters()) == []
    assert store.dispositions_for(["1"]) == {}


def test_a_failing_statement_rolls_back_the_whole_batch(store: StateStore) -> None:
    naive = T0.replace(tzinfo=None)
    with pytest.raises(sa.exc.StatementError, match="naive datetime"), store.transaction() as tx:
        tx.record_handoffs([handoff("1")])
        tx.set_cursor("handoff", "after", naive)
    assert store.ledger_for(["1"]) == {}
    assert store.get_cursor("handoff") is None


def test_timestamps_come_back_in_utc(store: StateStore) -> None:
    paris = timezone(timedelta(hours=2))
    with store.transaction() as tx:
        tx.set_cursor("handoff", "x", T0.astimezone(paris))
    updated_at = store.cursors()["handoff"].updated_at
    assert updated_at == T0 and updated_at.tzinfo is UTC


# --- decisions ----------------------------------------------------------------------------------


def test_decisions_keep_the_latest_per_contact(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.put_decisions([decision("1", at(0), score=40), decision("2", at(0), qualified=False)])
    with store.transaction() as tx:  # newer replaces, older is ignored
        tx.put_decisions([decision("1", at(10), score=80), decision("2", at(-10), qualified=True)])
    found = store.decisions_for(["1", "2", "3"])
    assert set(found) == {"1", "2"}
    assert found["1"].snapshot.score == 80 and found["1"].decided_at == at(10)
    assert found["2"] == decision("2", at(0), qualified=False)


def test_qualified_share_of_stored_decisions(store: StateStore) -> None:
    assert store.qualified_share() is None
    with store.transaction() as tx:
        tx.put_decisions([decision(str(i), qualified=i % 4 == 0) for i in range(8)])
    assert store.qualified_share() == 0.25


def test_iter_decisions_streams_every_latest_decision_by_contact(store: StateStore) -> None:
    assert list(store.iter_decisions()) == []
    with store.transaction() as tx:
        tx.put_decisions([decision(str(i), at(0), score=i) for i in (3, 1, 2)])
    with store.transaction() as tx:
        tx.put_decisions([decision("2", at(5), score=50)])
    found = list(store.iter_decisions())
    assert [d.contact_id for d in found] == ["1", "2", "3"]
    assert found[1] == decision("2", at(5), score=50)


# --- handoff ledger -----------------------------------------------------------------------------


def test_first_push_then_repush_updates_the_ledger_entry(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.record_handoffs([handoff("1", at(0), payload_hash="p1")])
    entry = store.ledger_for(["1"])["1"]
    assert (entry.first_pushed_at, entry.last_pushed_at, entry.push_count) == (at(0), at(0), 1)
    assert entry.outcome == "created" and entry.salesforce_object == "Lead"
    assert entry.snapshot == handoff("1").snapshot and entry.email == "1@example.com"

    with store.transaction() as tx:  # a changed payload: Salesforce id unknown in this answer
        tx.record_handoffs(
            [handoff("1", at(50), "updated", None, "p2", score=90, version="2024.2")]
        )
    entry = store.ledger_for(["1"])["1"]
    assert (entry.first_pushed_at, entry.last_pushed_at, entry.push_count) == (at(0), at(50), 2)
    assert (entry.outcome, entry.payload_hash) == ("updated", "p2")
    assert entry.salesforce_id == "00Q000000000001" and entry.salesforce_object == "Lead"
    assert (entry.snapshot.score, entry.snapshot.version) == (90, "2024.2")


def test_the_same_contact_twice_in_one_batch_counts_twice(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.record_handoffs([handoff("1", at(0)), handoff("1", at(5), "updated", payload_hash="p2")])
    entry = store.ledger_for(["1"])["1"]
    assert (entry.push_count, entry.first_pushed_at, entry.last_pushed_at) == (2, at(0), at(5))
    assert entry.payload_hash == "p2"


def test_ledger_for_reads_many_ids_in_chunks(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.record_handoffs(handoff(str(i), at(i)) for i in range(1234))
    wanted = [str(i) for i in range(0, 2000, 3)] + ["5", "5"]
    found = store.ledger_for(wanted)
    assert set(found) == {str(i) for i in range(0, 1234, 3)} | {"5"}
    assert found["999"].first_pushed_at == at(999)


def test_iter_ledger_filters_by_first_push_and_version_in_order(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.record_handoffs(
            [
                handoff("c", at(30), version="2024.2"),
                handoff("a", at(10)),
                handoff("b", at(20), version="2024.2"),
            ]
        )
        tx.record_handoffs([handoff("a", at(40), "updated")])  # first push stays at 10
    assert [e.hubspot_id for e in store.iter_ledger()] == ["a", "b", "c"]
    assert [e.hubspot_id for e in store.iter_ledger(since=at(15))] == ["b", "c"]
    assert [e.hubspot_id for e in store.iter_ledger(version="2024.2")] == ["b", "c"]
    assert [e.hubspot_id for e in store.iter_ledger(at(25), "2024.2")] == ["c"]


def test_ledger_joins_dispositions(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.record_handoffs([handoff("1", at(0)), handoff("2", at(1))])
        tx.record_dispositions([disposition("2", at(9))])
    pairs = list(store.iter_ledger_with_dispositions())
    assert [(e.hubspot_id, d) for e, d in pairs] == [("1", None), ("2", disposition("2", at(9)))]
    assert pairs[1][0] == store.ledger_for(["2"])["2"]


# --- dead letters -------------------------------------------------------------------------------


def test_a_repeated_failure_bumps_attempts_on_one_open_row(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.add_dead_letter(failure("7", message="first"), at(0))
    with store.transaction() as tx:
        tx.add_dead_letters([failure("7", message="second"), failure("7", message="third")], at(9))
        tx.add_dead_letter(failure("7", code="STRING_TOO_LONG"), at(9))
        tx.add_dead_letter(failure("7", job="feedback"), at(9))
    letters = {(d.job, d.error_code): d for d in store.iter_dead_letters()}
    assert len(letters) == 3
    repeated = letters[("handoff", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")]
    assert (repeated.attempts, repeated.first_seen, repeated.last_seen) == (3, at(0), at(9))
    assert repeated.message == "third" and repeated.is_open
    assert repeated.fields == ("LeadSource",) and repeated.payload["LeadSource"] == "Webinar 2024"
    assert letters[("handoff", "STRING_TOO_LONG")].attempts == 1


def test_resolved_dead_letters_leave_the_open_list_and_a_new_failure_reopens(
    store: StateStore,
) -> None:
    with store.transaction() as tx:
        tx.add_dead_letters([failure("1"), failure("2"), failure("3", code="X")], at(0))
    ids = {d.record_key: d.id for d in store.iter_dead_letters()}
    with store.transaction() as tx:
        assert tx.resolve_dead_letters([ids["1"], ids["1"], 999_999], at(5)) == 1
        assert tx.resolve_dead_letters_for("handoff", ["3", "nope"], at(5)) == 1
        assert tx.resolve_dead_letters([ids["1"]], at(6)) == 0  # already resolved
    assert [d.record_key for d in store.iter_dead_letters()] == ["2"]
    resolved = [d for d in store.iter_dead_letters(include_resolved=True) if not d.is_open]
    assert {(d.record_key, d.resolved_at) for d in resolved} == {("1", at(5)), ("3", at(5))}

    with store.transaction() as tx:  # the same failure after a fix: a new open row
        tx.add_dead_letter(failure("1"), at(7))
    reopened = [d for d in store.iter_dead_letters() if d.record_key == "1"]
    assert len(reopened) == 1 and reopened[0].attempts == 1 and reopened[0].id != ids["1"]


def test_dead_letters_filter_and_count_by_job_and_code(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.add_dead_letters(
            [failure("1"), failure("2"), failure("3", code="STRING_TOO_LONG")]
            + [failure("4", job="feedback"), failure("1")],
            at(0),
        )
        tx.resolve_dead_letters_for("handoff", ["2"], at(1))
    assert store.dead_letter_counts() == {
        ("handoff", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"): 1,
        ("handoff", "STRING_TOO_LONG"): 1,
        ("feedback", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"): 1,
    }
    assert (
        store.dead_letter_counts(include_resolved=True)[
            ("handoff", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
        ]
        == 2
    )
    assert [d.record_key for d in store.iter_dead_letters(code="STRING_TOO_LONG")] == ["3"]
    assert [d.record_key for d in store.iter_dead_letters(job="feedback")] == ["4"]


def test_record_failure_from_a_record_error() -> None:
    error = RecordError("STRING_TOO_LONG", "Company: too long", ("Company",), record_key="42")
    made = RecordFailure.from_error("handoff", error, {"Company": "x" * 300})
    assert made == RecordFailure(
        "handoff",
        "42",
        "STRING_TOO_LONG",
        "Company: too long",
        ("Company",),
        {"Company": "x" * 300},
    )


# --- runs ---------------------------------------------------------------------------------------


def test_a_run_starts_running_and_finishes_with_counts(store: StateStore) -> None:
    run_id = store.start_run("handoff", at(0), owner="host:1", dry_run=True)
    run = store.get_run(run_id)
    assert run is not None and (run.status, run.finished_at, run.dry_run) == ("running", None, True)
    with store.transaction() as tx:
        tx.update_run_progress(run_id, {"created": 3}, {"salesforce": 2})
    assert store.get_run(run_id).counts == {"created": 3}  # type: ignore[union-attr]
    store.finish_run(run_id, at(9), "failed", {"created": 5, "failed": 1}, {"hubspot": 4}, "boom")
    run = store.get_run(run_id)
    assert run is not None
    assert (run.status, run.started_at, run.finished_at, run.error) == (
        "failed",
        at(0),
        at(9),
        "boom",
    )
    assert (run.counts, run.api_calls, run.owner) == (
        {"created": 5, "failed": 1},
        {"hubspot": 4},
        "host:1",
    )


def test_finish_run_refuses_unknown_ids_and_statuses(store: StateStore) -> None:
    with pytest.raises(LookupError):
        store.finish_run(12345, at(0), "succeeded", {}, {})
    run_id = store.start_run("handoff", at(0))
    with pytest.raises(ValueError):
        store.finish_run(run_id, at(1), "running", {}, {})  # type: ignore[arg-type]
    assert store.get_run(run_id).status == "running"  # type: ignore[union-attr]
    assert store.get_run(12345) is None


def test_recent_runs_newest_first_filtered(store: StateStore) -> None:
    ids = [store.start_run("handoff" if i % 2 else "feedback", at(i)) for i in range(6)]
    store.finish_run(ids[1], at(1.5), "succeeded", {}, {})
    assert [r.id for r in store.recent_runs()] == ids[::-1]
    assert [r.id for r in store.recent_runs("handoff", limit=2)] == [ids[5], ids[3]]
    assert [r.id for r in store.recent_runs(status="succeeded")] == [ids[1]]


def test_running_runs_without_a_live_lease_are_marked_interrupted(store: StateStore) -> None:
    assert store.try_acquire_lease("handoff", "alive", at(0), 30)
    assert store.try_acquire_lease("feedback", "dead", at(0), 30)
    alive = store.start_run("handoff", at(1), owner="alive")
    dead = store.start_run("feedback", at(1), owner="dead")
    orphan = store.start_run("handoff", at(1), owner="gone")
    finished = store.start_run("handoff", at(1), owner="gone")
    store.finish_run(finished, at(2), "succeeded", {}, {})

    assert store.mark_stale_runs_interrupted(at(10), job="feedback") == 0
    assert store.mark_stale_runs_interrupted(at(10)) == 1  # the orphan
    assert store.mark_stale_runs_interrupted(at(40), job="handoff") == 1  # alive's lease expired
    assert store.mark_stale_runs_interrupted(at(40)) == 1  # dead's too
    status = {r.id: (r.status, r.finished_at) for r in store.recent_runs()}
    assert status[orphan] == ("interrupted", at(10))
    assert status[alive] == status[dead] == ("interrupted", at(40))
    assert status[finished] == ("succeeded", at(2))
    assert store.get_run(orphan).error  # type: ignore[union-attr]


# --- leases -------------------------------------------------------------------------------------


def test_one_owner_at_a_time_until_expiry(store: StateStore) -> None:
    assert store.try_acquire_lease("handoff", "a", at(0), 30)
    assert not store.try_acquire_lease("handoff", "b", at(10), 30)
    assert store.try_acquire_lease("feedback", "b", at(10), 30)  # leases are per job
    assert store.try_acquire_lease("handoff", "a", at(20), 30)  # ours: renewed
    lease = store.lease_holder("handoff", at(20))
    assert lease is not None and lease.owner == "a"
    assert (lease.acquired_at, lease.heartbeat_at, lease.expires_at) == (at(0), at(20), at(50))
    assert not store.try_acquire_lease("handoff", "b", at(49.999), 30)
    assert store.try_acquire_lease("handoff", "b", at(50), 30)  # expired: taken over
    lease = store.lease_holder("handoff", at(50))
    assert lease is not None and (lease.owner, lease.acquired_at) == ("b", at(50))


def test_heartbeat_extends_and_reports_a_lost_lease(store: StateStore) -> None:
    assert store.try_acquire_lease("handoff", "a", at(0), 10)
    assert store.heartbeat_lease("handoff", "a", at(8), 10)
    assert store.lease_holder("handoff", at(17)).owner == "a"  # type: ignore[union-attr]
    assert not store.try_acquire_lease("handoff", "b", at(17), 10)
    assert store.try_acquire_lease("handoff", "b", at(18), 10)
    assert not store.heartbeat_lease("handoff", "a", at(19), 10)  # lost: must stop
    assert store.heartbeat_lease("handoff", "b", at(19), 10)
    assert store.lease_holder("handoff", at(28)).owner == "b"  # type: ignore[union-attr]
    assert store.lease_holder("handoff", at(29)) is None
    with pytest.raises(ValueError):
        store.heartbeat_lease("handoff", "b", at(20), 0)


def test_release_frees_the_lease_only_for_its_owner(store: StateStore) -> None:
    assert store.try_acquire_lease("handoff", "a", at(0), 300)
    assert not store.release_lease("handoff", "b")
    assert store.lease_holder("handoff", at(1)) is not None
    assert store.release_lease("handoff", "a")
    assert store.lease_holder("handoff", at(1)) is None
    assert not store.heartbeat_lease("handoff", "a", at(1), 300)
    assert store.try_acquire_lease("handoff", "b", at(2), 300)
    assert [lease.owner for lease in store.active_leases(at(3))] == ["b"]


# --- dispositions -------------------------------------------------------------------------------


def test_dispositions_keep_the_latest_per_lead(store: StateStore) -> None:
    first = disposition("1", at(0))
    with store.transaction() as tx:
        tx.record_dispositions([first, disposition("2", at(0), "Nurturing")])
    won = replace(
        first,
        updated_at=at(60),
        lead_status="Closed - Converted",
        converted=True,
        opportunity_id="006000000000001",
        opportunity_stage="Closed Won",
        is_won=True,
        is_closed=True,
        amount=48_000.5,
        payload_hash="d2",
    )
    lost = Disposition(
        "3", at(60), lead_status="Closed - Not Converted", disqualification_reason="no budget"
    )
    with store.transaction() as tx:
        tx.record_dispositions([won, lost])
    assert store.dispositions_for(["1", "3", "4"]) == {"1": won, "3": lost}
    assert [d.hubspot_id for d in store.iter_dispositions()] == ["1", "2", "3"]


# --- streaming ----------------------------------------------------------------------------------


def test_a_streaming_read_does_not_block_a_writer(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.record_handoffs(handoff(str(i), at(i)) for i in range(3000))
    rows = store.iter_ledger()
    first = next(rows)  # a read is open on the ledger...
    with store.transaction() as tx:  # ...and a batch still commits (WAL on SQLite)
        tx.set_cursor("handoff", "moved", at(1))
    assert first.hubspot_id == "0" and sum(1 for _ in rows) == 2999
    assert store.get_cursor("handoff") == "moved"

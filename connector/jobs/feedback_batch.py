"""One batch of the feedback job: map, read what must be read, write to HubSpot, commit.

For each Lead (with its Opportunity once converted):
1. map it through the feedback mapping as if the contact were blank: the *proposed* payload,
   whose hash identifies the disposition as HubSpot should show it;
2. the same hash as last time: nothing to write (zero HubSpot calls); the stored disposition is
   refreshed only if a fact the mapping does not carry changed;
3. otherwise read the contact's current values the rules depend on (lifecycle stage, which only
   moves forward, and ``if_blank`` targets), map again against them, and batch-update HubSpot
   (100 per call);
4. commit dispositions, dead letters and the moved cursor in ONE transaction.

A record HubSpot refuses (207 per-record error), a contact missing in HubSpot and a mapping
error are dead-lettered; their disposition is still recorded (it is what sales did) with the
hash of what HubSpot last accepted, so a later change or a replay writes it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from connector.errors import RecordError
from connector.fieldmap import apply
from connector.jobs.context import JobContext
from connector.jobs.control_chars import clean_values
from connector.jobs.feedback_plan import (
    FeedbackCursor,
    Record,
    disposition_of,
    kind_of,
    same_facts,
    source_record,
)
from connector.jobs.handoff_plan import field_diff, payload_hash
from connector.jobs.run_report import MAX_DRY_RUN_ITEMS
from connector.store import Disposition, RecordFailure

if TYPE_CHECKING:
    from connector.jobs.feedback import FeedbackReport

JOB = "feedback"


@dataclass(frozen=True)
class FeedbackChange:
    """What a dry run would write to one HubSpot contact (changed properties only)."""

    contact_id: str
    lead_id: str | None
    kind: str
    diff: Mapping[str, tuple[Any, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"contact_id": self.contact_id, "lead_id": self.lead_id, "kind": self.kind,
                "diff": {k: {"current": a, "new": b} for k, (a, b) in self.diff.items()}}


@dataclass(frozen=True)
class _Item:
    hubspot_id: str
    lead: Record
    source: Mapping[str, Any]
    disposition: Disposition
    previous: Disposition | None
    proposed_hash: str


class FeedbackBatch:
    def __init__(self, ctx: JobContext) -> None:
        if ctx.feedback_mapping is None:
            raise ValueError("the feedback job needs the feedback mapping")
        self.ctx = ctx
        self.mapping = ctx.feedback_mapping
        self.ext = ctx.settings.salesforce.external_id_field
        self.current_properties = sorted({r.target for r in self.mapping.rules
                                          if r.forward_only or r.sync == "if_blank"})
        self.all_properties = sorted(self.mapping.targets)

    def process(self, pairs: Sequence[tuple[Record, Record | None]], report: FeedbackReport, *,
                dry_run: bool, force: bool, cursor: FeedbackCursor | None) -> None:
        ctx = self.ctx
        now = ctx.clock()
        counts = report.counts
        latest: dict[str, tuple[Record, Record | None]] = {}
        for lead, opp in pairs:  # the same Lead twice in a batch: its latest state wins
            latest[str(lead[self.ext])] = (lead, opp)
        for hid in report.failed_keys.intersection(latest):  # failed once this run: enough
            del latest[hid]
        stored = ctx.store.dispositions_for(list(latest))
        failures: list[RecordFailure] = []
        record: list[Disposition] = []
        done: list[str] = []
        todo: list[_Item] = []
        for hid, (lead, opp) in latest.items():
            # control characters in Salesforce text never reach HubSpot
            source, stripped = clean_values(source_record(lead, opp))
            if stripped:
                counts["control_chars_stripped"] += stripped
            proposed = apply(self.mapping, source, {}, is_create=False)
            previous = stored.get(hid)
            old_hash = previous.payload_hash if previous else None
            fresh = disposition_of(hid, lead, opp, now=now, payload_hash=old_hash)
            counts["examined"] += 1
            if proposed.errors:
                failures.append(self._failure(hid, lead, RecordError(
                    proposed.errors[0].code,
                    "; ".join(f"{e.field}: {e.message}" for e in proposed.errors),
                    tuple(e.field for e in proposed.errors)), proposed.payload))
                if not same_facts(previous, fresh):
                    record.append(fresh)
                continue
            digest = payload_hash(proposed.payload)
            item = _Item(hid, lead, source, fresh, previous, digest)
            if not force and old_hash == digest:
                counts["unchanged"] += 1
                done.append(hid)
                if not same_facts(previous, fresh):
                    record.append(fresh)
            else:
                todo.append(item)
                counts[kind_of(fresh)] += 1
        if dry_run:
            self._dry_run(todo, failures, report)
            return
        written, write_failures, unchanged = self._write(todo, now)
        failures += write_failures
        failed = {f.record_key for f in failures}
        report.failed_keys.update(failed)
        for item in todo:
            if item.hubspot_id in failed:
                if not same_facts(item.previous, item.disposition):
                    record.append(item.disposition)
                continue
            record.append(_with_hash(item.disposition, item.proposed_hash))
            done.append(item.hubspot_id)
        counts["written"] += written
        counts["nothing_to_write"] += unchanged
        counts["failed"] += len(failed)
        with ctx.store.transaction() as tx:
            ctx.fence(tx)
            tx.record_dispositions(record)
            if failures:
                tx.add_dead_letters(failures, now)
            if done:
                tx.resolve_dead_letters_for(JOB, done, now)
            if cursor is not None:
                tx.set_cursor(JOB, cursor.encode(), now)
            if report.run_id is not None:
                tx.update_run_progress(report.run_id, counts, report.calls_so_far())
        ctx.progress.advance(pulled=len(latest), pushed=written, failed=len(failed))

    # -- HubSpot ------------------------------------------------------------------------------

    def _current(self, items: Sequence[_Item], properties: Sequence[str]
                 ) -> dict[str, Mapping[str, Any]]:
        """Current values of ``properties`` for these contacts (absent: not in HubSpot)."""
        ids = [i.hubspot_id for i in items]
        if not ids:
            return {}
        if not properties:
            return {cid: {} for cid in ids}
        return {c.id: c.properties for c in self.ctx.hubspot.read_batch(ids, list(properties))}

    def _write(self, todo: Sequence[_Item], now: Any
               ) -> tuple[int, list[RecordFailure], int]:
        """Batch-update HubSpot; returns (contacts written, failures, nothing to write)."""
        current = self._current(todo, self.current_properties)
        failures: list[RecordFailure] = []
        updates: list[tuple[str, dict[str, str]]] = []
        nothing = 0
        for item in todo:
            if item.hubspot_id not in current:
                failures.append(self._failure(item.hubspot_id, item.lead, RecordError(
                    "HUBSPOT_CONTACT_NOT_FOUND", "no HubSpot contact with this id"), {}))
                continue
            result = apply(self.mapping, item.source, current[item.hubspot_id], is_create=False)
            payload = {k: str(v) for k, v in result.payload.items()}
            if payload:
                updates.append((item.hubspot_id, payload))
            else:
                nothing += 1
        if not updates:
            return 0, failures, nothing
        outcome = self.ctx.hubspot.update_batch(updates)
        sent = dict(updates)
        by_id = {i.hubspot_id: i for i in todo}
        for cid, error in outcome.failed.items():
            failures.append(self._failure(cid, by_id[cid].lead, RecordError(
                f"HUBSPOT_{error.code}", error.message, error.fields, record_key=cid),
                sent.get(cid, {})))
        return len(updates) - len(outcome.failed), failures, nothing

    def _failure(self, hid: str, lead: Record, error: RecordError,
                 payload: Mapping[str, Any]) -> RecordFailure:
        return RecordFailure(job=JOB, record_key=hid, error_code=error.code,
                             message=error.message, fields=tuple(error.fields),
                             payload={"lead_id": lead.get("Id"), "payload": dict(payload)})

    # -- dry run ------------------------------------------------------------------------------

    def _dry_run(self, todo: Sequence[_Item], failures: Sequence[RecordFailure],
                 report: FeedbackReport) -> None:
        todo = [i for i in todo if i.hubspot_id not in report.previewed]
        report.previewed.update(i.hubspot_id for i in todo)
        current = self._current(todo, self.all_properties)
        for item in todo:
            now = current.get(item.hubspot_id)
            if now is None:
                report.counts["would_fail"] += 1
                continue
            result = apply(self.mapping, item.source, now, is_create=False)
            diff = field_diff(result.payload, now)
            report.counts["would_write" if diff else "would_skip"] += 1
            if diff and len(report.items) < MAX_DRY_RUN_ITEMS:
                report.items.append(FeedbackChange(item.hubspot_id, item.lead.get("Id"),
                                                   kind_of(item.disposition), diff))
        report.counts["would_fail"] += len(failures)


def _with_hash(d: Disposition, digest: str) -> Disposition:
    from dataclasses import replace

    return replace(d, payload_hash=digest)

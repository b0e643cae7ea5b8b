"""One batch of the handoff job: plan, push, write back, commit (see ``handoff.py``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from connector.datetimes import to_hubspot_datetime
from connector.errors import RecordError
from connector.fieldmap import apply
from connector.fieldmap.payload_check import predict_rejection
from connector.fieldmap.schema import FieldInfo, index_salesforce, salesforce_checked_options
from connector.jobs.context import JobContext
from connector.jobs.handoff_customers import customer_extra, is_customer
from connector.jobs.handoff_explore import (
    SNAPSHOT_KEY,
    Selection,
    exploration_summary,
    hands_off_every_passing_lead,
    select,
)
from connector.jobs.handoff_plan import (
    Planned,
    Target,
    change_key,
    classify,
    field_diff,
    group_by_email,
    mapping_source,
)
from connector.jobs.run_report import MAX_DRY_RUN_ITEMS
from connector.qualification import Decision
from connector.records import Contact
from connector.salesforce.client import SaveResult
from connector.store import DecisionSnapshot, Handoff, LedgerEntry, RecordFailure, StoredDecision

if TYPE_CHECKING:
    from connector.jobs.handoff import HandoffReport

JOB = "handoff"
LOOKUP_CHUNK = 200
"""Emails per dedup query (a 400-lead batch needs 4 queries: one Composite call)."""



def receipt_source(handoff: Handoff, decision: Decision) -> dict[str, Any]:
    """The record a receipt mapping (``mappings/receipt.toml``) reads: the decision fields (as
    a lead mapping reads them) and the facts of this push."""
    source: dict[str, Any] = dict(decision.as_source_fields())
    source.update({"handoff.salesforce_id": handoff.salesforce_id,
                   "handoff.status": handoff.outcome,
                   "handoff.at": to_hubspot_datetime(handoff.at)})
    return source


@dataclass(frozen=True)
class DryRunItem:
    contact_id: str
    email: str | None
    action: str
    grade: str
    score: float
    salesforce_id: str | None
    diff: Mapping[str, tuple[Any, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"contact_id": self.contact_id, "email": self.email, "action": self.action,
                "grade": self.grade, "score": self.score, "salesforce_id": self.salesforce_id,
                "diff": {k: {"current": a, "new": b} for k, (a, b) in self.diff.items()}}


_TOP_LEVEL = frozenset({"score", "grade", "version", "definition_hash", "dimensions"})


def snapshot_of(decision: Decision, selection: Selection | None = None) -> DecisionSnapshot:
    """The stored receipt: the queryable fields, plus in ``extra`` the rest of the decision
    (gates, fired criteria with points and reasons, fit/engagement) without repeating them, and
    for a handed-off lead its ``selection`` (rule or exploration, and its probability)."""
    full = decision.to_snapshot()
    extra = {k: v for k, v in full.items() if k not in _TOP_LEVEL}
    if selection is not None:
        extra[SNAPSHOT_KEY] = selection.as_json()
    return DecisionSnapshot(
        score=decision.score, grade=decision.grade, version=decision.version,
        definition_hash=decision.definition_hash, dimensions=dict(decision.dimensions),
        fired=tuple(hit.criterion for hit in decision.fired), extra=extra)


def _failure(contact: Contact, error: RecordError, payload: Mapping[str, Any],
             kind: str) -> RecordFailure:
    return RecordFailure(job=JOB, record_key=contact.id, error_code=error.code,
                         message=error.message, fields=tuple(error.fields),
                         payload={"action": kind, "email": contact.email,
                                  "payload": dict(payload)})


def email_key(value: Any) -> str:
    """How two emails are compared: trimmed, case-folded (``A@X.com`` is ``a@x.com``)."""
    return str(value or "").strip().casefold()


def dedup_new_leads(planned: Sequence[Planned], failures: list[RecordFailure]
                    ) -> tuple[list[Planned], list[RecordFailure]]:
    """Within one batch, at most one new Lead per email (compared case-insensitively): the
    Salesforce duplicate rules do not compare the records of one request with each other, so
    two contacts sharing an email would make two Leads. The first creates; the others fail as
    the next batch would fail them (the email belongs to another contact)."""
    owner: dict[str, str] = {}
    kept: list[Planned] = []
    for item in planned:
        key = email_key(item.payload.get("Email") or item.contact.email)
        if item.kind == "create" and key:
            first = owner.setdefault(key, item.contact.id)
            if first != item.contact.id:
                failures.append(_failure(item.contact, RecordError(
                    "EMAIL_OWNED_BY_OTHER_CONTACT",
                    f"HubSpot contact {first} in the same batch has this email (letter case "
                    "ignored): one Lead is made for it", ("Email",), record_key=item.contact.id),
                    item.payload, item.kind))
                continue
        kept.append(item)
    return kept, failures


class HandoffBatch:
    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        mapping = self.mapping = ctx.lead_mapping
        self.ext = ctx.settings.salesforce.external_id_field
        self.read_props = sorted(set(ctx.definition.properties) | mapping.hubspot_sources)
        self.current_fields = sorted(set(mapping.targets) - {self.ext})
        self.needs_current = any(rule.sync == "if_blank" for rule in mapping.rules)
        self.fields: dict[str, FieldInfo] = {}

    def use_schema(self, describe: Mapping[str, Any]) -> None:
        """Teach the mapping the live Lead field lengths (for ``truncate``) and the values of
        the picklists the connector checks itself (Status: unrestricted in Salesforce)."""
        lengths = {str(f["name"]): int(f["length"]) for f in describe.get("fields", [])
                   if f.get("length")}
        self.mapping = self.mapping.with_target_lengths(lengths).with_target_options(
            salesforce_checked_options(describe))
        self.fields = index_salesforce(describe)

    def selection(self, contact_id: str, decision: Decision) -> Selection | None:
        """Whether the lead is handed off: by the rule, as exploration, or not (None)."""
        h = self.ctx.settings.handoff
        return select(contact_id, decision, share=h.explore_share, seed=h.explore_seed,
                      census=hands_off_every_passing_lead(self.ctx.definition))

    def _selection_of(self, contact_id: str, decision: Decision) -> Selection:
        selection = self.selection(contact_id, decision)
        if selection is None:  # only handed-off pairs reach here; keep the receipt truthful
            raise ValueError(f"{contact_id}: neither qualified nor explored")
        return selection

    def summary(self, contact_id: str, decision: Decision) -> str:
        """The reasons line for a handed-off lead (says so when it was explored)."""
        selection = self._selection_of(contact_id, decision)
        if selection.explored:
            return exploration_summary(decision, selection)
        return decision.summary()

    # -- the batch ----------------------------------------------------------------------------

    def record_decisions(self, others: Sequence[tuple[Contact, Decision]],
                         report: HandoffReport, *, dry_run: bool) -> None:
        """Store the decisions of contacts that did not qualify (no Salesforce work)."""
        report.counts["pulled"] += len(others)
        report.counts["not_qualified"] += len(others)
        self.ctx.progress.advance(pulled=len(others))
        if not dry_run and others:
            now = self.ctx.clock()
            stored = self._stored_decisions(others, now)
            with self.ctx.store.transaction() as tx:
                self.ctx.fence(tx)
                tx.put_decisions(stored)

    def _stored_decisions(self, pairs: Sequence[tuple[Contact, Decision]],
                          now: datetime) -> list[StoredDecision]:
        """The decisions to store; a customer's keeps its pre-customer decision (see
        ``handoff_customers``), read here from the store (one query, customers only)."""
        customers = [c.id for c, _ in pairs if is_customer(c)]
        previous = self.ctx.store.decisions_for(customers) if customers else {}
        out = []
        for contact, decision in pairs:
            snapshot = snapshot_of(decision, self.selection(contact.id, decision))
            added = customer_extra(contact, previous.get(contact.id))
            if added:
                snapshot = replace(snapshot, extra={**snapshot.extra, **added})
            out.append(StoredDecision(contact.id, decision.qualified, snapshot, now))
        return out

    def process(self, qualified: Sequence[tuple[Contact, Decision]], report: HandoffReport, *,
                dry_run: bool, force: bool, cursor: str | None,
                others: Sequence[tuple[Contact, Decision]] = ()) -> None:
        """One batch: ``qualified`` contacts (rule-qualified or explored) are pushed; ``others``
        (not handed off) only have their decisions stored, in the same transaction that moves
        the cursor."""
        ctx = self.ctx
        now = ctx.clock()
        counts = report.counts
        counts["pulled"] += len(qualified) + len(others)
        explored = sum(1 for c, d in qualified if self._selection_of(c.id, d).explored)
        counts["qualified"] += len(qualified) - explored
        if explored:
            counts["explored"] += explored
        counts["not_qualified"] += len(others)
        pairs = [*qualified, *others]
        ids = [c.id for c, _ in qualified]
        ledger = ctx.store.ledger_for(ids) if ids else {}
        converted = {d.hubspot_id for d in ctx.store.dispositions_for(ids).values()
                     if d.converted} if ids else set()
        todo: list[tuple[Contact, Decision, str, LedgerEntry | None]] = []
        for contact, decision in qualified:
            entry = ledger.get(contact.id)
            key = change_key(contact, self.read_props, definition_hash=decision.definition_hash,
                             mapping_hash=ctx.lead_mapping_hash)
            if contact.id in converted and not force:
                counts["skipped_converted"] += 1
            elif not force and entry and entry.payload_hash == key:
                counts["unchanged"] += 1
            else:
                todo.append((contact, decision, key, entry))
        planned, failures = self._plan(todo, now, dry_run=dry_run)
        ctx.progress.advance(pulled=len(pairs), qualified=len(qualified))
        if dry_run:
            self._report_dry_run(planned, failures, report)
            return
        self._remember_intents(planned, now)
        handoffs, push_failures = self._push(planned, now)
        failures += push_failures
        failures += self._write_back(handoffs, planned)
        failed_keys = {f.record_key for f in failures}
        stored = self._stored_decisions(pairs, now)
        with ctx.store.transaction() as tx:
            ctx.fence(tx)
            tx.clear_intents(JOB, [p.contact.id for p in planned])
            tx.put_decisions(stored)
            tx.record_handoffs(handoffs)
            if failures:
                tx.add_dead_letters(failures, now)
            done = [h.hubspot_id for h in handoffs if h.hubspot_id not in failed_keys]
            if done:
                tx.resolve_dead_letters_for(JOB, done, now)
            if cursor is not None:
                tx.set_cursor(JOB, cursor, now)
        for handoff in handoffs:
            counts[handoff.outcome] += 1
        counts["failed"] += len(failed_keys)
        ctx.progress.advance(pushed=len(handoffs), failed=len(failed_keys))

    def _remember_intents(self, planned: Sequence[Planned], now: datetime) -> None:
        """Before the push: what each new Lead will be (created / adopted), so a rerun after a
        crash between push and commit writes the receipt a clean run would have written."""
        intents = [(p.contact.id, "created" if p.kind == "create" else "adopted",
                    p.target.salesforce_id) for p in planned if p.kind in ("create", "adopt")]
        if not intents:
            return
        with self.ctx.store.transaction() as tx:
            self.ctx.fence(tx)
            tx.put_intents(JOB, intents, now)

    # -- planning (reads only) ----------------------------------------------------------------

    def _plan(self, todo: Sequence[tuple[Contact, Decision, str, LedgerEntry | None]],
              now: datetime, *, dry_run: bool) -> tuple[list[Planned], list[RecordFailure]]:
        sf = self.ctx.salesforce
        fresh = [c for c, _, _, e in todo if not (e and e.salesforce_id)]
        emails = [c.email for c in fresh if c.email]
        leads: dict[str, list[Mapping[str, Any]]] = {}
        contacts: dict[str, list[Mapping[str, Any]]] = {}
        if emails:  # Lead and Contact lookups, 200 emails a query, 5 queries per API call
            queries: dict[str, str] = {}
            for n, start in enumerate(range(0, len(emails), LOOKUP_CHUNK)):
                chunk = emails[start:start + LOOKUP_CHUNK]
                lead_fields = ["Email", self.ext, "CreatedDate", *self.current_fields]
                queries[f"leads{n}"] = sf.soql_in("Lead", "Email", chunk, lead_fields)
                queries[f"contacts{n}"] = sf.soql_in("Contact", "Email", chunk,
                                                     ["Email", "OwnerId", "CreatedDate"])
            found = sf.query_many(queries)
            leads = group_by_email(r for k, rows in found.items() if k.startswith("leads")
                                   for r in rows)
            contacts = group_by_email(r for k, rows in found.items() if k.startswith("contacts")
                                      for r in rows)
        known_ids = [e.salesforce_id for _, _, _, e in todo
                     if e and e.salesforce_id and e.salesforce_object == "Lead"]
        current_by_id: dict[str, Mapping[str, Any]] = {}
        if known_ids and (dry_run or self.needs_current):
            current_by_id = {str(r["Id"]): r for r in sf.find_by_field(
                "Lead", "Id", known_ids, self.current_fields)}
        planned: list[Planned] = []
        failures: list[RecordFailure] = []
        for contact, decision, key, entry in todo:
            target = classify(
                contact, ledger_salesforce_id=entry.salesforce_id if entry else None,
                ledger_object=entry.salesforce_object if entry else None,
                leads_by_email=leads, contacts_by_email=contacts, external_id_field=self.ext)
            if isinstance(target, RecordError):
                failures.append(_failure(contact, target, {}, "classify"))
                continue
            if target.current is None and target.salesforce_id in current_by_id:
                target = Target(target.kind, target.salesforce_id,
                                current_by_id[target.salesforce_id], target.owner_id)
            handoff_at = entry.first_pushed_at if entry else now
            source = mapping_source(contact, decision, handoff_at)
            selection = self._selection_of(contact.id, decision)
            source["decision.selection"] = selection.kind
            if selection.explored:
                source["decision.summary"] = exploration_summary(decision, selection)
            result = apply(self.mapping, source,
                           target.current, is_create=target.kind == "create")
            if result.errors:
                first = result.errors[0]
                message = "; ".join(f"{e.field}: {e.message}" for e in result.errors)
                failures.append(_failure(contact, RecordError(
                    first.code, message, tuple(e.field for e in result.errors)),
                    result.payload, target.kind))
                continue
            predicted = self._predict(contact, target, result.payload) if dry_run else None
            if predicted is not None:
                failures.append(_failure(contact, predicted, result.payload, target.kind))
                continue
            planned.append(Planned(contact, decision, target, key, dict(result.payload),
                                   tuple(result.warnings)))
        return dedup_new_leads(planned, failures)

    def _predict(self, contact: Contact, target: Target, payload: Mapping[str, Any]
                 ) -> RecordError | None:
        """A dry run's guess whether Salesforce would reject this Lead write (describe-based:
        picklists, lengths, types, writable and required fields)."""
        if target.kind == "existing_contact":
            return None  # nothing is written to a Lead
        return predict_rejection({**payload, self.ext: contact.id}, self.fields,
                                 create=target.kind == "create")

    # -- writes -------------------------------------------------------------------------------

    def _push(self, planned: Sequence[Planned], now: datetime
              ) -> tuple[list[Handoff], list[RecordFailure]]:
        sf, settings = self.ctx.salesforce, self.ctx.settings
        handoffs: list[Handoff] = []
        failures: list[RecordFailure] = []

        def collect(items: Sequence[Planned], send: Any, outcome_of: Any) -> None:
            results: Sequence[SaveResult] = send()
            for item, result in zip(items, results, strict=True):
                if result.success:
                    handoffs.append(Handoff(
                        hubspot_id=item.contact.id, outcome=outcome_of(item, result), at=now,
                        snapshot=self._snapshot(item), salesforce_id=result.id,
                        salesforce_object="Lead", payload_hash=item.change_key,
                        email=item.contact.email))
                else:
                    error = result.error or RecordError("UNKNOWN", "no error detail")
                    failures.append(_failure(item.contact, error, item.payload, item.kind))

        creates = [p for p in planned if p.kind == "create"]
        updates = [p for p in planned if p.kind == "update"]
        adopts = [p for p in planned if p.kind == "adopt"]
        existing = [p for p in planned if p.kind == "existing_contact"]
        if creates:
            collect(creates, lambda: sf.upsert("Lead", self.ext, [
                {**p.payload, self.ext: p.contact.id} for p in creates],
                auto_assign=settings.salesforce.auto_assign),
                # classified as new: whatever the upsert says (``created: false`` when an
                # earlier attempt whose response was lost, or a crashed run, made the Lead),
                # this push created it
                lambda p, r: "created")
        if updates:
            # a Lead found by email carrying our id but absent from the ledger was pushed by a
            # run that crashed before its commit: its receipt is that run's intent
            intents = self.ctx.store.intents_for(JOB, [p.contact.id for p in updates])
            collect(updates, lambda: sf.upsert("Lead", self.ext, [
                {**p.payload, self.ext: p.contact.id} for p in updates], auto_assign=False),
                lambda p, r: "created" if r.created else
                intents.get(p.contact.id, ("updated", None))[0])
        if adopts:
            collect(adopts, lambda: sf.update("Lead", [
                {**p.payload, self.ext: p.contact.id, "Id": p.target.salesforce_id}
                for p in adopts]), lambda p, r: "adopted")
        for item in existing:
            handoffs.append(Handoff(
                hubspot_id=item.contact.id, outcome="existing_contact", at=now,
                snapshot=self._snapshot(item), salesforce_id=item.target.salesforce_id,
                salesforce_object="Contact", payload_hash=item.change_key,
                email=item.contact.email))
        if existing and settings.handoff.existing_contact_task:
            self._tasks(existing, now)
        return handoffs, failures

    def _snapshot(self, item: Planned) -> DecisionSnapshot:
        return snapshot_of(item.decision, self._selection_of(item.contact.id, item.decision))

    def _tasks(self, existing: Sequence[Planned], now: datetime) -> None:
        subject = self.ctx.settings.handoff.task_subject
        tasks = [{"Subject": subject, "WhoId": p.target.salesforce_id,
                  "ActivityDate": now.date().isoformat(), "Status": "Not Started",
                  "Description": self.summary(p.contact.id, p.decision),
                  **({"OwnerId": p.target.owner_id} if p.target.owner_id else {})}
                 for p in existing]
        self.ctx.salesforce.create("Task", tasks)

    def _write_back(self, handoffs: Iterable[Handoff], planned: Sequence[Planned]
                    ) -> list[RecordFailure]:
        """The receipt on each handed-off contact, as ``ctx.receipt_mapping`` says."""
        mapping = self.ctx.receipt_mapping
        if mapping is None:
            return []
        by_id = {p.contact.id: p for p in planned}
        updates = []
        for h in handoffs:
            source = receipt_source(h, by_id[h.hubspot_id].decision)
            receipt = apply(mapping, source, None, is_create=False)
            payload = {k: str(v) for k, v in receipt.payload.items()}
            if payload:
                updates.append((h.hubspot_id, payload))
        if not updates:
            return []
        result = self.ctx.hubspot.update_batch(updates)
        sent = dict(updates)
        return [_failure(by_id[cid].contact, RecordError(f"HUBSPOT_{e.code}", e.message,
                                                         e.fields, record_key=cid),
                         sent[cid], "write_back")
                for cid, e in result.failed.items()]

    # -- dry run ------------------------------------------------------------------------------

    def _report_dry_run(self, planned: Sequence[Planned], failures: Sequence[RecordFailure],
                        report: HandoffReport) -> None:
        for item in planned:
            report.counts[f"would_{item.kind}"] += 1
            if len(report.items) < MAX_DRY_RUN_ITEMS:
                diff = field_diff(item.payload, item.target.current) \
                    if item.kind != "create" else {k: (None, v) for k, v in item.payload.items()}
                report.items.append(DryRunItem(
                    item.contact.id, item.contact.email, item.kind, item.decision.grade,
                    item.decision.score, item.target.salesforce_id, diff))
        for failure in failures:
            report.counts["would_fail"] += 1
            if len(report.items) < MAX_DRY_RUN_ITEMS:
                report.items.append(DryRunItem(
                    failure.record_key, None, f"fail: {failure.error_code}", "", 0.0, None,
                    {"error": (None, failure.message)}))

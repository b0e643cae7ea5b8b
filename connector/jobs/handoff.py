"""The handoff job: HubSpot -> qualify -> Salesforce -> write-back, on a durable ledger.

One run:
1. pull contacts changed since the cursor (minus an overlap for search-index lag), in
   ``lastmodifieddate`` order (``connector.hubspot.changes``: keyset scan, no 10k cap);
2. qualify each one (pure) and collect them into a batch of at most ``salesforce_batch_size``
   qualified contacts (and at most 5x that many pulled ones, so memory is bounded);
3. for each batch (``HandoffBatch``): skip contacts unchanged since their last push, dedup new
   ones against Salesforce by email (two SOQL queries), push with one Collections upsert (plus
   one update for adopted Leads), write the receipt back to HubSpot (100 per call), then commit
   decisions, ledger rows, dead letters and the cursor in ONE transaction.

A crash anywhere leaves the cursor before the batch: the rerun upserts the same Leads by external
id (never a duplicate) and finds them again by email if the ledger row was not committed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from connector.hubspot.changes import contact_ms, count_changed_since, iter_changed_contacts
from connector.jobs.context import JobContext
from connector.jobs.handoff_batch import DryRunItem, HandoffBatch
from connector.jobs.handoff_customers import kept
from connector.jobs.handoff_plan import clean_contact
from connector.jobs.run_report import RunReport
from connector.jobs.runs import tracked
from connector.qualification import Decision, qualify
from connector.records import Contact
from connector.settings import parse_datetime

JOB = "handoff"
DECISION_CHUNK = 500
"""Decisions of non-qualified contacts are stored in chunks of this size as the pull goes."""
MAX_PULLED_PER_FLUSH = 20_000
"""Flush (and move the cursor) at least this often even when few contacts qualify."""


@dataclass
class Forecast:
    contacts: int
    expected_qualified: int
    hubspot_calls: int
    salesforce_calls: int
    salesforce_budget_remaining: int | None

    def render(self) -> str:
        budget = ("unknown" if self.salesforce_budget_remaining is None
                  else f"{self.salesforce_budget_remaining:,}")
        return (f"forecast: {self.contacts:,} changed contacts, ~{self.expected_qualified:,} "
                f"qualified -> ~{self.hubspot_calls:,} HubSpot calls, "
                f"~{self.salesforce_calls:,} Salesforce calls (budget left: {budget})")


@dataclass
class HandoffReport(RunReport):
    forecast: Forecast | None = None
    items: list[DryRunItem] = field(default_factory=list)

    def extra_dict(self) -> dict[str, Any]:
        return {"forecast": self.forecast.__dict__ if self.forecast else None,
                "items": [i.as_dict() for i in self.items]}


class HandoffJob:
    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.batch = HandoffBatch(ctx)

    # -- entry points ------------------------------------------------------------------------

    def run(self, *, dry_run: bool = False, limit: int | None = None,
            since: datetime | None = None) -> HandoffReport:
        ctx = self.ctx
        cursor = None if since else ctx.store.get_cursor(JOB)
        start = self._start_from(cursor, since)
        report = HandoffReport(None, dry_run, start)
        if not dry_run:
            report.run_id = ctx.store.start_run(JOB, ctx.clock(), owner=ctx.owner, dry_run=False)
        with tracked(ctx, report):
            ctx.salesforce.refresh_limits()
            self.batch.use_schema(ctx.salesforce.describe("Lead"))
            if cursor is None:
                report.forecast = self.forecast(start)
                ctx.progress.note(report.forecast.render())
            self._pull_and_process(start, report, dry_run=dry_run, limit=limit)
        report.api_calls = ctx.stats.by_system()
        return report

    def retry_dead_letters(self, *, code: str | None = None) -> HandoffReport:
        """Replay open handoff dead letters (after the cause was fixed): re-read the contacts
        from HubSpot and push them again, whatever their change key. The cursor does not move."""
        ctx = self.ctx
        report = HandoffReport(None, False, ctx.clock())
        report.run_id = ctx.store.start_run(JOB, ctx.clock(), owner=ctx.owner, dry_run=False)
        with tracked(ctx, report):
            keys = sorted({d.record_key for d in ctx.store.iter_dead_letters(job=JOB, code=code)})
            report.counts["replayed"] = len(keys)
            ctx.salesforce.refresh_limits()
            self.batch.use_schema(ctx.salesforce.describe("Lead"))
            size = min(ctx.settings.handoff.batch_size, 100)  # HubSpot batch reads take 100
            for begin in range(0, len(keys), size):
                contacts = ctx.hubspot.read_batch(keys[begin:begin + size],
                                                  ctx.settings.hubspot.properties)
                found = {c.id for c in contacts}
                report.counts["missing_in_hubspot"] += len(set(keys[begin:begin + size]) - found)
                contacts = [self._clean(c, report) for c in contacts]
                pairs = [(c, self._qualify(c)) for c in contacts]
                chosen = [self.batch.selection(c.id, d) is not None for c, d in pairs]
                self.batch.process([p for p, yes in zip(pairs, chosen, strict=True) if yes],
                                   report, dry_run=False, force=True, cursor=None,
                                   others=[p for p, yes in zip(pairs, chosen, strict=True)
                                           if not yes])
        report.api_calls = ctx.stats.by_system()
        return report

    def forecast(self, start: datetime) -> Forecast:
        """Cost of pulling everything changed since ``start`` (one search call to count)."""
        ctx = self.ctx
        total = count_changed_since(ctx.hubspot, start)
        share = ctx.store.qualified_share()  # None before any decision: assume half qualify
        qualified = int(total * (share if share is not None else 0.5))
        h = ctx.settings.handoff
        hubspot = math.ceil(total / h.search_page_size) + math.ceil(qualified / 100)
        salesforce = math.ceil(qualified / h.salesforce_batch_size) + math.ceil(
            qualified / h.batch_size) + 3
        return Forecast(total, qualified, hubspot, salesforce,
                        ctx.salesforce.budget.remaining())

    # -- internals ---------------------------------------------------------------------------

    def _start_from(self, cursor: str | None, since: datetime | None) -> datetime:
        settings = self.ctx.settings.handoff
        if since is not None:
            return since
        if cursor is None:
            return parse_datetime(settings.start_date)
        anchor = datetime.fromtimestamp(int(cursor) / 1000, tz=UTC)
        return anchor - timedelta(seconds=settings.overlap_seconds)

    @staticmethod
    def _clean(contact: Contact, report: HandoffReport) -> Contact:
        """Control characters and NUL are stripped on the way in: never qualified on, never
        sent to Salesforce nor written back."""
        cleaned, changed = clean_contact(contact)
        if changed:
            report.counts["control_chars_stripped"] += changed
        return cleaned

    def _qualify(self, contact: Contact) -> Decision:
        return qualify(contact, self.ctx.definition, self.ctx.clock())

    def _pull_and_process(self, start: datetime, report: HandoffReport, *, dry_run: bool,
                          limit: int | None) -> None:
        """Stream the pull. Only qualified contacts wait in memory (at most one Salesforce batch);
        the others' decisions go to the store in chunks as they come. A flush pushes the waiting
        batch and moves the cursor to the last contact pulled: everything before it is done."""
        ctx = self.ctx
        h = ctx.settings.handoff
        pending: list[tuple[Contact, Decision]] = []
        others: list[tuple[Contact, Decision]] = []
        last_ms: int | None = None
        since_flush = 0
        first_page = True

        def on_page(page: Any) -> None:
            nonlocal first_page
            if first_page:
                ctx.progress.total(page.total)
                first_page = False

        def flush() -> None:
            nonlocal pending, others, since_flush
            cursor = None if last_ms is None else str(last_ms)
            if pending or others or cursor != report.cursor:
                self.batch.process(pending, report, dry_run=dry_run, force=False, cursor=cursor,
                                   others=others)
                if not dry_run:
                    report.cursor = cursor
            pending, others, since_flush = [], [], 0

        changed = iter_changed_contacts(ctx.hubspot, start, ctx.settings.hubspot.properties,
                                        page_size=h.search_page_size, on_page=on_page,
                                        until=ctx.clock())
        for pulled, raw in enumerate(changed, start=1):
            contact = self._clean(raw, report)
            decision = self._qualify(contact)
            last_ms = max(last_ms or 0, contact_ms(contact))
            since_flush += 1
            if self.batch.selection(contact.id, decision) is not None:  # rule or exploration
                pending.append((contact, decision))
            else:
                others.append((kept(contact), decision))  # lifecycle stage only
                if len(others) >= DECISION_CHUNK:
                    self.batch.record_decisions(others, report, dry_run=dry_run)
                    others = []
            if len(pending) >= h.batch_size or since_flush >= MAX_PULLED_PER_FLUSH:
                flush()
            if (limit is not None and pulled >= limit) or ctx.stop_requested():
                if ctx.stop_requested():
                    report.counts["stopped_early"] = 1
                break
        flush()

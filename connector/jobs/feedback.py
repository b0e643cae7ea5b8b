"""The feedback job: what sales did with handed-off leads, back into HubSpot and the store.

One run reads two incremental streams from Salesforce, each in ``SystemModstamp`` order from its
own cursor (minus ``feedback.overlap_seconds``, so a late-committing write is never skipped):

1. **Leads** carrying our external id (the HubSpot contact id); the Opportunities of the
   converted ones are fetched with them, ``Id IN (...)`` 200 at a time;
2. **Opportunities** changed since their cursor (a stage move does not touch the Lead), with
   their converted Leads found by ``ConvertedOpportunityId IN (...)``, 200 at a time.

Each batch of 200 goes through ``FeedbackBatch``: map with ``mappings/feedback.toml``, skip what
HubSpot already shows (by hash: an unchanged disposition costs zero HubSpot calls), read the
lifecycle stage (forward only) of the rest, batch-update HubSpot 100 at a time, then commit the
dispositions, dead letters and the moved cursor in one transaction. A crash leaves the cursor
before the uncommitted batch; the rerun reads it again and writes only what is not yet recorded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from connector.callstats import CallStats
from connector.errors import FatalError
from connector.jobs.context import JobContext
from connector.jobs.feedback_batch import FeedbackBatch, FeedbackChange
from connector.jobs.feedback_plan import (
    STREAMS,
    FeedbackCursor,
    Record,
    latest_stamp,
    select_fields,
)
from connector.jobs.run_report import RunReport
from connector.jobs.runs import tracked
from connector.salesforce.soql import changed_leads, changed_opportunities
from connector.settings import parse_datetime

JOB = "feedback"
BATCH = 200
READ_COUNT = {"Lead": "leads_read", "Opportunity": "opportunities_read"}


@dataclass
class FeedbackReport(RunReport):
    items: list[FeedbackChange] = field(default_factory=list)
    failed_keys: set[str] = field(default_factory=set, repr=False)
    """Contacts that failed in this run: not tried again by the second stream."""
    previewed: set[str] = field(default_factory=set, repr=False)
    """Dry run only: contacts already counted (both streams may bring the same lead)."""
    stats: CallStats | None = field(default=None, repr=False)
    baseline: dict[str, int] = field(default_factory=dict, repr=False)

    def calls_so_far(self) -> dict[str, int]:
        """API calls by system made by this run (the context's stats may be shared)."""
        if self.stats is None:
            return {}
        now = self.stats.by_system()
        return {s: n - self.baseline.get(s, 0) for s, n in now.items()
                if n - self.baseline.get(s, 0)}

    def extra_dict(self) -> dict[str, Any]:
        return {"items": [i.as_dict() for i in self.items]}


class FeedbackJob:
    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.batch = FeedbackBatch(ctx)
        self.ext = ctx.settings.salesforce.external_id_field
        self.lead_fields: list[str] = []
        self.opportunity_fields: list[str] = []

    # -- entry points ------------------------------------------------------------------------

    def run(self, *, dry_run: bool = False) -> FeedbackReport:
        ctx = self.ctx
        report = self._report(dry_run)
        cursor = FeedbackCursor.decode(ctx.store.get_cursor(JOB))
        report.since = min(self._start(cursor.lead), self._start(cursor.opportunity))
        with tracked(ctx, report, report.calls_so_far):
            self._prepare()
            for stream in STREAMS:
                if ctx.stop_requested():
                    report.counts["stopped_early"] = 1
                if report.counts["stopped_early"]:
                    break
                cursor = self._stream(stream, cursor, report, dry_run=dry_run)
        report.api_calls = report.calls_so_far()
        return report

    def retry_dead_letters(self, *, code: str | None = None) -> FeedbackReport:
        """Replay open feedback dead letters (after the cause was fixed): read the Leads again
        and write them to HubSpot whatever their hash. The cursors do not move."""
        ctx = self.ctx
        report = self._report(False)
        with tracked(ctx, report, report.calls_so_far):
            keys = sorted({d.record_key for d in ctx.store.iter_dead_letters(job=JOB, code=code)})
            report.counts["replayed"] = len(keys)
            self._prepare()
            for begin in range(0, len(keys), BATCH):
                chunk = keys[begin:begin + BATCH]
                leads = ctx.salesforce.find_by_field("Lead", self.ext, chunk, self.lead_fields)
                report.counts["missing_in_salesforce"] += len(
                    set(chunk) - {str(r.get(self.ext)) for r in leads})
                self.batch.process(self._with_opportunities(leads), report, dry_run=False,
                                   force=True, cursor=None)
        report.api_calls = report.calls_so_far()
        return report

    # -- internals ---------------------------------------------------------------------------

    def _report(self, dry_run: bool) -> FeedbackReport:
        ctx = self.ctx
        report = FeedbackReport(None, dry_run, ctx.clock(), stats=ctx.stats,
                                baseline=ctx.stats.by_system())
        if not dry_run:
            report.run_id = ctx.store.start_run(JOB, ctx.clock(), owner=ctx.owner, dry_run=False)
        return report

    def _prepare(self) -> None:
        """Check the budget and learn which disposition fields the org has (3 calls)."""
        sf = self.ctx.salesforce
        sf.refresh_limits()
        mapping = self.batch.mapping
        lead = {str(f["name"]) for f in sf.describe("Lead").get("fields", [])}
        opp = {str(f["name"]) for f in sf.describe("Opportunity").get("fields", [])}
        if self.ext not in lead:
            raise FatalError(f"the Lead object has no {self.ext} field (the external id)",
                             system="salesforce", code="SCHEMA_DRIFT")
        self.lead_fields = select_fields("Lead", mapping, lead, extra=[self.ext])
        self.opportunity_fields = select_fields("Opportunity", mapping, opp)

    def _start(self, cursor: datetime | None) -> datetime:
        settings = self.ctx.settings.feedback
        if cursor is None:
            return parse_datetime(settings.start_date)
        return cursor - timedelta(seconds=settings.overlap_seconds)

    def _query(self, stream: str, since: datetime) -> Iterator[Record]:
        if stream == "Lead":
            soql = changed_leads(self.lead_fields, self.ext, since)
        else:
            soql = changed_opportunities(self.opportunity_fields, since)
        return self.ctx.salesforce.query(soql)

    def _stream(self, stream: str, cursor: FeedbackCursor, report: FeedbackReport, *,
                dry_run: bool) -> FeedbackCursor:
        ctx = self.ctx
        pending: list[Record] = []

        def flush() -> FeedbackCursor:
            nonlocal pending
            if not pending:
                return cursor
            moved = cursor.moved(stream, latest_stamp(pending))
            pairs = (self._with_opportunities(pending) if stream == "Lead"
                     else self._with_leads(pending))
            self.batch.process(pairs, report, dry_run=dry_run, force=False,
                               cursor=None if dry_run else moved)
            report.counts[READ_COUNT[stream]] += len(pending)
            pending = []
            if not dry_run:
                report.cursor = moved.encode()
                return moved
            return cursor

        for record in self._query(stream, self._start(cursor.get(stream))):
            pending.append(record)
            if len(pending) >= BATCH:
                cursor = flush()
                if ctx.stop_requested():
                    report.counts["stopped_early"] = 1
                    return cursor
        return flush()

    def _with_opportunities(self, leads: Sequence[Record]) -> list[tuple[Record, Record | None]]:
        """Each Lead with the Opportunity it was converted to (one query per 200)."""
        ids = [str(r["ConvertedOpportunityId"]) for r in leads if r.get("ConvertedOpportunityId")]
        opps = {str(o["Id"]): o for o in self.ctx.salesforce.find_by_field(
            "Opportunity", "Id", ids, self.opportunity_fields)} if ids else {}
        return [(lead, opps.get(str(lead.get("ConvertedOpportunityId") or ""))) for lead in leads]

    def _with_leads(self, opps: Sequence[Record]) -> list[tuple[Record, Record | None]]:
        """Each changed Opportunity with the Lead of ours converted to it (others are not
        ours: skipped)."""
        by_id = {str(o["Id"]): o for o in opps}
        leads = self.ctx.salesforce.find_by_field(
            "Lead", "ConvertedOpportunityId", list(by_id), self.lead_fields)
        return [(lead, by_id.get(str(lead.get("ConvertedOpportunityId"))))
                for lead in leads if lead.get(self.ext)]

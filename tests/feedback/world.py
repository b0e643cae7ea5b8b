"""A sandbox world for feedback tests: simulators on a frozen SimClock, the handoff done (every
grade handed off unless told otherwise), the sales team ready to work. Real loopback sockets and
the real SDKs throughout; nothing is mocked."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connector.demo import widen_handoff
from connector.fieldmap import owned_hubspot_properties
from connector.jobs.context import JobContext, build_context
from connector.jobs.feedback import FeedbackJob, FeedbackReport
from connector.jobs.handoff import HandoffJob, HandoffReport
from connector.settings import MappingSettings
from connector_sandbox.runner import Sandbox, start_sandbox
from connector_sandbox.sales_team import SalesTeam
from connector_sandbox.simclock import SimClock
from tests.fixtures.sandbox import settings_for

ROOT_MAPPINGS = Path(__file__).resolve().parents[2] / "mappings"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EXT = "HubSpot_Contact_Id__c"
BATCH_UPDATE = "POST /crm/v3/objects/contacts/batch/update"
FEEDBACK_PROPERTIES = ("sf_lead_id", "sf_contact_id", "sf_opportunity_id", "sales_lead_status",
                       "hs_lead_status", "sales_disqualification_reason", "sales_first_touch_at",
                       "sales_converted", "sales_converted_at", "sales_opportunity_stage",
                       "sales_amount_won", "lifecyclestage")


@dataclass
class World:
    sandbox: Sandbox
    clock: SimClock
    ctx: JobContext
    team: SalesTeam
    handoff: HandoffReport | None = None
    extra_contexts: list[JobContext] = field(default_factory=list)

    def feedback(self, **kw: Any) -> FeedbackReport:
        return FeedbackJob(self.ctx).run(**kw)

    def context(self, **kw: Any) -> JobContext:
        """Another context on the same store and sandbox (e.g. with a stop flag)."""
        ctx = build_context(self.ctx.settings, endpoints=self.sandbox.endpoints,
                            clock=self.clock, **kw)
        ctx.definition = self.ctx.definition
        self.extra_contexts.append(ctx)
        return ctx

    def hubspot_writes(self) -> int:
        return self.sandbox.hubspot.counter.total(BATCH_UPDATE)

    def hubspot_calls(self) -> int:
        return self.sandbox.hubspot.counter.total()

    def leads(self) -> list[dict[str, Any]]:
        fields = ("Id, Status, IsConverted, ConvertedOpportunityId, ConvertedContactId, "
                  f"Disqualification_Reason__c, First_Touch_At__c, {EXT}")
        return self.sandbox.salesforce.org.query(
            f"SELECT {fields} FROM Lead WHERE {EXT} != null")

    def opportunity(self, opp_id: str) -> dict[str, Any]:
        opp = self.sandbox.salesforce.org.get("Opportunity", opp_id)
        assert opp is not None
        return opp

    def contact(self, hubspot_id: str) -> dict[str, Any]:
        return dict(self.sandbox.hubspot.contacts.get(hubspot_id) or {})

    def hubspot_state(self, ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        """The feedback-owned properties of these contacts (default: every handed-off one)."""
        wanted = ids if ids is not None else [str(lead[EXT]) for lead in self.leads()]
        return {cid: {p: self.contact(cid).get(p) for p in FEEDBACK_PROPERTIES} for cid in wanted}

    def close(self) -> None:
        for ctx in [self.ctx, *self.extra_contexts]:
            ctx.close()
        self.sandbox.stop()


def make_world(
    tmp_path: Path,
    *,
    contacts: int = 500,
    seed: int = 11,
    definition: Path | None = None,
    feedback_mapping: Path | None = None,
    widen: bool = True,
    skip_properties: Iterable[str] = (),
    prepare: Callable[[World], None] | None = None,
) -> World:
    clock = SimClock(START, frozen=True)
    sandbox = start_sandbox(tmp_path / "sandbox", seed=seed, contacts=contacts,
                            existing_leads=10, existing_contacts=6, rate_limits=False,
                            clock=clock, seed_start=START)
    settings = settings_for(sandbox, tmp_path)
    mappings: Mapping[str, str] = {
        **({"qualification": str(definition)} if definition else {}),
        **({"feedback": str(feedback_mapping)} if feedback_mapping else {}),
    }
    if mappings:
        settings = replace(settings, mappings=replace(MappingSettings(), **mappings))
    ctx = build_context(settings, endpoints=sandbox.endpoints, clock=clock)
    world = World(sandbox, clock, ctx, SalesTeam(sandbox, seed=seed))
    try:
        skip = set(skip_properties)
        existing = {p["name"] for p in ctx.hubspot.properties()}
        for body in owned_hubspot_properties():
            if body["name"] not in existing and body["name"] not in skip:
                ctx.hubspot.create_property(body)
        if widen:
            widen_handoff(ctx)
        if prepare:
            prepare(world)
        world.handoff = HandoffJob(ctx).run()
    except BaseException:
        world.close()
        raise
    return world

"""The naive per-record flow the handoff benchmark compares against: for each qualified lead,
one Salesforce create and one HubSpot update (no dedup, no batching), as a simple Zap would."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from hubspot.crm.contacts import SimplePublicObjectInput

from connector.fieldmap import apply
from connector.hubspot.changes import iter_changed_contacts
from connector.hubspot.client import HubSpotClient
from connector.jobs.context import JobContext
from connector.jobs.handoff_plan import mapping_source
from connector.qualification import qualify
from connector.salesforce.client import SalesforceClient
from connector.settings import parse_datetime


def naive_flow(ctx: JobContext) -> dict[str, int]:
    counts: Counter[str] = Counter()
    assert isinstance(ctx.salesforce, SalesforceClient) and isinstance(ctx.hubspot, HubSpotClient)
    sf = ctx.salesforce.sf
    ext = ctx.settings.salesforce.external_id_field
    hs_basic = ctx.hubspot._basic  # the SDK's per-record API, on purpose
    start = parse_datetime(ctx.settings.handoff.start_date)
    for contact in iter_changed_contacts(ctx.hubspot, start, ctx.settings.hubspot.properties):
        counts["pulled"] += 1
        decision = qualify(contact, ctx.definition, datetime.now(UTC))
        if not decision.qualified:
            continue
        now = datetime.now(UTC)
        result = apply(ctx.lead_mapping, mapping_source(contact, decision, now), None,
                       is_create=True)
        try:
            lead_api: Any = sf.Lead  # simple-salesforce resolves sObjects by attribute
            created = lead_api.create({**result.payload, ext: contact.id})
            counts["created"] += 1
            hs_basic.update(contact_id=contact.id, simple_public_object_input=(
                SimplePublicObjectInput(properties={"sf_lead_id": created["id"]})))
        except Exception:  # noqa: BLE001 - the naive flow just counts failures
            counts["failed"] += 1
    return dict(counts)

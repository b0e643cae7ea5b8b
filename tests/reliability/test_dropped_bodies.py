"""A response whose body is cut mid-way (the call was handled, the client never learns how it
ended) is a retriable transport error in both clients, never an escaped traceback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connector.connections import salesforce_client
from connector.hubspot.client import HubSpotClient
from connector.settings import Settings
from connector_sandbox.faults import FaultRule
from connector_sandbox.hubspot import HubSpotSimConfig, HubSpotSimulator
from connector_sandbox.runner import Sandbox
from connector_sandbox.server import ServedApp, serve_in_thread


@pytest.fixture
def hubspot() -> Iterator[tuple[HubSpotSimulator, ServedApp]]:
    sim = HubSpotSimulator(HubSpotSimConfig(rate_limits=False))
    sim.seed_contacts(30, seed=2)
    server = serve_in_thread(sim.app)
    yield sim, server
    server.stop()


def client(sim: HubSpotSimulator, server: ServedApp) -> HubSpotClient:
    return HubSpotClient(host=server.url, token=sim.config.token, search_per_second=1000,
                         burst_per_10s=100_000, sleep=lambda _s: None)


def test_a_dropped_search_body_is_retried(hubspot: tuple[HubSpotSimulator, ServedApp]) -> None:
    sim, server = hubspot
    sim.faults.add(FaultRule(match="POST /crm/v3/objects/contacts/search", drop_body_next=2))
    hs = client(sim, server)
    page = hs.search(filter_groups=[], properties=["email"], limit=10)
    assert len(page.contacts) == 10
    assert hs.stats.retries["hubspot"] == 2
    assert sim.counter.total("POST /crm/v3/objects/contacts/search") == 3


def test_a_dropped_batch_update_body_is_retried_and_the_write_is_idempotent(
        hubspot: tuple[HubSpotSimulator, ServedApp]) -> None:
    sim, server = hubspot
    ids = sim.contacts.all_ids()[:5]
    sim.faults.add(FaultRule(match="POST /crm/v3/objects/contacts/batch/update",
                             drop_body_next=1))
    hs = client(sim, server)
    result = hs.update_batch([(cid, {"firstname": f"n{cid}"}) for cid in ids])
    assert sorted(result.written) == sorted(ids) and not result.failed
    assert all((sim.contacts.get(cid) or {})["firstname"] == f"n{cid}" for cid in ids)
    # the first call was handled (its body was lost), the retry wrote the same values again
    assert sim.counter.total("POST /crm/v3/objects/contacts/batch/update") == 2


def test_a_dropped_salesforce_upsert_body_is_retried_without_a_duplicate(
        sandbox: Sandbox, sandbox_settings: Settings) -> None:
    sandbox.salesforce.faults.add(FaultRule(match="PATCH /services/data/*/composite/sobjects/*",
                                            drop_body_next=1))
    sf = salesforce_client(sandbox_settings, endpoints=sandbox.endpoints)
    records = [{"LastName": f"Drop{i}", "Company": "Acme", "Email": f"drop{i}@example.com",
                "HubSpot_Contact_Id__c": f"drop-{i}"} for i in range(3)]
    results = sf.upsert("Lead", "HubSpot_Contact_Id__c", records)
    assert all(r.success for r in results)
    assert sf.stats.retries["salesforce"] >= 1
    rows = sandbox.salesforce.org.query(
        "SELECT Id FROM Lead WHERE HubSpot_Contact_Id__c IN ('drop-0', 'drop-1', 'drop-2')")
    assert len(rows) == 3  # the lost first call and its replay made one Lead each

"""One HubSpot simulator served on a loopback port for the whole module, reset per test.

Tests talk to it through the unmodified ``hubspot-api-client`` (``hs``; API objects are taken
once per test, as the facts sheet recommends) and through httpx for the admin endpoints.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hubspot import HubSpot

from connector_sandbox.hubspot import HubSpotSimConfig, HubSpotSimulator
from connector_sandbox.server import ServedApp

TOKEN = "pat-sandbox-token"
SEED_START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SEEDED = 60


@dataclass
class Portal:
    """What a test gets: the simulator, its URL, the SDK client and its API objects."""

    sim: HubSpotSimulator
    url: str
    hs: HubSpot
    search_api: Any
    batch_api: Any
    basic_api: Any
    properties_api: Any
    admin: httpx.Client
    ids: list[str]

    def configure(self, **changes: Any) -> None:
        self.sim.configure(**changes)


@pytest.fixture(scope="session")
def served_hubspot() -> Iterator[tuple[HubSpotSimulator, ServedApp, httpx.Client]]:
    sim = HubSpotSimulator(HubSpotSimConfig(token=TOKEN, rate_limits=False))
    served = sim.serve()
    try:
        with httpx.Client(base_url=served.url, timeout=10) as admin:
            yield sim, served, admin
    finally:
        served.stop()


@pytest.fixture
def portal(served_hubspot: tuple[HubSpotSimulator, ServedApp, httpx.Client]) -> Iterator[Portal]:
    sim, served, admin = served_hubspot
    sim.config = HubSpotSimConfig(token=TOKEN, rate_limits=False)
    sim.reset()
    ids = sim.seed_contacts(SEEDED, seed=3, start=SEED_START)
    hs = HubSpot(access_token=TOKEN, host=served.url)
    yield Portal(sim=sim, url=served.url, hs=hs,
                 search_api=hs.crm.contacts.search_api,
                 batch_api=hs.crm.contacts.batch_api,
                 basic_api=hs.crm.contacts.basic_api,
                 properties_api=hs.crm.properties.core_api,
                 admin=admin, ids=ids)
    sim.config = HubSpotSimConfig(token=TOKEN, rate_limits=False)
    sim.faults.clear()

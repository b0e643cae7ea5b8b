"""Issue 12 point 2: the connector's HubSpot client reads the rate-limit headers the simulator
sends, the per-second pair included, and waits out a spent second instead of drawing a 429."""

from __future__ import annotations

import time

from connector.hubspot.client import HubSpotClient
from connector_sandbox.hubspot import HubSpotSimConfig

from .conftest import TOKEN, Portal


def _client(portal: Portal, slept: list[float]) -> HubSpotClient:
    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)

    return HubSpotClient(host=portal.url, token=TOKEN, sleep=sleep, max_attempts=1)


def test_client_keeps_the_last_rate_limit_figures(portal: Portal) -> None:
    portal.sim.config = HubSpotSimConfig(token=TOKEN, rate_limits=True)
    portal.sim.limiter.reset()
    client = _client(portal, [])
    assert client.get_contact(portal.ids[0], ["email"]) is not None
    budget = client.rate_budget
    assert budget["max"] == 190 and budget["remaining"] == 189
    assert budget["interval-milliseconds"] == 10_000
    assert budget["secondly"] == 19 and budget["secondly-remaining"] == 18
    assert budget["daily"] == 625_000 and budget["daily-remaining"] == 624_999


def test_client_waits_when_the_second_is_spent(portal: Portal) -> None:
    # 10 calls per 10 s -> 1 per second: after one call this second's budget is 0
    portal.sim.config = HubSpotSimConfig(token=TOKEN, rate_limits=True, burst_limit=10)
    portal.sim.limiter.reset()
    slept: list[float] = []
    client = _client(portal, slept)
    client.get_contact(portal.ids[0], ["email"])
    assert client.rate_budget["secondly-remaining"] == 0
    assert client.rate_budget["remaining"] == 9  # the 10-second window alone would not wait
    assert not slept
    client.get_contact(portal.ids[1], ["email"])
    assert 0.5 < sum(slept) <= 1.1
    assert client.stats.rate_limit_wait_s["hubspot"] > 0.5  # counted as rate-limit wait

"""Clients built from settings reach the sandbox with every Salesforce auth mode, and an expired
session is renewed (simple-salesforce's re-login for credential flows)."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import pytest

from connector.connections import hubspot_client, salesforce_client
from connector.errors import ConfigError
from connector.settings import Settings
from connector_sandbox.runner import Sandbox
from tests.jobs.conftest import WorldFactory


@pytest.mark.parametrize("auth", ["jwt", "client_credentials", "password"])
def test_salesforce_auth_modes_against_the_sandbox(
        sandbox: Sandbox, sandbox_settings: Settings,
        auth: Literal["jwt", "client_credentials", "password"]) -> None:
    settings = replace(sandbox_settings,
                       salesforce=replace(sandbox_settings.salesforce, auth=auth))
    client = salesforce_client(settings, endpoints=sandbox.endpoints)
    assert client.describe("Lead")["name"] == "Lead"
    sandbox.salesforce.expire_sessions()
    limits = client.refresh_limits()  # 401 INVALID_SESSION_ID -> re-login -> replay
    assert "DailyApiRequests" in limits
    assert client.budget.limit and client.budget.used is not None


def test_session_mode_is_refused_for_the_sandbox(sandbox: Sandbox,
                                                sandbox_settings: Settings) -> None:
    settings = replace(sandbox_settings,
                       salesforce=replace(sandbox_settings.salesforce, auth="session"))
    with pytest.raises(ConfigError):
        salesforce_client(settings, endpoints=sandbox.endpoints)


def test_live_mode_needs_secrets_from_the_environment(sandbox_settings,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUBSPOT_TOKEN", raising=False)
    settings = replace(sandbox_settings, hubspot=replace(sandbox_settings.hubspot, mode="live"))
    with pytest.raises(ConfigError, match="HUBSPOT_TOKEN"):
        hubspot_client(settings)


def test_client_pool_logs_in_once_across_runs(world_factory: WorldFactory) -> None:
    from connector.connections import ClientPool
    from connector.jobs.context import build_context
    from connector.jobs.handoff import HandoffJob

    world = world_factory(contacts=600)
    pool = ClientPool(world.settings, endpoints=world.sandbox.endpoints)
    contexts = []
    for _ in range(3):  # runs of one job are sequential (its lease): build, then run
        ctx = build_context(world.settings, endpoints=world.sandbox.endpoints, pool=pool,
                            job="handoff")
        assert ctx.salesforce.stats is ctx.stats and ctx.hubspot.stats is ctx.stats
        assert HandoffJob(ctx).run().status == "succeeded"
        contexts.append(ctx)
    assert contexts[0].salesforce is contexts[2].salesforce
    assert contexts[1].stats.total("salesforce") > 0  # each run counts its own calls
    assert world.sandbox.salesforce.counter.total("POST /services/oauth2/token") == 1
    for ctx in contexts:
        ctx.store.close()

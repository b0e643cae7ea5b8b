"""Salesforce logins: retried on 429 / 5xx (decided by the HTTP status, also for
simple-salesforce's own re-login mid-run), refused credentials named precisely, and
``salesforce.login_url`` reaching My Domain or any URL (here the sandbox) for every flow."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

import pytest

from connector.connections import login_route, salesforce_client
from connector.errors import AuthError
from connector.settings import SalesforceSettings, Settings
from connector_sandbox.faults import FaultRule
from connector_sandbox.runner import Sandbox

TOKEN = "POST /services/oauth2/token"
SOAP = "POST /services/Soap/u/*"
Auth = Literal["jwt", "client_credentials", "password"]


def with_auth(settings: Settings, auth: Auth, **kw: Any) -> Settings:
    return replace(settings, salesforce=replace(settings.salesforce, auth=auth, **kw))


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_login_answered_429_or_5xx_is_retried(sandbox: Sandbox, sandbox_settings: Settings,
                                                status: int) -> None:
    sandbox.salesforce.faults.add(FaultRule(match=TOKEN, fail_next=2, fail_status=status,
                                            retry_after=0))
    client = salesforce_client(sandbox_settings, endpoints=sandbox.endpoints)
    assert client.describe("Lead")["name"] == "Lead"
    assert sandbox.salesforce.counter.total(TOKEN) == 3
    assert client.stats.retries["salesforce"] == 2


def test_a_soap_login_answered_503_is_retried(sandbox: Sandbox,
                                              sandbox_settings: Settings) -> None:
    sandbox.salesforce.faults.add(FaultRule(match=SOAP, fail_next=1, fail_status=503))
    client = salesforce_client(with_auth(sandbox_settings, "password"),
                               endpoints=sandbox.endpoints)
    assert client.describe("Lead")["name"] == "Lead"
    assert sandbox.salesforce.counter.total(SOAP) == 2


def test_the_sdks_own_relogin_mid_run_is_retried_on_503(sandbox: Sandbox,
                                                         sandbox_settings: Settings) -> None:
    client = salesforce_client(sandbox_settings, endpoints=sandbox.endpoints)
    client.describe("Lead")
    sandbox.salesforce.expire_sessions()
    sandbox.salesforce.faults.add(FaultRule(match=TOKEN, fail_next=2, fail_status=503))
    assert "DailyApiRequests" in client.refresh_limits()  # 401 -> re-login 503, 503, 200
    assert sandbox.salesforce.counter.total(TOKEN) == 4


def live(sandbox: Sandbox, settings: Settings, auth: Auth, monkeypatch: pytest.MonkeyPatch,
         **kw: Any) -> Settings:
    ep = sandbox.endpoints
    monkeypatch.setenv("SF_CONSUMER_KEY", ep.sf_consumer_key)
    monkeypatch.setenv("SF_CLIENT_SECRET", ep.sf_client_secret)
    monkeypatch.setenv("SF_PASSWORD", ep.sf_password)
    monkeypatch.setenv("SF_SECURITY_TOKEN", ep.sf_security_token)
    fields: dict[str, Any] = {"mode": "live", "login_url": ep.salesforce_url,
                                 "ca_file": ep.ca_file, "username": ep.sf_username,
                                 "private_key_file": ep.sf_private_key_file, **kw}
    return with_auth(settings, auth, **fields)


@pytest.mark.parametrize("auth", ["jwt", "client_credentials", "password"])
def test_login_url_reaches_the_sandbox_in_live_mode(sandbox: Sandbox,
                                                    sandbox_settings: Settings, auth: Auth,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    settings = live(sandbox, sandbox_settings, auth, monkeypatch)
    client = salesforce_client(settings)
    assert client.describe("Lead")["name"] == "Lead"
    logins = sandbox.salesforce.counter.total(TOKEN) + sandbox.salesforce.counter.total(SOAP)
    assert logins == 1


@pytest.mark.parametrize(("auth", "env", "named"), [
    ("jwt", "SF_CONSUMER_KEY", "$SF_CONSUMER_KEY (salesforce.consumer_key_env)"),
    ("client_credentials", "SF_CLIENT_SECRET", "$SF_CLIENT_SECRET (salesforce.client_secret_env)"),
    ("password", "SF_PASSWORD", "$SF_PASSWORD (salesforce.password_env)"),
])
def test_refused_credentials_name_the_auth_mode_and_the_variable(
        sandbox: Sandbox, sandbox_settings: Settings, auth: Auth, env: str, named: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings = live(sandbox, sandbox_settings, auth, monkeypatch)
    monkeypatch.setenv(env, "wrong-value")
    client = salesforce_client(settings)
    with pytest.raises(AuthError) as info:
        client.describe("Lead")
    message = str(info.value)
    assert f"auth = '{auth}'" in message and named in message
    assert "wrong-value" not in message
    # a refusal is not retried (SOAP's INVALID_LOGIN comes as HTTP 500, still no retry)
    assert sandbox.salesforce.counter.total(TOKEN) + sandbox.salesforce.counter.total(SOAP) == 1


def test_login_route_for_my_domain() -> None:
    def route(auth: Auth, url: str) -> tuple[str, str | None]:
        return login_route(Settings(salesforce=SalesforceSettings(auth=auth, login_url=url)))

    assert route("client_credentials", "https://acme.my.salesforce.com") == ("acme.my", None)
    assert route("password", "https://acme.my.salesforce.com/") == ("acme.my", None)
    # JWT keeps its audience (login.salesforce.com) and posts the assertion to My Domain
    assert route("jwt", "https://acme.my.salesforce.com") == (
        "login", "https://acme.my.salesforce.com")
    assert route("client_credentials", "https://127.0.0.1:8443") == (
        "login-url.my", "https://127.0.0.1:8443")
    assert login_route(Settings()) == ("login", None)

"""Login flows and sessions through the unmodified simple-salesforce, over TLS."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceAuthenticationFailed, SalesforceExpiredSession

from connector_sandbox.salesforce import LoopbackSession
from connector_sandbox.salesforce.auth import generate_key_pair

from .helpers import SfSandbox, content


def test_soap_login_returns_a_session_on_this_server(sfx: SfSandbox) -> None:
    sf = sfx.soap_client()
    assert sf.sf_instance == sfx.url.removeprefix("https://")
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 0
    assert sfx.sim.counter.total("POST /services/Soap/u/*") == 1


def test_soap_login_with_a_bad_password_is_a_login_fault(sfx: SfSandbox) -> None:
    cfg = sfx.sim.config
    with pytest.raises(SalesforceAuthenticationFailed) as failed:
        Salesforce(username=cfg.username, password="wrong", security_token=cfg.security_token,
                   session=sfx.loopback())
    assert failed.value.code == "INVALID_LOGIN"
    assert "Invalid username, password, security token" in failed.value.auth_message


def test_jwt_bearer_login_with_the_generated_key(sfx: SfSandbox) -> None:
    sf = sfx.jwt_client()
    assert sf.Lead.create({"LastName": "Jwt", "Company": "Keys"})["success"] is True


def test_jwt_signed_with_another_key_is_refused(sfx: SfSandbox) -> None:
    other_private, _ = generate_key_pair()
    with pytest.raises(SalesforceAuthenticationFailed) as failed:
        Salesforce(username=sfx.sim.config.username, consumer_key=sfx.sim.config.consumer_key,
                   privatekey=other_private, session=sfx.loopback())
    assert failed.value.code == "invalid_grant"


def test_jwt_for_an_unknown_user_is_refused(sfx: SfSandbox) -> None:
    with warnings.catch_warnings(), pytest.raises(SalesforceAuthenticationFailed) as failed:
        warnings.simplefilter("ignore")  # simple-salesforce warns about approving the app
        Salesforce(username="someone@else.example", consumer_key=sfx.sim.config.consumer_key,
                   privatekey=sfx.sim.jwt_private_key_pem, session=sfx.loopback())
    assert failed.value.code == "invalid_grant"


def test_client_credentials_on_a_my_domain(sfx: SfSandbox) -> None:
    cfg = sfx.sim.config
    sf = Salesforce(consumer_key=cfg.consumer_key, consumer_secret=cfg.client_secret,
                    domain="mydomain.my", session=sfx.loopback())
    assert sf.query("SELECT Id FROM User WHERE Username = 'integration@sandbox.example'")[
        "totalSize"] == 1


def test_client_credentials_with_a_wrong_secret(sfx: SfSandbox) -> None:
    with pytest.raises(SalesforceAuthenticationFailed) as failed:
        Salesforce(consumer_key=sfx.sim.config.consumer_key, consumer_secret="nope",
                   domain="mydomain.my", session=sfx.loopback())
    assert failed.value.code == "invalid_client"


def test_loopback_session_with_an_explicit_mapping(sfx: SfSandbox) -> None:
    session = LoopbackSession({"https://login.salesforce.com": sfx.url}, ca_file=sfx.ca_file)
    assert session.rewrite("https://test.salesforce.com/x") == "https://test.salesforce.com/x"
    cfg = sfx.sim.config
    sf = Salesforce(username=cfg.username, password=cfg.password,
                    security_token=cfg.security_token, session=session)
    assert sf.limits()["DailyApiRequests"]["Max"] == cfg.daily_api_limit


@pytest.mark.parametrize("make_client", ["soap_client", "jwt_client"])
def test_expired_sessions_make_simple_salesforce_log_in_again(sfx: SfSandbox,
                                                              make_client: str) -> None:
    sf = getattr(sfx, make_client)()
    first = sf.session_id
    sf.Lead.create({"LastName": "Before", "Company": "Expiry"})
    assert sfx.sim.expire_sessions() >= 1
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 1  # 401, re-login, replay
    assert sf.session_id != first
    calls = sfx.sim.counter.snapshot()["by_status"]
    assert calls["GET /services/data/v59.0/query/ 401"] == 1
    assert sf.Lead.create({"LastName": "After", "Company": "Expiry"})["success"] is True


def test_a_direct_session_cannot_recover_from_expiry(sfx: SfSandbox) -> None:
    sf = sfx.direct()
    sf.query("SELECT Id FROM Lead")
    sfx.sim.expire_sessions()
    with pytest.raises(SalesforceExpiredSession) as expired:
        sf.query("SELECT Id FROM Lead")
    assert content(expired.value) == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


def test_a_missing_or_unknown_token_is_401(sfx: SfSandbox) -> None:
    with sfx.admin() as http:
        bare = http.get("/services/data/v59.0/limits/")
        unknown = http.get("/services/data/v59.0/limits/",
                           headers={"Authorization": "Bearer 00Dx!nope"})
    assert bare.status_code == unknown.status_code == 401
    assert unknown.json()[0]["errorCode"] == "INVALID_SESSION_ID"


def test_sessions_expire_after_their_ttl_on_the_simulator_clock(
        sf_factory: Callable[..., SfSandbox]) -> None:
    now = [datetime(2026, 11, 2, 9, 0, tzinfo=UTC)]
    box = sf_factory(clock=lambda: now[0], session_ttl_s=3600.0)
    direct, jwt = box.direct(), box.jwt_client()
    now[0] += timedelta(minutes=59)
    direct.query("SELECT Id FROM Lead")
    now[0] += timedelta(minutes=2)
    with pytest.raises(SalesforceExpiredSession):
        direct.query("SELECT Id FROM Lead")
    assert jwt.query("SELECT COUNT() FROM Lead")["totalSize"] == 0  # logged in again

"""Build the HubSpot and Salesforce clients from ``Settings``: the live systems (secrets from the
environment) or the sandbox (endpoints written by ``connector sandbox`` / ``start_sandbox``).

This is the only place that knows how credentials reach the SDKs. Nothing here logs a secret.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import requests
from simple_salesforce import Salesforce

from connector.callstats import CallStats
from connector.errors import ConfigError, Problem
from connector.hubspot.client import HubSpotClient
from connector.salesforce.client import SalesforceClient
from connector.sandbox_extra import require_sandbox
from connector.settings import Settings, secret


def sandbox_endpoints(settings: Settings) -> Any:
    require_sandbox("mode = 'sandbox' (the default without a config.toml)")
    from connector_sandbox.runner import SandboxEndpoints

    workdir = settings.path(settings.sandbox.workdir)
    try:
        return SandboxEndpoints.read(workdir)
    except FileNotFoundError:
        raise ConfigError([Problem(
            settings.source, "sandbox.workdir",
            f"no running sandbox found in {workdir} (mode = 'sandbox')",
            suggestion="start one with `connector sandbox` in another terminal, or run "
                       "`connector demo`")]) from None


def hubspot_client(settings: Settings, *, stats: CallStats | None = None,
                   endpoints: Any = None) -> HubSpotClient:
    hs = settings.hubspot
    if hs.mode == "sandbox":
        ep = endpoints or sandbox_endpoints(settings)
        host, token, ca = ep.hubspot_url, ep.hubspot_token, None
    else:
        host = hs.base_url
        token = secret(hs.token_env, hs.token_file, what="hubspot.token_env", file=settings.source)
        ca = hs.ca_file or None
    return HubSpotClient(host=host, token=token, ca_file=ca, tier=hs.tier,
                         burst_per_10s=hs.burst_per_10s, search_per_second=hs.search_per_second,
                         timeout_s=hs.timeout_s, max_attempts=hs.max_attempts, stats=stats)


def salesforce_client(settings: Settings, *, stats: CallStats | None = None,
                      endpoints: Any = None) -> SalesforceClient:
    sfs = settings.salesforce
    session: requests.Session
    if sfs.mode == "sandbox":
        require_sandbox("salesforce.mode = 'sandbox'")
        from connector_sandbox.salesforce import LoopbackSession

        ep = endpoints or sandbox_endpoints(settings)
        session = LoopbackSession(ep.salesforce_url, ca_file=ep.ca_file)
        kwargs = _sandbox_credentials(sfs.auth, ep)
    else:
        session = requests.Session()
        if sfs.ca_file:
            session.verify = sfs.ca_file
        kwargs = _live_credentials(settings)
    session.trust_env = False  # REQUESTS_CA_BUNDLE would silently override `verify`
    if sfs.auto_assign is False:
        # sent on every call, also on simple-salesforce's replay after a re-login
        session.headers["Sforce-Auto-Assign"] = "FALSE"

    def factory() -> Salesforce:
        return Salesforce(session=session, version=sfs.api_version, **kwargs)

    return SalesforceClient(factory, budget_share=sfs.api_budget_share, timeout_s=sfs.timeout_s,
                            max_attempts=sfs.max_attempts, stats=stats)


def _sandbox_credentials(auth: str, ep: Any) -> dict[str, Any]:
    if auth == "password":
        return {"username": ep.sf_username, "password": ep.sf_password,
                "security_token": ep.sf_security_token}
    if auth == "client_credentials":
        return {"consumer_key": ep.sf_consumer_key, "consumer_secret": ep.sf_client_secret,
                "domain": "sandbox.my"}
    if auth == "session":
        raise ConfigError("salesforce.auth = 'session' is not available with the sandbox",
                          file="config")
    return {"username": ep.sf_username, "consumer_key": ep.sf_consumer_key,
            "privatekey_file": ep.sf_private_key_file}


def _live_credentials(settings: Settings) -> dict[str, Any]:
    sfs, file = settings.salesforce, settings.source
    if sfs.auth == "jwt":
        if not sfs.private_key_file or not Path(sfs.private_key_file).exists():
            raise ConfigError([Problem(file, "salesforce.private_key_file",
                                       "JWT auth needs a readable private key file")])
        return {"username": sfs.username, "domain": sfs.login_domain,
                "consumer_key": secret(sfs.consumer_key_env, what="salesforce.consumer_key_env",
                                       file=file),
                "privatekey_file": sfs.private_key_file}
    if sfs.auth == "client_credentials":
        return {"domain": sfs.login_domain,
                "consumer_key": secret(sfs.consumer_key_env, what="salesforce.consumer_key_env",
                                       file=file),
                "consumer_secret": secret(sfs.client_secret_env,
                                          what="salesforce.client_secret_env", file=file)}
    if sfs.auth == "password":
        return {"username": sfs.username, "domain": sfs.login_domain,
                "password": secret(sfs.password_env, what="salesforce.password_env", file=file),
                "security_token": secret(sfs.security_token_env,
                                         what="salesforce.security_token_env", file=file)}
    if not sfs.instance_url:
        raise ConfigError([Problem(file, "salesforce.instance_url",
                                   "auth = 'session' needs instance_url")])
    return {"instance_url": sfs.instance_url,
            "session_id": secret(sfs.session_id_env, what="salesforce.session_id_env", file=file)}


class LiveSchemaSource:
    """The live schemas ``validate --live`` and ``setup`` read: HubSpot contact properties and
    Salesforce describes, through the same thin clients the jobs use (describes cached)."""

    def __init__(self, settings: Settings, *, endpoints: Any = None) -> None:
        self._settings = settings
        self._endpoints = endpoints
        self._hubspot: HubSpotClient | None = None
        self._salesforce: SalesforceClient | None = None
        self._describes: dict[str, dict[str, Any]] = {}

    @property
    def hubspot(self) -> HubSpotClient:
        if self._hubspot is None:
            self._hubspot = hubspot_client(self._settings, endpoints=self._endpoints)
        return self._hubspot

    def hubspot_properties(self) -> list[dict[str, Any]]:
        return self.hubspot.properties()

    def create_hubspot_property(self, body: dict[str, Any]) -> None:
        self.hubspot.create_property(body)

    def salesforce_describe(self, sobject: str) -> dict[str, Any]:
        if sobject not in self._describes:
            if self._salesforce is None:
                self._salesforce = salesforce_client(self._settings, endpoints=self._endpoints)
            self._describes[sobject] = self._salesforce.describe(sobject)
        return self._describes[sobject]


class ClientPool:
    """Clients kept across runs, one pair per job (the daemon's): no Salesforce login per run,
    and the HubSpot limiters remember the calls of the previous run. Each run gets its own
    ``CallStats`` (swapped in by ``clients``)."""

    def __init__(self, settings: Settings, *, endpoints: Any = None) -> None:
        self._settings, self._endpoints = settings, endpoints
        self._pairs: dict[str, tuple[HubSpotClient, SalesforceClient]] = {}
        self._lock = threading.Lock()

    def clients(self, job: str, stats: CallStats) -> tuple[HubSpotClient, SalesforceClient]:
        with self._lock:
            pair = self._pairs.get(job)
            if pair is None:
                pair = (hubspot_client(self._settings, stats=stats, endpoints=self._endpoints),
                        salesforce_client(self._settings, stats=stats,
                                          endpoints=self._endpoints))
                self._pairs[job] = pair
        for client in pair:
            client.stats = stats
        return pair

"""Build the HubSpot and Salesforce clients from ``Settings``: the live systems (secrets from the
environment) or the sandbox (endpoints written by ``connector sandbox`` / ``start_sandbox``).

This is the only place that knows how credentials reach the SDKs. Nothing here logs a secret.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from simple_salesforce import Salesforce

from connector.callstats import CallStats
from connector.errors import ConfigError, Problem
from connector.hubspot.client import HubSpotClient
from connector.salesforce.client import LOGIN_PATHS, ApiBudget, ResponseWatch, SalesforceClient
from connector.sandbox_extra import require_sandbox
from connector.settings import ENV_NAME, Settings, secret


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
        token_file = str(settings.path(hs.token_file)) if hs.token_file else ""
        token = secret(hs.token_env, token_file, what="hubspot.token_env", file=settings.source)
        ca = _ca_file(settings, "hubspot", hs.ca_file)
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
        domain, routed = login_route(settings)
        session = requests.Session() if routed is None else LoginRoutingSession(
            f"https://{domain}.salesforce.com", routed)
        ca = _ca_file(settings, "salesforce", sfs.ca_file)
        if ca:
            session.verify = ca
        kwargs = _live_credentials(settings, domain)
    session.trust_env = False  # REQUESTS_CA_BUNDLE would silently override `verify`
    if sfs.auto_assign is False:
        # sent on every call, also on simple-salesforce's replay after a re-login
        session.headers["Sforce-Auto-Assign"] = "FALSE"
    watch = ResponseWatch()  # login statuses (also the SDK's re-logins) and Retry-After hints
    session.hooks.setdefault("response", []).append(watch.hook)

    def factory() -> Salesforce:
        return Salesforce(session=session, version=sfs.api_version, **kwargs)

    return SalesforceClient(factory, budget_share=sfs.api_budget_share, timeout_s=sfs.timeout_s,
                            max_attempts=sfs.max_attempts, stats=stats, response_watch=watch,
                            auth_hint=auth_hint(settings))


class LoginRoutingSession(requests.Session):
    """Sends the logins simple-salesforce addresses to ``https://{domain}.salesforce.com`` to
    ``salesforce.login_url`` instead (My Domain, a proxy, the sandbox); every other request,
    e.g. to the instance URL the login returned, goes where it was addressed."""

    def __init__(self, origin: str, login_url: str) -> None:
        super().__init__()
        self.origin, self.login_url = origin.rstrip("/"), login_url.rstrip("/")

    def request(self, method: str | bytes, url: str | bytes,
                *args: Any, **kwargs: Any) -> requests.Response:
        verb = method.decode() if isinstance(method, bytes) else method
        text = url.decode() if isinstance(url, bytes) else str(url)
        if text.startswith(self.origin + "/") and any(
                p in text[len(self.origin):] for p in LOGIN_PATHS):
            text = self.login_url + text[len(self.origin):]
        return super().request(verb, text, *args, **kwargs)


def login_route(settings: Settings) -> tuple[str, str | None]:
    """(the ``domain`` simple-salesforce is given, the URL its logins are routed to or None).

    ``https://acme.my.salesforce.com`` is reached as ``domain = "acme.my"`` (so JWT's audience
    and client credentials' My Domain are right); any other URL through ``LoginRoutingSession``
    (client credentials needs a domain other than login / test: a placeholder then)."""
    sfs = settings.salesforce
    if not sfs.login_url:
        return sfs.login_domain, None
    parsed = urlsplit(sfs.login_url)
    host = parsed.hostname or ""
    if parsed.scheme == "https" and host.endswith(".salesforce.com") and not parsed.port \
            and sfs.auth != "jwt":
        return host.removesuffix(".salesforce.com"), None
    domain = sfs.login_domain
    if sfs.auth == "client_credentials" and domain in ("login", "test"):
        domain = "login-url.my"
    return domain, sfs.login_url


def auth_hint(settings: Settings) -> Callable[[str], str]:
    """What to check after a refused login, by error code: the auth mode and the setting or
    environment variable at fault (variable names only; a value is never shown)."""
    sfs = settings.salesforce
    mode = f"auth = '{sfs.auth}'" + (" (sandbox)" if sfs.mode == "sandbox" else "")

    def var(key: str) -> str:
        name = str(getattr(sfs, key))
        shown = f"${name} " if ENV_NAME.fullmatch(name) else ""
        return f"{shown}(salesforce.{key})"

    key_file = f"the key in salesforce.private_key_file ({sfs.private_key_file or 'unset'})"
    user = f"salesforce.username ({sfs.username or 'unset'})"
    where = f"salesforce.login_url ({sfs.login_url})" if sfs.login_url \
        else f"salesforce.login_domain ({sfs.login_domain})"
    culprits: dict[str, dict[str, str]] = {
        "jwt": {"invalid_client_id": f"the consumer key in {var('consumer_key_env')}",
                "invalid_grant": f"{user}, {key_file} (its certificate must be on the "
                                 f"connected app, the user pre-authorised) and {where}"},
        "client_credentials": {
            "invalid_client_id": f"the consumer key in {var('consumer_key_env')}",
            "invalid_client": f"the client secret in {var('client_secret_env')}",
            "invalid_grant": f"the connected app's run-as user and {where}"},
        "password": {
            "INVALID_LOGIN": f"{user}, the password in {var('password_env')} and the security "
                             f"token in {var('security_token_env')}",
            "LOGIN_MUST_USE_SECURITY_TOKEN": f"the security token in "
                                             f"{var('security_token_env')}",
            "invalid_grant": f"{user} and the password in {var('password_env')}"},
        "session": {"INVALID_SESSION_ID": f"the access token in {var('session_id_env')} "
                                          "(expired or revoked: a session cannot be renewed)"},
    }
    defaults = {"jwt": f"{user}, the consumer key in {var('consumer_key_env')} and {key_file}",
                "client_credentials": f"the consumer key in {var('consumer_key_env')} and the "
                                      f"client secret in {var('client_secret_env')}",
                "password": f"{user}, {var('password_env')} and {var('security_token_env')}",
                "session": f"the access token in {var('session_id_env')}"}

    def hint(code: str) -> str:
        culprit = culprits.get(sfs.auth, {}).get(code) or defaults.get(sfs.auth, where)
        return f"{mode}: check {culprit}"

    return hint


def _ca_file(settings: Settings, system: str, value: str) -> str | None:
    """The CA bundle to verify ``system``'s TLS with (None: the system store). A missing file
    is a config error here, not a TLS failure retried until the attempts run out."""
    if not value:
        return None
    path = settings.path(value)
    if not path.is_file():
        raise ConfigError([Problem(settings.source, f"{system}.ca_file",
                                   f"no such CA file: {path}")])
    return str(path)


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


def _live_credentials(settings: Settings, domain: str) -> dict[str, Any]:
    sfs, file = settings.salesforce, settings.source
    if sfs.auth == "jwt":
        key_file = settings.path(sfs.private_key_file) if sfs.private_key_file else None
        if key_file is None or not key_file.is_file():
            raise ConfigError([Problem(file, "salesforce.private_key_file",
                                       "JWT auth needs a readable private key file")])
        return {"username": sfs.username, "domain": domain,
                "consumer_key": secret(sfs.consumer_key_env, what="salesforce.consumer_key_env",
                                       file=file),
                "privatekey_file": str(key_file)}
    if sfs.auth == "client_credentials":
        return {"domain": domain,
                "consumer_key": secret(sfs.consumer_key_env, what="salesforce.consumer_key_env",
                                       file=file),
                "consumer_secret": secret(sfs.client_secret_env,
                                          what="salesforce.client_secret_env", file=file)}
    if sfs.auth == "password":
        return {"username": sfs.username, "domain": domain,
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
        self._budget: ApiBudget | None = None

    def clients(self, job: str, stats: CallStats) -> tuple[HubSpotClient, SalesforceClient]:
        with self._lock:
            pair = self._pairs.get(job)
            if pair is None:
                pair = (hubspot_client(self._settings, stats=stats, endpoints=self._endpoints),
                        salesforce_client(self._settings, stats=stats,
                                          endpoints=self._endpoints))
                # one org, one allowance: the jobs' clients reserve their calls in one budget
                if self._budget is None:
                    self._budget = pair[1].budget
                pair[1].budget = self._budget
                self._pairs[job] = pair
        for client in pair:
            client.stats = stats
        return pair

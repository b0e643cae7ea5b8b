"""Every value check of ``config.toml`` beyond its types, run whenever settings load (so the
daemon, every command and ``connector validate`` see the same problems), plus the secrets check
``validate`` adds as warnings.

Ranges: timeouts > 0 and finite, ``max_attempts`` >= 1, rates > 0, ports 0-65535, the lease
TTL between 3 s and a day; URL schemes; files that must exist (``ca_file``, and the key and
token files the live auth reads); schedules through the daemon's own parser; the state store
URL parsed the way the store will parse it. Pure but for looking at files.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from connector.schedules import parse_schedule
from connector.settings_paths import sqlite_file

if TYPE_CHECKING:
    from connector.settings import Settings

Report = Callable[[str, str, str], None]
"""report(section, key, message)"""

MIN_LEASE_TTL_S = 3
MAX_LEASE_TTL_S = 86_400
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOMAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*")


def check_values(settings: Settings, bad: Report) -> None:
    _numbers(settings, bad)
    _urls(settings, bad)
    _files(settings, bad)
    _store(settings, bad)
    _schedules(settings, bad)
    _names(settings, bad)


def _positive(value: float) -> bool:
    return math.isfinite(value) and value > 0


def _non_negative(value: float) -> bool:
    return math.isfinite(value) and value >= 0


def _numbers(s: Settings, bad: Report) -> None:
    hs, sf, fb, d, sb = s.hubspot, s.salesforce, s.feedback, s.daemon, s.sandbox
    checks: list[tuple[str, str, bool, str]] = [
        ("hubspot", "timeout_s", _positive(hs.timeout_s), "must be a finite number above 0"),
        ("hubspot", "max_attempts", hs.max_attempts >= 1, "must be at least 1"),
        ("hubspot", "search_per_second", _positive(hs.search_per_second),
         "must be a finite number above 0"),
        ("hubspot", "burst_per_10s", hs.burst_per_10s >= 0, "must not be negative (0 = auto)"),
        ("salesforce", "timeout_s", _positive(sf.timeout_s), "must be a finite number above 0"),
        ("salesforce", "max_attempts", sf.max_attempts >= 1, "must be at least 1"),
        ("feedback", "overlap_seconds", fb.overlap_seconds >= 0, "must not be negative"),
        ("feedback", "hubspot_batch_size", 1 <= fb.hubspot_batch_size <= 100,
         "HubSpot batch writes take 1..100 inputs"),
        ("daemon", "lease_ttl_seconds", MIN_LEASE_TTL_S <= d.lease_ttl_seconds <= MAX_LEASE_TTL_S,
         f"must be between {MIN_LEASE_TTL_S} and {MAX_LEASE_TTL_S} seconds"),
        ("daemon", "jitter_seconds", d.jitter_seconds >= 0, "must not be negative"),
        ("daemon", "misfire_grace_seconds", d.misfire_grace_seconds >= 1, "must be at least 1"),
        ("daemon", "health_window_seconds", d.health_window_seconds >= 1, "must be at least 1"),
        ("daemon", "shutdown_timeout_seconds", d.shutdown_timeout_seconds >= 1,
         "must be at least 1"),
        ("daemon", "metrics_port", 0 <= d.metrics_port <= 65535,
         "must be a TCP port 0-65535 (0 = any free)"),
        ("sandbox", "hubspot_port", 0 <= sb.hubspot_port <= 65535,
         "must be a TCP port 0-65535 (0 = any free)"),
        ("sandbox", "salesforce_port", 0 <= sb.salesforce_port <= 65535,
         "must be a TCP port 0-65535 (0 = any free)"),
        ("sandbox", "contacts", sb.contacts >= 0, "must not be negative"),
        ("sandbox", "existing_leads", sb.existing_leads >= 0, "must not be negative"),
        ("sandbox", "existing_contacts", sb.existing_contacts >= 0, "must not be negative"),
        ("sandbox", "search_lag_seconds", _non_negative(sb.search_lag_seconds),
         "must be a finite number, 0 or more"),
    ]
    for section, key, ok, message in checks:
        if not ok:
            bad(section, key, message)
    if not math.isfinite(s.salesforce.api_budget_share):
        bad("salesforce", "api_budget_share", "must be a share in (0, 1]")


def _urls(s: Settings, bad: Report) -> None:
    _url(s.hubspot.base_url, "hubspot", "base_url", bad, schemes=("https", "http"))
    if s.salesforce.instance_url:
        _url(s.salesforce.instance_url, "salesforce", "instance_url", bad, schemes=("https",))
    if s.salesforce.login_url:
        _url(s.salesforce.login_url, "salesforce", "login_url", bad, schemes=("https", "http"))
    domain = s.salesforce.login_domain
    if not _DOMAIN.fullmatch(domain):
        bad("salesforce", "login_domain",
            f"{domain!r} is not a domain prefix: use login, test or <mydomain>.my "
            "(no scheme, no slashes)")
    if s.salesforce.mode == "live" and s.salesforce.auth == "session" \
            and not s.salesforce.instance_url:
        bad("salesforce", "instance_url", "auth = 'session' needs instance_url")


def _url(value: str, section: str, key: str, bad: Report, *, schemes: tuple[str, ...]) -> None:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        bad(section, key, f"not a URL: {value!r} ({exc})")
        return
    if parts.scheme not in schemes or not parts.hostname:
        bad(section, key, f"{value!r} must be an {' or '.join(schemes)}:// URL with a host")


def _files(s: Settings, bad: Report) -> None:
    hs, sf = s.hubspot, s.salesforce
    wanted = [("hubspot", "ca_file", hs.ca_file), ("salesforce", "ca_file", sf.ca_file)]
    if hs.mode == "live":
        wanted.append(("hubspot", "token_file", hs.token_file))
    if sf.mode == "live" and sf.auth == "jwt":
        wanted.append(("salesforce", "private_key_file", sf.private_key_file))
        if not sf.private_key_file:
            bad("salesforce", "private_key_file", "auth = 'jwt' needs the private key file")
    for section, key, value in wanted:
        if value and not Path(value).is_file():
            bad(section, key, f"no such file: {value}")


def _store(s: Settings, bad: Report) -> None:
    url = s.store.url
    if not url.startswith(("sqlite", "postgresql")):
        return  # the scheme check in ``settings`` reports it
    try:
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        port = parsed.port
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises ArgumentError or ValueError
        bad("store", "url", f"not a database URL: {_first_line(exc)}")
        return
    if port is not None and not 1 <= port <= 65535:
        bad("store", "url", f"port {port} is not a TCP port (1-65535)")
    if parsed.get_backend_name() == "postgresql" and not parsed.host and not parsed.query:
        bad("store", "url", "a PostgreSQL URL needs a host: postgresql+psycopg://user@host/db")
    path = sqlite_file(url)
    if path is not None and not path.parent.is_dir():
        bad("store", "url", f"the folder of the SQLite file does not exist: {path.parent}")


def _schedules(s: Settings, bad: Report) -> None:
    for key in ("handoff_schedule", "feedback_schedule"):
        try:
            parse_schedule(getattr(s.daemon, key), jitter_s=max(0, s.daemon.jitter_seconds))
        except ValueError as exc:
            bad("daemon", key, f"{exc} (e.g. \"interval:30s\" or \"cron:*/5 * * * *\")")


def _names(s: Settings, bad: Report) -> None:
    if not _IDENTIFIER.fullmatch(s.salesforce.external_id_field):
        bad("salesforce", "external_id_field",
            f"{s.salesforce.external_id_field!r} is not a Salesforce field name")
    if not re.fullmatch(r"\d{2,3}\.0", s.salesforce.api_version):
        bad("salesforce", "api_version", f"{s.salesforce.api_version!r}: expected e.g. '59.0'")
    if not s.hubspot.properties:
        bad("hubspot", "properties", "must list the contact properties to pull")
    for section, key, name in (
        ("hubspot", "token_env", s.hubspot.token_env),
        ("salesforce", "consumer_key_env", s.salesforce.consumer_key_env),
        ("salesforce", "client_secret_env", s.salesforce.client_secret_env),
        ("salesforce", "password_env", s.salesforce.password_env),
        ("salesforce", "security_token_env", s.salesforce.security_token_env),
        ("salesforce", "session_id_env", s.salesforce.session_id_env),
    ):
        if name and not _ENV_NAME.fullmatch(name):
            bad(section, key, f"{name!r} is not an environment variable name (the TOML names "
                              "the variable; the secret itself goes in the environment)")


def missing_secrets(s: Settings) -> list[tuple[str, str]]:
    """(key, message) of each secret the live configuration needs but the environment (or the
    named file) does not hold. ``validate`` reports them as warnings: the daemon may run with
    another environment than the admin's shell."""
    out: list[tuple[str, str]] = []

    def need(key: str, env: str) -> None:
        if not os.environ.get(env):
            out.append((key, f"environment variable {env or '?'} is not set"))

    if s.hubspot.mode == "live" and not s.hubspot.token_file:
        need("hubspot.token_env", s.hubspot.token_env)
    sf = s.salesforce
    if sf.mode == "live":
        if sf.auth in ("jwt", "client_credentials"):
            need("salesforce.consumer_key_env", sf.consumer_key_env)
        if sf.auth == "client_credentials":
            need("salesforce.client_secret_env", sf.client_secret_env)
        if sf.auth == "password":
            need("salesforce.password_env", sf.password_env)
            need("salesforce.security_token_env", sf.security_token_env)
        if sf.auth == "session":
            need("salesforce.session_id_env", sf.session_id_env)
    return out


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

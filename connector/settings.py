"""config.toml -> typed, immutable ``Settings``. Every problem is reported at once, with file, key
and line. Secrets are never in the TOML: only the *names* of environment variables (or files)
that hold them, resolved at the edge by ``secret()``.

Lookup order for the config file: ``--config``, ``$CONNECTOR_CONFIG``, ``./config.toml``; with
none of them the built-in defaults apply: the embedded sandbox and ``sqlite:///connector.db``.
Relative paths in a config file resolve from that file's folder (``settings_paths``); value
checks beyond types live in ``settings_checks``.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from connector.datetimes import parse_instant
from connector.errors import ConfigError, Problem
from connector.problems import did_you_mean
from connector.settings_checks import check_values
from connector.settings_paths import resolve_paths
from connector.toml_lines import key_lines, line_of

DEFAULT_PULLED_PROPERTIES: tuple[str, ...] = (
    "email", "firstname", "lastname", "company", "jobtitle", "phone", "city", "state",
    "country", "website", "industry", "numemployees", "annualrevenue", "lifecyclestage",
    "hs_lead_status", "hs_email_domain", "hs_analytics_source", "hs_analytics_num_page_views",
    "hs_analytics_num_visits", "hs_analytics_last_visit_timestamp", "num_conversion_events",
    "recent_conversion_event_name", "recent_conversion_date", "first_conversion_event_name",
    "first_conversion_date", "hs_email_click", "hs_email_last_click_date", "hs_email_optout",
    "hs_seniority", "hs_role", "purchase_timeline", "budget_range", "pain_point",
    "pricing_page_views", "last_pricing_page_visit", "demo_requested", "createdate",
    "lastmodifieddate", "hs_object_id",
)


@dataclass(frozen=True)
class StoreSettings:
    url: str = "sqlite:///connector.db"


@dataclass(frozen=True)
class HubSpotSettings:
    mode: Literal["sandbox", "live"] = "sandbox"
    base_url: str = "https://api.hubapi.com"
    token_env: str = "HUBSPOT_TOKEN"
    token_file: str = ""
    tier: Literal["free", "starter", "pro", "enterprise"] = "pro"
    burst_per_10s: int = 0
    """client-side cap per 10 s; 0 = 90 % of the tier's limit."""
    search_per_second: float = 4.0
    timeout_s: float = 30.0
    max_attempts: int = 6
    ca_file: str = ""
    properties: tuple[str, ...] = DEFAULT_PULLED_PROPERTIES


@dataclass(frozen=True)
class SalesforceSettings:
    mode: Literal["sandbox", "live"] = "sandbox"
    auth: Literal["jwt", "client_credentials", "password", "session"] = "jwt"
    login_domain: str = "login"
    """``login``, ``test`` or ``<mydomain>.my`` (client credentials needs My Domain)."""
    login_url: str = ""
    """Where logins go, e.g. ``https://acme.my.salesforce.com`` (My Domain) or any https URL
    (a proxy, the sandbox); empty: ``https://{login_domain}.salesforce.com``."""
    instance_url: str = ""
    username: str = ""
    consumer_key_env: str = "SF_CONSUMER_KEY"
    private_key_file: str = ""
    client_secret_env: str = "SF_CLIENT_SECRET"
    password_env: str = "SF_PASSWORD"
    security_token_env: str = "SF_SECURITY_TOKEN"
    session_id_env: str = "SF_SESSION_ID"
    api_version: str = "59.0"
    ca_file: str = ""
    timeout_s: float = 60.0
    max_attempts: int = 6
    external_id_field: str = "HubSpot_Contact_Id__c"
    api_budget_share: float = 0.5
    """stop before this run would push the org's daily API usage above this share."""
    auto_assign: bool = True
    """send ``Sforce-Auto-Assign: TRUE`` so the org's lead assignment rule sets the owner."""


@dataclass(frozen=True)
class MappingSettings:
    qualification: str = "mappings/qualification.toml"
    lead: str = "mappings/lead.toml"
    feedback: str = "mappings/feedback.toml"
    receipt: str = ""
    """what the handoff writes back to HubSpot; unset: see ``receipt_mapping_path``."""


#: The receipt mapping shipped with the connector (today's write-back).
SHIPPED_RECEIPT_MAPPING = Path(__file__).resolve().parents[1] / "mappings" / "receipt.toml"


def receipt_mapping_path(receipt: str | Path | None, lead: str | Path) -> Path:
    """The receipt mapping: ``receipt`` when set, else ``receipt.toml`` beside the lead mapping
    when there is one, else the shipped one (so a config from before the receipt mapping keeps
    today's write-back)."""
    if receipt:
        return Path(receipt)
    beside = Path(lead).parent / "receipt.toml"
    return beside if beside.exists() else SHIPPED_RECEIPT_MAPPING


@dataclass(frozen=True)
class HandoffSettings:
    start_date: str = "2020-01-01T00:00:00Z"
    overlap_seconds: int = 120
    search_page_size: int = 200
    window_cap: int = 9_800
    batch_size: int = 400
    """qualified leads per batch (one commit); pushed in collections of salesforce_batch_size."""
    hubspot_batch_size: int = 100
    salesforce_batch_size: int = 200
    existing_contact_task: bool = False
    task_subject: str = "Marketing-qualified lead matches your contact: follow up"
    explore_share: float = 0.0
    """share of gate-passing leads the handoff rule holds back that are handed off anyway, at
    random, as "exploration" (an unbiased outcome sample for the report; see docs/report.md)."""
    explore_seed: str = "explore"


@dataclass(frozen=True)
class FeedbackSettings:
    start_date: str = "2020-01-01T00:00:00Z"
    overlap_seconds: int = 60
    hubspot_batch_size: int = 100


@dataclass(frozen=True)
class DaemonSettings:
    handoff_schedule: str = "interval:30s"
    feedback_schedule: str = "interval:5m"
    jitter_seconds: int = 3
    misfire_grace_seconds: int = 60
    lease_ttl_seconds: int = 60
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 9108
    health_window_seconds: int = 900
    instance_id: str = ""
    shutdown_timeout_seconds: int = 30


@dataclass(frozen=True)
class SandboxSettings:
    seed: int = 7
    contacts: int = 2_000
    existing_leads: int = 60
    existing_contacts: int = 40
    workdir: str = ".sandbox"
    hubspot_port: int = 8081
    salesforce_port: int = 8443
    search_lag_seconds: float = 0.0


@dataclass(frozen=True)
class Settings:
    store: StoreSettings = field(default_factory=StoreSettings)
    hubspot: HubSpotSettings = field(default_factory=HubSpotSettings)
    salesforce: SalesforceSettings = field(default_factory=SalesforceSettings)
    mappings: MappingSettings = field(default_factory=MappingSettings)
    handoff: HandoffSettings = field(default_factory=HandoffSettings)
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)
    daemon: DaemonSettings = field(default_factory=DaemonSettings)
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)
    source: str = "<defaults>"
    base_dir: str = "."

    def path(self, relative: str) -> Path:
        """Resolve a path from the config relative to the config file's folder."""
        p = Path(relative)
        return p if p.is_absolute() else Path(self.base_dir) / p

    def with_store(self, url: str) -> Settings:
        return replace(self, store=replace(self.store, url=url))


def parse_datetime(value: str) -> datetime:
    """ISO-8601 (``Z`` allowed) or a date; naive values are taken as UTC (``ValueError`` if
    neither)."""
    return parse_instant(value)


def secret(env_name: str, file_path: str = "", *, what: str, file: str = "config") -> str:
    """Read a secret from a file or an environment variable; never from the TOML itself."""
    if file_path:
        try:
            return Path(file_path).read_text().strip()
        except OSError as exc:
            problem = Problem(file, what, f"cannot read secret file: {exc.strerror}")
            raise ConfigError([problem]) from None
    value = os.environ.get(env_name, "") if env_name else ""
    if not value:
        if env_name and not ENV_NAME.fullmatch(env_name):
            # most likely the secret itself was pasted where its variable's NAME belongs:
            # never echo it (not in this message, not in a log)
            raise ConfigError([Problem(file, what, "does not name a set environment variable "
                                       "(value not shown: it may be the secret itself)",
                                       suggestion="put the variable's NAME here, e.g. "
                                                  "SALESFORCE_PASSWORD, and the secret in it")])
        raise ConfigError([Problem(file, what, f"environment variable {env_name or '?'} is not set",
                                   suggestion=f"export {env_name}=...")])
    return value


ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,127}")
"""What an environment variable's name conventionally looks like (safe to echo)."""


def _line_of(text: str, section: str, key: str) -> int | None:
    return line_of(_key_lines(text), f"{section}.{key}" if section else key)


_key_lines = functools.lru_cache(maxsize=8)(key_lines)
"""The shared TOML locator, scanned once per config text."""


def _coerce(value: Any, kind: Any) -> tuple[bool, Any]:
    origin = get_origin(kind)
    if origin is Literal:
        return (value in get_args(kind), value)
    if origin in (tuple,):
        item = get_args(kind)[0]
        if isinstance(value, list) and all(isinstance(v, item) for v in value):
            return True, tuple(value)
        return False, value
    if origin in (types.UnionType, typing.Union):
        return any(_coerce(value, k)[0] for k in get_args(kind)), value
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool), float(value) \
            if isinstance(value, int | float) else value
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if kind is bool:
        return isinstance(value, bool), value
    if kind is str:
        return isinstance(value, str), value
    return True, value


def _section(cls: type, data: Any, name: str, file: str, text: str,
             problems: list[Problem]) -> Any:
    if not isinstance(data, dict):
        problems.append(Problem(file, name, "must be a table", line=_line_of(text, "", name)))
        return cls()
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, raw in data.items():
        line = _line_of(text, name, key)
        if key not in known:
            problems.append(Problem(file, f"{name}.{key}", "unknown key", line=line,
                                    suggestion=did_you_mean(key, known)))
            continue
        ok, value = _coerce(raw, hints[key])
        if not ok:
            problems.append(Problem(file, f"{name}.{key}",
                                    f"expected {_describe(hints[key])}, got {raw!r}", line=line))
            continue
        values[key] = value
    return cls(**values)


def _describe(kind: Any) -> str:
    if get_origin(kind) is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(kind))
    if get_origin(kind) is tuple:
        return f"a list of {get_args(kind)[0].__name__}"
    return getattr(kind, "__name__", str(kind))


def _check(settings: Settings, file: str, text: str, problems: list[Problem]) -> None:
    def bad(section: str, key: str, message: str) -> None:
        problems.append(Problem(file, f"{section}.{key}", message,
                                line=_line_of(text, section, key)))

    for section, key, value in (
        ("handoff", "start_date", settings.handoff.start_date),
        ("feedback", "start_date", settings.feedback.start_date),
    ):
        try:
            parse_datetime(value)
        except ValueError:
            bad(section, key, f"not an ISO-8601 date or datetime: {value!r}")
    if not 1 <= settings.handoff.search_page_size <= 200:
        bad("handoff", "search_page_size", "HubSpot search pages hold 1..200 results")
    if not 1 <= settings.handoff.hubspot_batch_size <= 100:
        bad("handoff", "hubspot_batch_size", "HubSpot batch writes take 1..100 inputs")
    if not 1 <= settings.handoff.batch_size <= 1000:
        bad("handoff", "batch_size", "must be between 1 and 1000 qualified leads")
    if not 1 <= settings.handoff.salesforce_batch_size <= 200:
        bad("handoff", "salesforce_batch_size", "sObject Collections take 1..200 records")
    if not 1_000 <= settings.handoff.window_cap <= 10_000:
        bad("handoff", "window_cap", "must be between 1000 and 10000 (HubSpot's search cap)")
    if settings.handoff.overlap_seconds < 0:
        bad("handoff", "overlap_seconds", "must not be negative")
    if not 0.0 <= settings.handoff.explore_share <= 0.5:
        bad("handoff", "explore_share", "must be a share in [0, 0.5] (e.g. 0.05)")
    if not 0 < settings.salesforce.api_budget_share <= 1:
        bad("salesforce", "api_budget_share", "must be a share in (0, 1]")
    if not settings.store.url.startswith(("sqlite", "postgresql")):
        bad("store", "url", "only sqlite:/// and postgresql+psycopg:// URLs are supported")
    if settings.salesforce.mode == "live" and not settings.salesforce.username \
            and settings.salesforce.auth in ("jwt", "password"):
        bad("salesforce", "username", f"required for auth = {settings.salesforce.auth!r}")
    check_values(settings, bad)


SECTIONS: dict[str, type] = {
    "store": StoreSettings, "hubspot": HubSpotSettings, "salesforce": SalesforceSettings,
    "mappings": MappingSettings, "handoff": HandoffSettings, "feedback": FeedbackSettings,
    "daemon": DaemonSettings, "sandbox": SandboxSettings,
}


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Load and validate settings; raise ``ConfigError`` listing every problem."""
    settings, problems = inspect_settings(path)
    ConfigError.raise_if_any(problems)
    return settings


def inspect_settings(path: str | os.PathLike[str] | None = None
                     ) -> tuple[Settings, list[Problem]]:
    """The settings as far as they load (a bad value keeps its default) and every problem found;
    ``ConfigError`` only when the file cannot be read or parsed at all."""
    candidate = path or os.environ.get("CONNECTOR_CONFIG") or (
        "config.toml" if Path("config.toml").exists() else None)
    if candidate is None:
        return Settings(), []
    file = str(candidate)
    try:
        text = Path(file).read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError([Problem(file, "", f"cannot read config: {exc.strerror}")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(file, "", f"not UTF-8 text (byte {exc.start}: {exc.reason}); "
                                             "TOML files must be UTF-8")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([Problem(file, "", f"invalid TOML: {exc}")]) from None
    problems: list[Problem] = []
    parts: dict[str, Any] = {}
    for name, raw in data.items():
        if name not in SECTIONS:
            problems.append(Problem(file, name, "unknown section", line=_line_of(text, "", name),
                                    suggestion=did_you_mean(name, SECTIONS)))
            continue
        parts[name] = _section(SECTIONS[name], raw, name, file, text, problems)
    settings = resolve_paths(Settings(**parts, source=file,
                                      base_dir=str(Path(file).resolve().parent)))
    _check(settings, file, text, problems)
    return settings, problems


def defaults_of(cls: type) -> dict[str, Any]:
    """Default values of a settings section (used by docs and ``config.example.toml`` tests)."""
    out: dict[str, Any] = {}
    for f in fields(cls):
        if f.default is not MISSING:
            out[f.name] = f.default
    return out

"""Configuration of the Salesforce simulator: the frozen start-up config and the settings that
tests may change at run time (``PATCH /__sandbox__/config``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ValidationRule:
    """A Salesforce validation rule: when ``error_condition(record)`` is true the save fails with
    ``FIELD_CUSTOM_VALIDATION_EXCEPTION`` and ``error_message`` (on ``error_field`` if given).
    ``record`` is the record as it would be saved (canonical field names, stored values)."""

    name: str
    sobject: str
    error_condition: Callable[[Mapping[str, Any]], bool]
    error_message: str
    error_field: str | None = None
    active: bool = True


@dataclass(frozen=True)
class SalesforceSimConfig:
    external_id_field: str = "HubSpot_Contact_Id__c"
    api_version: str = "59.0"
    daily_api_limit: int = 100_000
    """``/limits`` DailyApiRequests.Max; 403 REQUEST_LIMIT_EXCEEDED once spent."""
    session_ttl_s: float = 7200.0
    query_page_size: int = 2000
    lead_email_duplicate_rule: bool = True
    """DUPLICATES_DETECTED when a Lead is saved with the email of another Lead."""
    username: str = "integration@sandbox.example"
    password: str = "sandbox-password"
    security_token: str = "sandboxtoken"
    consumer_key: str = "sandbox-consumer-key"
    client_secret: str = "sandbox-client-secret"
    jwt_public_key_pem: str | None = None
    """PEM of the connected app's certificate key; None: the simulator makes an RSA key pair."""
    clock: Callable[[], datetime] | None = None
    """UTC clock for timestamps, session expiry and the daily API window; None = real time."""
    seed: int = 0
    validation_rules: tuple[ValidationRule, ...] = ()
    external_id_unique: bool = True
    """False makes the external id field non-unique, so upserts can match several records."""
    sales_reps: int = 5
    """How many active sales-rep Users the Lead assignment rule rotates over."""
    org_name: str = "Lead Handoff Sandbox"


@dataclass
class RuntimeSettings:
    """The knobs a running test may turn; ``reset()`` restores them from the config."""

    daily_api_limit: int
    session_ttl_s: float
    query_page_size: int
    lead_email_duplicate_rule: bool
    validation_rules: list[ValidationRule] = field(default_factory=list)
    lock_failures: int = 0
    """The next N records written fail with UNABLE_TO_LOCK_ROW (row lock contention)."""

    @classmethod
    def from_config(cls, config: SalesforceSimConfig) -> RuntimeSettings:
        return cls(config.daily_api_limit, config.session_ttl_s, config.query_page_size,
                   config.lead_email_duplicate_rule, list(config.validation_rules))

    def patch(self, changes: Mapping[str, Any]) -> None:
        """Apply ``{name: value}``; unknown names or bad values raise ``ValueError``."""
        casts: dict[str, Callable[[Any], Any]] = {
            "daily_api_limit": _positive_int, "session_ttl_s": float,
            "query_page_size": _page_size, "lead_email_duplicate_rule": _strict_bool,
            "lock_failures": _positive_int}
        unknown = sorted(set(changes) - set(casts))
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(unknown)}")
        converted = {name: casts[name](value) for name, value in changes.items()}
        for name, value in converted.items():
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        return {"daily_api_limit": self.daily_api_limit, "session_ttl_s": self.session_ttl_s,
                "query_page_size": self.query_page_size,
                "lead_email_duplicate_rule": self.lead_email_duplicate_rule,
                "lock_failures": self.lock_failures,
                "validation_rules": [r.name for r in self.validation_rules]}


def _positive_int(value: Any) -> int:
    number = int(value)
    if number < 0 or isinstance(value, bool):
        raise ValueError(f"expected a non-negative integer, got {value!r}")
    return number


def _page_size(value: Any) -> int:
    number = _positive_int(value)
    if not 1 <= number <= 2000:
        raise ValueError("query_page_size must be between 1 and 2000")
    return number


def _strict_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value

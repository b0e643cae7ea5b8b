"""Configuration of the HubSpot simulator and the per-tier API limits (facts sheet A7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, Literal

Tier = Literal["free", "starter", "pro", "enterprise"]

BURST_INTERVAL_MS = 10_000
PORTAL_ID = 24_681_357
"""the simulated account (``portalId``), as it appears in record ``url``s."""
APP_ID = "3141592"
"""the simulated private app: ``hs_object_source_id`` of the records it creates."""
SANDBOX_USER_ID = "77001234"
"""the user behind the private app: ``createdUserId`` of the properties it creates."""
# tier -> (requests per 10 s per private app, requests per day per account)
TIER_LIMITS: dict[str, tuple[int, int]] = {
    "free": (100, 250_000),
    "starter": (100, 250_000),
    "pro": (190, 625_000),
    "enterprise": (190, 1_000_000),
}
# fields that PATCH /__sandbox__/config may change at run time
RUNTIME_FIELDS = frozenset({
    "clock",  # in-process only (JSON cannot carry a callable)
    "rate_limits", "search_lag_s", "daily_limit", "burst_limit", "search_per_second",
    "tier", "max_filter_groups", "max_filters_per_group", "max_filters_total",
    "max_search_results", "token",
})


@dataclass(frozen=True)
class HubSpotSimConfig:
    """How the simulated portal behaves. Defaults follow the facts sheet."""

    token: str = "pat-sandbox-token"
    tier: Tier = "pro"
    rate_limits: bool = True
    daily_limit: int | None = None
    """override the tier's daily cap (tests set it small)."""
    burst_limit: int | None = None
    """override the tier's requests per 10 s."""
    search_per_second: int = 5
    search_lag_s: float = 0.0
    """records show up in search this long after a write."""
    max_filter_groups: int = 5
    max_filters_per_group: int = 6
    max_filters_total: int = 18
    max_search_results: int = 10_000
    clock: Callable[[], datetime] | None = None
    """returns the current UTC datetime; default real time."""
    seed: int = 0

    def __post_init__(self) -> None:
        if self.tier not in TIER_LIMITS:
            raise ValueError(f"unknown tier {self.tier!r}; expected one of {sorted(TIER_LIMITS)}")

    @property
    def burst_max(self) -> int:
        return self.burst_limit if self.burst_limit is not None else TIER_LIMITS[self.tier][0]

    @property
    def daily_max(self) -> int:
        return self.daily_limit if self.daily_limit is not None else TIER_LIMITS[self.tier][1]

    def with_changes(self, changes: dict[str, Any]) -> HubSpotSimConfig:
        """A copy with run-time changes applied; unknown or fixed fields raise ``ValueError``."""
        bad = sorted(set(changes) - RUNTIME_FIELDS)
        if bad:
            raise ValueError(f"cannot change {bad}; changeable: {sorted(RUNTIME_FIELDS)}")
        return replace(self, **changes)

    def public_dict(self) -> dict[str, Any]:
        """The settings as JSON-able values (no clock, no token), for the admin API."""
        hidden = {"clock", "token"}
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in hidden}
        out["burst_max"], out["daily_max"] = self.burst_max, self.daily_max
        return out

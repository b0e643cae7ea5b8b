"""``HubSpotSimulator``: the simulated portal, its ASGI app, and in-process access for tests.

    sim = HubSpotSimulator(HubSpotSimConfig(tier="pro"))
    sim.seed_contacts(2_000, seed=7)
    served = serve_in_thread(sim.app)            # or sim.serve()
    hs = HubSpot(access_token=sim.config.token, host=served.url)

The app is ``SandboxMiddleware`` (call counting, injected faults rendered as HubSpot bodies)
around ``HubSpotGate`` (auth, rate limits, headers) around the Starlette routes.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException

from ..faults import CallCounter, FaultInjector, SandboxMiddleware
from ..server import ServedApp, TestCA, serve_in_thread
from ..synthetic import generate_contacts
from .admin import admin_routes
from .batch import BatchOps
from .config import HubSpotSimConfig
from .crm_routes import CrmApi
from .deals import DealOps, DealStore, deal_properties
from .errors import ApiError, dumps, rate_limit_body, status_body
from .gate import HubSpotGate, is_search
from .objects import ObjectOps
from .properties import PropertyRegistry
from .property_api import PropertyOps
from .ratelimit import RateLimiter
from .routes import PublicApi, endpoint_of, on_api_error, on_http_error
from .search import SearchEngine
from .store import ContactStore
from .timefmt import clock_ms, from_ms, to_ms

_CACHED_SEED_MAX = 20_000


@functools.lru_cache(maxsize=16)
def _synthetic_rows(count: int, seed: int, start_ms: int) -> tuple[tuple[dict[str, str], float],
                                                                    ...]:
    """Generated contacts, memoized: test fixtures re-seed the same portal over and over. The
    dicts are shared, never mutated (the store copies them)."""
    return tuple((c.properties, c.intent)
                 for c in generate_contacts(count, seed, from_ms(start_ms)))


# the request being faulted: lets the error renderer shape search vs. other responses
_current_call: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar(
    "hubspot_sim_call", default=("GET", "/"))


class HubSpotSimulator:
    def __init__(self, config: HubSpotSimConfig | None = None) -> None:
        self.config = config or HubSpotSimConfig()
        self.faults = FaultInjector(seed=self.config.seed)
        self.counter = CallCounter()
        self.registry = PropertyRegistry()
        self.contacts = ContactStore(self.registry, self.now_ms,
                                     lambda: int(self.config.search_lag_s * 1000))
        self.engine = SearchEngine(self.contacts.index, self.registry)
        self.deal_registry = PropertyRegistry(deal_properties)
        self.deals = DealStore(self.deal_registry, self.now_ms)
        self.limiter = RateLimiter(lambda: self.config, self.now_ms)
        api = PublicApi(
            store=self.contacts, engine=self.engine,
            batch=BatchOps(self.contacts, self.registry, self.now_ms),
            objects=ObjectOps(self.contacts, self.registry),
            properties=PropertyOps({"contacts": self.registry, "deals": self.deal_registry},
                                   self.now_ms),
            config=lambda: self.config, now_ms=self.now_ms)
        crm = CrmApi(DealOps(self.deals, lambda: self.config))
        routes = api.routes() + crm.routes() + admin_routes(self)
        starlette = Starlette(routes=routes, exception_handlers={
            ApiError: on_api_error, HTTPException: on_http_error})
        gate = HubSpotGate(starlette, token=lambda: self.config.token, limiter=self.limiter)
        self.app = SandboxMiddleware(gate, faults=self.faults, counter=self.counter,
                                     render_error=self._render_fault,
                                     endpoint_of=self._endpoint_of)

    # -- time -------------------------------------------------------------------------------
    def now_ms(self) -> int:
        return clock_ms(self.config.clock)

    def now(self) -> datetime:
        return from_ms(self.now_ms())

    # -- control ----------------------------------------------------------------------------
    def seed_contacts(self, count: int, seed: int = 0,
                      start: datetime | None = None) -> list[str]:
        """Add ``count`` synthetic contacts (deterministic for ``seed`` and ``start``, the
        moment their histories end; default now). Returns their ids."""
        moment = start or self.now()
        rows: Iterable[tuple[dict[str, str], float]]
        if count <= _CACHED_SEED_MAX:
            rows = _synthetic_rows(count, seed, to_ms(moment))
        else:
            rows = ((c.properties, c.intent) for c in generate_contacts(count, seed, moment))
        ids = self.contacts.load(rows)
        self.engine.clear()
        return [str(cid) for cid in ids]

    def hidden_intent(self, contact_id: str | int) -> float:
        """The contact's true intent (0..1); never exposed through the public API."""
        return self.contacts.intent(contact_id)

    def configure(self, **changes: Any) -> HubSpotSimConfig:
        """Change run-time settings (rate_limits, search_lag_s, daily_limit, tier, caps...)."""
        self.config = self.config.with_changes(changes)
        return self.config

    def reset(self) -> None:
        """Empty the portal: contacts, deals, custom properties, counters, faults, rate
        windows."""
        with self.contacts.lock:
            self.contacts.reset()
            self.registry.reset()
            self.engine.clear()
        with self.deals.lock:
            self.deals.reset()
            self.deal_registry.reset()
        self.counter.reset()
        self.faults.clear()
        self.limiter.reset()

    def serve(self, *, port: int = 0, tls: TestCA | None = None) -> ServedApp:
        """Serve the app on loopback in a background thread."""
        return serve_in_thread(self.app, port=port, tls=tls, name="hubspot-sim")

    # -- middleware hooks -------------------------------------------------------------------
    def _endpoint_of(self, method: str, path: str) -> str:
        _current_call.set((method, path))  # the renderer below runs in the same task
        return endpoint_of(method, path)

    def _render_fault(self, status: int, retry_after: float | None) -> tuple[bytes,
                                                                           dict[str, str]]:
        search = is_search(*_current_call.get())
        headers = {} if search else self.limiter.peek_headers()
        if status == 429:
            policy = "SECONDLY" if search else "TEN_SECONDLY_ROLLING"
            if not search:
                headers["X-HubSpot-RateLimit-Remaining"] = "0"
            return dumps(rate_limit_body(policy)), headers
        return dumps(status_body(status)), headers

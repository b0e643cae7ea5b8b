"""Fault injection and call counting shared by both simulators.

A ``FaultInjector`` holds rules matched on ``"METHOD /path"`` (fnmatch globs, e.g.
``"POST /crm/v3/objects/contacts/search"`` or ``"* /services/data/*/composite/*"``). Each rule
can add latency, fail a share of calls with a status (429 / 500 / 503 ...), drop the connection
mid-response before the call is handled (``drop_rate``), handle the call and then drop its
response mid-body (``drop_body_rate`` / ``drop_body_next``: the write happened, the client never
learns it), or fail the next N calls deterministically. ``SandboxMiddleware`` applies the rules
and counts every call by endpoint; each simulator renders the error body in its own API's shape.
Admin calls (paths under ``/__sandbox__``) are neither counted nor faulted.
"""

from __future__ import annotations

import asyncio
import fnmatch
import random
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

ADMIN_PREFIX = "/__sandbox__"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# (status, retry_after) -> (body bytes, extra headers)
ErrorRenderer = Callable[[int, float | None], tuple[bytes, dict[str, str]]]


@dataclass
class FaultRule:
    match: str = "*"
    """fnmatch glob on ``"METHOD /path"``."""
    error_rates: dict[int, float] = field(default_factory=dict)
    """status -> probability, e.g. ``{429: 0.2, 503: 0.05}``."""
    latency_ms: float = 0.0
    drop_rate: float = 0.0
    """probability of closing the connection mid-response (the call is not handled)."""
    drop_body_rate: float = 0.0
    """probability of handling the call, then closing the connection halfway through the body."""
    drop_body_next: int = 0
    """handle the next N matching calls and drop each one's body halfway (deterministic)."""
    fail_next: int = 0
    """fail exactly the next N matching calls with ``fail_status`` (deterministic)."""
    fail_status: int = 503
    retry_after: float | None = None
    """seconds to put in ``Retry-After`` on injected 429/503, or None for no header."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultRule:
        rates = {int(k): float(v) for k, v in dict(data.get("error_rates", {})).items()}
        return cls(
            match=str(data.get("match", "*")),
            error_rates=rates,
            latency_ms=float(data.get("latency_ms", 0.0)),
            drop_rate=float(data.get("drop_rate", 0.0)),
            drop_body_rate=float(data.get("drop_body_rate", 0.0)),
            drop_body_next=int(data.get("drop_body_next", 0)),
            fail_next=int(data.get("fail_next", 0)),
            fail_status=int(data.get("fail_status", 503)),
            retry_after=None if data.get("retry_after") is None else float(data["retry_after"]),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "match": self.match,
            "error_rates": {str(k): v for k, v in self.error_rates.items()},
            "latency_ms": self.latency_ms,
            "drop_rate": self.drop_rate,
            "drop_body_rate": self.drop_body_rate,
            "drop_body_next": self.drop_body_next,
            "fail_next": self.fail_next,
            "fail_status": self.fail_status,
            "retry_after": self.retry_after,
        }


@dataclass(frozen=True)
class FaultDecision:
    latency_s: float = 0.0
    status: int | None = None
    drop: bool = False
    retry_after: float | None = None
    drop_body: bool = False


class FaultInjector:
    """Thread-safe rule set; deterministic for a given seed and call order."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._rng = random.Random(seed)

    def set_rules(self, rules: list[FaultRule]) -> None:
        with self._lock:
            self._rules = list(rules)

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        self.set_rules([])

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def decide(self, method: str, path: str) -> FaultDecision:
        key = f"{method.upper()} {path}"
        latency = 0.0
        with self._lock:
            for rule in self._rules:
                if not fnmatch.fnmatchcase(key, rule.match):
                    continue
                latency += rule.latency_ms / 1000.0
                if rule.fail_next > 0:
                    rule.fail_next -= 1
                    return FaultDecision(latency, rule.fail_status, False, rule.retry_after)
                if rule.drop_body_next > 0:
                    rule.drop_body_next -= 1
                    return FaultDecision(latency, drop_body=True)
                if rule.drop_rate and self._rng.random() < rule.drop_rate:
                    return FaultDecision(latency, None, True)
                if rule.drop_body_rate and self._rng.random() < rule.drop_body_rate:
                    return FaultDecision(latency, drop_body=True)
                for status, rate in rule.error_rates.items():
                    if rate and self._rng.random() < rate:
                        return FaultDecision(latency, status, False, rule.retry_after)
        return FaultDecision(latency)


class CallCounter:
    """Counts calls by ``"METHOD /path"`` (paths normalised by the simulator's ``endpoint_of``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._statuses: Counter[str] = Counter()
        self._arrivals: Counter[str] = Counter()

    def arrive(self, endpoint: str) -> None:
        """A call reached the server (before any injected latency; ``record`` comes when its
        response starts): tests use it to act while a client waits on a slow call."""
        with self._lock:
            self._arrivals[endpoint] += 1

    def arrived(self, match: str = "*") -> int:
        with self._lock:
            return sum(n for k, n in self._arrivals.items() if fnmatch.fnmatchcase(k, match))

    def record(self, endpoint: str, status: int) -> None:
        with self._lock:
            self._counts[endpoint] += 1
            self._statuses[f"{endpoint} {status}"] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": sum(self._counts.values()),
                "by_endpoint": dict(self._counts),
                "by_status": dict(self._statuses),
            }

    def total(self, match: str = "*") -> int:
        with self._lock:
            return sum(n for k, n in self._counts.items() if fnmatch.fnmatchcase(k, match))

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._statuses.clear()
            self._arrivals.clear()


class SandboxMiddleware:
    """ASGI middleware: count calls, then apply latency / injected errors / dropped connections."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        faults: FaultInjector,
        counter: CallCounter,
        render_error: ErrorRenderer,
        endpoint_of: Callable[[str, str], str] = lambda method, path: f"{method} {path}",
    ) -> None:
        self.app = app
        self.faults = faults
        self.counter = counter
        self.render_error = render_error
        self.endpoint_of = endpoint_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        endpoint = self.endpoint_of(method, path)
        decision = self.faults.decide(method, path)
        self.counter.arrive(endpoint)
        if decision.latency_s:
            await asyncio.sleep(decision.latency_s)
        if decision.drop:
            self.counter.record(endpoint, 0)
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
                }
            )
            await send({"type": "http.response.body", "body": b"{", "more_body": True})
            raise ConnectionAbortedError("sandbox: injected dropped connection")
        if decision.status is not None:
            self.counter.record(endpoint, decision.status)
            body, headers = self.render_error(decision.status, decision.retry_after)
            raw_headers = [(b"content-type", b"application/json")]
            raw_headers += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
            if decision.retry_after is not None:
                raw_headers.append((b"retry-after", str(int(decision.retry_after)).encode()))
            raw_headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": decision.status,
                        "headers": raw_headers})
            await send({"type": "http.response.body", "body": body})
            return

        recorded = False
        body_parts: list[bytes] = []

        async def counting_send(message: Message) -> None:
            nonlocal recorded
            if message["type"] == "http.response.start" and not recorded:
                # count before the client can see the response, so tests never race the counter
                self.counter.record(endpoint, int(message["status"]))
                recorded = True
            if decision.drop_body and message["type"] == "http.response.body":
                body_parts.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(body_parts)
                if len(body) >= 2:  # send half, then cut: the client sees a short body
                    await send({"type": "http.response.body", "body": body[:len(body) // 2],
                                "more_body": True})
                    raise ConnectionAbortedError("sandbox: injected dropped body")
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            if not recorded:
                self.counter.record(endpoint, 0)

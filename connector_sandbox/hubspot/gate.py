"""ASGI middleware in front of the public API: Bearer-token auth (401 INVALID_AUTHENTICATION),
rate limits (429 RATE_LIMIT with ``policyName`` and ``Retry-After``) and the
``X-HubSpot-RateLimit-*`` headers on every non-search response. Admin paths pass untouched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..faults import ADMIN_PREFIX, ASGIApp, Message, Receive, Scope, Send
from .errors import AUTH_INVALID, AUTH_MISSING, dumps, error_body, rate_limit_body
from .ratelimit import RateLimiter

SEARCH_SUFFIX = "/search"


def is_search(method: str, path: str) -> bool:
    return method == "POST" and path.rstrip("/").endswith(SEARCH_SUFFIX)


async def send_json(send: Send, status: int, body: Any, headers: dict[str, str]) -> None:
    payload = dumps(body)
    raw = [(b"content-type", b"application/json;charset=utf-8"),
           (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


class HubSpotGate:
    def __init__(self, app: ASGIApp, *, token: Callable[[], str], limiter: RateLimiter) -> None:
        self.app = app
        self._token = token
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        auth = b""
        for key, value in scope["headers"]:
            if key == b"authorization":
                auth = value
                break
        scheme, _, token = auth.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            await send_json(send, 401, error_body(AUTH_MISSING, "INVALID_AUTHENTICATION"), {})
            return
        if token.strip() != self._token():
            await send_json(send, 401, error_body(AUTH_INVALID, "INVALID_AUTHENTICATION"), {})
            return
        decision = self.limiter.check(is_search(scope["method"], scope["path"]))
        if not decision.allowed:
            headers = dict(decision.headers)
            headers["Retry-After"] = str(decision.retry_after_s)
            await send_json(send, 429, rate_limit_body(str(decision.policy)), headers)
            return
        if not decision.headers:
            await self.app(scope, receive, send)
            return
        extra = [(k.lower().encode(), v.encode()) for k, v in decision.headers.items()]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)

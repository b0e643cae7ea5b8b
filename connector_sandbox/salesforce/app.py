"""The simulator's ASGI application: routing, authentication, the daily API allowance and the
``Sforce-Limit-Info`` header, wrapped in the shared ``SandboxMiddleware`` (call counting and
fault injection) whose injected errors are rendered in Salesforce's shapes.

    /services/Soap/u/{version}            SOAP login
    /services/oauth2/token                OAuth 2.0 token endpoint
    /services/data/                       versions (no auth)
    /services/data/vXX.X/...              REST API (Bearer session; counted)
    /__sandbox__/...                      admin (see ``admin.py``)
"""

from __future__ import annotations

import contextvars
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from .. import faults as sandbox_faults
from . import jsonio
from .admin import AdminRoutes
from .api_errors import SESSION_INVALID, ApiError, not_found
from .limits import LIMIT_EXCEEDED
from .rest_collections import CollectionRoutes
from .rest_composite import composite
from .rest_query import QueryRoutes, supported_versions
from .rest_records import RecordRoutes
from .wire import Receive, Request, Response, Scope, Send, read_request, send_response

if TYPE_CHECKING:
    from .simulator import SalesforceSimulator

log = logging.getLogger(__name__)
Handler = Callable[[Request, re.Match[str]], Response]
_DATA_RE = re.compile(r"/services/data(?:/v(?P<version>\d+\.\d+)(?P<rest>/.*)?)?/?")
_SOAP_RE = re.compile(r"/services/Soap/u/(?P<version>\d+\.\d+)/?")
_current_path: contextvars.ContextVar[str] = contextvars.ContextVar("sf_path", default="")
_FAULT_BODIES = {
    401: SESSION_INVALID,
    403: LIMIT_EXCEEDED,
    404: [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}],
    429: [{"errorCode": "TOO_MANY_REQUESTS", "message": "Too many requests. Retry later."}],
    500: [{"errorCode": "UNKNOWN_EXCEPTION", "message": "An unexpected error occurred. Please "
           "include this ErrorId if you contact support: 1234567890-12345 (-1234567890)"}],
    503: [{"errorCode": "SERVER_UNAVAILABLE", "message": "Server temporarily unavailable. "
           "Please try again later."}],
}


def endpoint_of(method: str, path: str) -> str:
    """``"METHOD /path"`` with ids, external id values and query locators made generic."""
    path = re.sub(r"/(query|queryAll)/[^/]+/?$", r"/\1/{locator}", path)
    path = re.sub(r"^(/services/data/v[\d.]+/sobjects/\w+/(?!describe)[^/]+)/.+$",
                  r"\1/{value}", path)
    path = re.sub(r"^(/services/data/v[\d.]+/sobjects/\w+)/[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?/?$",
                  r"\1/{id}", path)
    return f"{method} {path}"


class SalesforceApp:
    def __init__(self, sim: SalesforceSimulator) -> None:
        self.sim = sim
        self.queries = QueryRoutes(sim)
        self.admin = AdminRoutes(sim)
        table = (self.queries.routes() + RecordRoutes(sim).routes()
                 + CollectionRoutes(sim).routes())
        self.routes = [(re.compile(pattern), handlers) for pattern, handlers in table]
        self.versions = frozenset(supported_versions(sim.config.api_version))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        req = await read_request(scope, receive)
        try:
            response = self.dispatch(req)
        except ApiError as error:
            response = Response.error(error)
        except Exception:  # a simulator bug must still answer like Salesforce does
            log.exception("salesforce sandbox: unhandled error on %s %s", req.method, req.path)
            response = Response.json(500, _FAULT_BODIES[500])
        await send_response(send, response)

    def dispatch(self, req: Request) -> Response:
        path = req.path
        if path.startswith(sandbox_faults.ADMIN_PREFIX):
            return self.admin.handle(req)
        if path.startswith("/services/data"):
            return self.data(req)
        soap = _SOAP_RE.fullmatch(path)
        if soap and req.method == "POST":
            status, body = self.sim.auth.soap_login(req.body, req.origin, soap["version"])
            return Response(status, body, b"text/xml;charset=UTF-8")
        if path.rstrip("/") == "/services/oauth2/token" and req.method == "POST":
            form = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
            status, payload = self.sim.auth.oauth_token(form, req.headers.get("authorization"),
                                                        req.origin)
            return Response.json(status, payload)
        raise not_found()

    def data(self, req: Request) -> Response:
        match = _DATA_RE.fullmatch(req.path)
        if match is None:
            raise not_found()
        if match["version"] is None:
            return self.queries.versions(req)
        req.version = match["version"]
        if req.version not in self.versions:
            raise not_found()
        usage = self.sim.usage
        session = None
        auth = req.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() in ("bearer", "oauth") and token:
            session = self.sim.sessions.check(token.strip())
        if session is None:
            return Response(401, jsonio.dumps(SESSION_INVALID),
                            headers=[(b"sforce-limit-info", usage.header().encode())])
        req.user_id = session.user_id
        rest = match["rest"] or "/"
        if rest == "/":
            response = self.queries.resources(req)
        elif not usage.try_consume():
            response = Response(403, jsonio.dumps(LIMIT_EXCEEDED))
        else:
            try:
                response = self.route(req, rest)
            except ApiError as error:
                response = Response.error(error)
        response.headers.append((b"sforce-limit-info", usage.header().encode()))
        return response

    def route(self, req: Request, rest: str) -> Response:
        if rest.rstrip("/") == "/composite" and req.method == "POST":
            return composite(req, self.route)
        allowed: list[str] = []
        for pattern, handlers in self.routes:
            match = pattern.fullmatch(rest)
            if match is None:
                continue
            handler = handlers.get(req.method)
            if handler is not None:
                return handler(req, match)
            allowed.extend(handlers)
        if allowed:
            raise ApiError(405, "METHOD_NOT_ALLOWED", f"HTTP Method '{req.method}' not allowed. "
                           f"Allowed are {','.join(sorted(set(allowed)))}")
        raise not_found()


class _PathContext:
    """Outermost layer: remembers the request path for the fault renderer (which only gets the
    status), so injected errors on the OAuth endpoint come back in OAuth's shape."""

    def __init__(self, app: sandbox_faults.ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        _current_path.set(scope.get("path", ""))
        await self.app(scope, receive, send)


def build_app(sim: SalesforceSimulator) -> sandbox_faults.ASGIApp:
    def render_error(status: int, retry_after: float | None) -> tuple[bytes, dict[str, str]]:
        path = _current_path.get()
        if path.startswith("/services/oauth2"):
            error = "temporarily_unavailable" if status in (429, 503) else "server_error"
            body = jsonio.dumps({"error": error,
                                 "error_description": f"sandbox: injected HTTP {status}"})
            return body, {}
        payload = _FAULT_BODIES.get(status) or [
            {"errorCode": "UNKNOWN_EXCEPTION", "message": f"HTTP {status}"}]
        headers = {}
        if path.startswith("/services/data/v"):
            headers["Sforce-Limit-Info"] = sim.usage.header()
        return jsonio.dumps(payload), headers

    inner = sandbox_faults.SandboxMiddleware(
        SalesforceApp(sim), faults=sim.faults, counter=sim.counter, render_error=render_error,
        endpoint_of=endpoint_of)
    return _PathContext(inner)

"""The public CRM v3 routes, wired to the operations; errors become HubSpot bodies."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .batch import BatchOps
from .config import HubSpotSimConfig
from .errors import ApiError, error_body, missing_scopes_body
from .jsonio import loads
from .objects import ObjectOps
from .property_api import PropertyOps
from .render import JSON_TYPE, json_response, query_list
from .scopes import required_scopes
from .search import SearchEngine, parse_search
from .store import ContactStore

CONTACTS = "/crm/v3/objects/contacts"
PROPERTIES = "/crm/v3/properties"
_ENDPOINTS = (
    (re.compile(r"^/crm/v3/objects/contacts/(?!search$|batch/)[^/]+/?$"),
     "/crm/v3/objects/contacts/{contactId}"),
    (re.compile(r"^/crm/v3/properties/[^/]+/[^/]+/?$"),
     "/crm/v3/properties/{objectType}/{propertyName}"),
    (re.compile(r"^/crm/v3/objects/deals/(?!search$|batch/)[^/]+/?$"),
     "/crm/v3/objects/deals/{dealId}"),
    (re.compile(r"^/crm/v3/owners/[^/]+/?$"), "/crm/v3/owners/{ownerId}"),
)


def endpoint_of(method: str, path: str) -> str:
    """``"GET /crm/v3/objects/contacts/123"`` -> ``"GET /crm/v3/objects/contacts/{contactId}"``."""
    for pattern, template in _ENDPOINTS:
        if pattern.match(path):
            return f"{method} {template}"
    return f"{method} {path.rstrip('/') or '/'}"


async def read_json(request: Request, *, required: bool = True) -> Any:
    raw = await request.body()
    if not raw.strip():
        if required:
            raise ApiError(400, "Invalid input JSON: the request body is empty.")
        return {}
    try:
        return loads(raw)
    except ValueError as exc:
        raise ApiError(400, f"Invalid input JSON on line {getattr(exc, 'lineno', 1)}: "
                            f"{exc}") from None


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "false").lower() == "true"


class PublicApi:
    def __init__(self, *, store: ContactStore, engine: SearchEngine, batch: BatchOps,
                 objects: ObjectOps, properties: PropertyOps,
                 config: Callable[[], HubSpotSimConfig], now_ms: Callable[[], int]) -> None:
        self.store, self.engine, self.batch = store, engine, batch
        self.objects, self.properties = objects, properties
        self.config, self.now_ms = config, now_ms

    def routes(self) -> list[Route]:
        return [
            Route(f"{CONTACTS}/search", self.search, methods=["POST"]),
            Route(f"{CONTACTS}/batch/{{op}}", self.batch_op, methods=["POST"]),
            Route(CONTACTS, self.list_contacts, methods=["GET"]),
            Route(CONTACTS, self.create_contact, methods=["POST"]),
            Route(f"{CONTACTS}/{{cid}}", self.get_contact, methods=["GET"]),
            Route(f"{CONTACTS}/{{cid}}", self.update_contact, methods=["PATCH"]),
            Route(f"{CONTACTS}/{{cid}}", self.delete_contact, methods=["DELETE"]),
            Route(f"{PROPERTIES}/{{otype}}", self.list_properties, methods=["GET"]),
            Route(f"{PROPERTIES}/{{otype}}", self.create_property, methods=["POST"]),
            Route(f"{PROPERTIES}/{{otype}}/{{name}}", self.get_property, methods=["GET"]),
            Route(f"{PROPERTIES}/{{otype}}/{{name}}", self.update_property,
                  methods=["PATCH"]),
            Route(f"{PROPERTIES}/{{otype}}/{{name}}", self.archive_property,
                  methods=["DELETE"]),
        ]

    async def search(self, request: Request) -> Response:
        cfg = self.config()
        query = parse_search(await read_json(request, required=False),
                             self.store.registry, cfg)
        with self.store.lock:
            self.store.index.refresh(self.now_ms())
            page = self.engine.page(query, cfg.max_search_results)
        return Response(page, media_type=JSON_TYPE)

    async def batch_op(self, request: Request) -> Response:
        op = request.path_params["op"]
        body = await read_json(request)
        if op == "read":
            status, out = self.batch.read(body, archived=_flag(request, "archived"))
        elif op in ("update", "upsert", "create", "archive"):
            status, out = getattr(self.batch, op)(body)
        else:
            raise ApiError(404, f"Unknown batch operation {op!r}.", category="OBJECT_NOT_FOUND")
        return Response(status_code=204) if out is None else json_response(out, status)

    async def list_contacts(self, request: Request) -> Response:
        qp = request.query_params
        base = f"{request.url.scheme}://{request.url.netloc}"
        return json_response(self.objects.list_page(
            qp.get("limit"), qp.get("after"), query_list(qp.getlist("properties")),
            _flag(request, "archived"), base))

    async def get_contact(self, request: Request) -> Response:
        qp = request.query_params
        return json_response(self.objects.get(
            request.path_params["cid"], query_list(qp.getlist("properties")),
            qp.get("idProperty"), _flag(request, "archived")))

    async def create_contact(self, request: Request) -> Response:
        return json_response(self.objects.create(await read_json(request)), 201)

    async def update_contact(self, request: Request) -> Response:
        return json_response(self.objects.update(
            request.path_params["cid"], await read_json(request),
            request.query_params.get("idProperty")))

    async def delete_contact(self, request: Request) -> Response:
        self.objects.delete(request.path_params["cid"])
        return Response(status_code=204)

    async def list_properties(self, request: Request) -> Response:
        return json_response(self.properties.list(request.path_params["otype"],
                                                  _flag(request, "archived")))

    async def create_property(self, request: Request) -> Response:
        return json_response(self.properties.create(
            request.path_params["otype"], await read_json(request)), 201)

    async def get_property(self, request: Request) -> Response:
        p = request.path_params
        return json_response(self.properties.get(p["otype"], p["name"]))

    async def update_property(self, request: Request) -> Response:
        p = request.path_params
        return json_response(self.properties.update(p["otype"], p["name"],
                                                    await read_json(request)))

    async def archive_property(self, request: Request) -> Response:
        p = request.path_params
        self.properties.archive(p["otype"], p["name"])
        return Response(status_code=204)


async def on_api_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, ApiError):
        raise exc
    return json_response(exc.body(), exc.status)


async def on_http_error(request: Request, exc: Exception) -> Response:
    """Unrouted paths: 403 ``MISSING_SCOPES`` for HubSpot resources not simulated (what a
    private app without their scopes gets), else HubSpot's 404 / 405 bodies."""
    if not isinstance(exc, HTTPException):
        raise exc
    if exc.status_code == 404:
        scopes = required_scopes(request.url.path)
        if scopes:
            return json_response(missing_scopes_body(scopes), 403)
    message = "Unable to route the request." if exc.status_code == 404 else str(exc.detail)
    category = "OBJECT_NOT_FOUND" if exc.status_code == 404 else "VALIDATION_ERROR"
    return json_response(error_body(message, category), exc.status_code)

"""Control and inspection for tests under ``/__sandbox__`` (neither counted nor faulted):

- ``POST /__sandbox__/reset``; ``POST /__sandbox__/seed`` ``{count, seed, start?}``
- ``GET`` / ``DELETE /__sandbox__/calls`` (call counts by endpoint and status)
- ``GET`` / ``PUT /__sandbox__/faults`` (a list of ``FaultRule`` dicts)
- ``GET /__sandbox__/contacts/{id}/intent`` (the hidden true intent)
- ``GET`` / ``PATCH /__sandbox__/config`` (rate_limits, search_lag_s, daily_limit, ...)
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..faults import ADMIN_PREFIX, FaultRule
from .errors import ApiError
from .render import json_response
from .routes import read_json

if TYPE_CHECKING:
    from .simulator import HubSpotSimulator


def admin_routes(sim: HubSpotSimulator) -> list[Route]:
    async def reset(request: Request) -> Response:
        sim.reset()
        return json_response({"status": "reset"})

    async def seed(request: Request) -> Response:
        body = await read_json(request, required=False)
        if not isinstance(body, dict):
            raise ApiError(400, "seed takes {count, seed, start?}")
        try:
            count, seed_value = int(body.get("count", 100)), int(body.get("seed", 0))
            start = datetime.fromisoformat(body["start"]) if body.get("start") else None
        except (TypeError, ValueError) as exc:
            raise ApiError(400, f"bad seed request: {exc}") from None
        ids = sim.seed_contacts(count, seed=seed_value, start=start)
        return json_response({"count": len(ids), "ids": ids, "total": sim.contacts.count()})

    async def calls(request: Request) -> Response:
        if request.method == "DELETE":
            sim.counter.reset()
            return Response(status_code=204)
        return json_response(sim.counter.snapshot())

    async def faults(request: Request) -> Response:
        if request.method == "PUT":
            body = await read_json(request)
            rules = body.get("rules", body) if isinstance(body, dict) else body
            if not isinstance(rules, list):
                raise ApiError(400, "faults takes a list of rules (or {\"rules\": [...]})")
            sim.faults.set_rules([FaultRule.from_dict(r) for r in rules])
        return json_response({"rules": [r.as_dict() for r in sim.faults.rules()]})

    async def intent(request: Request) -> Response:
        cid = request.path_params["cid"]
        if sim.contacts.get(cid) is None:
            raise ApiError(404, f"no contact {cid}", category="OBJECT_NOT_FOUND")
        return json_response({"id": cid, "intent": sim.hidden_intent(cid)})

    async def config(request: Request) -> Response:
        if request.method == "PATCH":
            body = await read_json(request)
            if not isinstance(body, dict) or "clock" in body:
                raise ApiError(400, "config takes an object of JSON settings (not the clock)")
            try:
                sim.configure(**body)
            except (TypeError, ValueError) as exc:
                raise ApiError(400, str(exc)) from None
        return json_response(sim.config.public_dict())

    return [
        Route(f"{ADMIN_PREFIX}/reset", reset, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/seed", seed, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/calls", calls, methods=["GET", "DELETE"]),
        Route(f"{ADMIN_PREFIX}/faults", faults, methods=["GET", "PUT"]),
        Route(f"{ADMIN_PREFIX}/contacts/{{cid}}/intent", intent, methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/config", config, methods=["GET", "PATCH"]),
    ]


def describe() -> dict[str, Any]:
    """The admin endpoints, for ``connector sandbox`` to print."""
    return {"prefix": ADMIN_PREFIX, "endpoints": [
        "POST reset", "POST seed {count, seed}", "GET|DELETE calls", "GET|PUT faults",
        "GET contacts/{id}/intent", "GET|PATCH config"]}

"""Routes beyond contacts: owners, the deal pipeline, deals.

- ``GET /crm/v3/owners`` (``limit`` ≤ 500, ``after``, ``email``, ``archived``) and
  ``GET /crm/v3/owners/{ownerId}`` (``idProperty=id|userId``);
- ``GET /crm/v3/pipelines/deals`` and ``/{pipelineId}``, ``/{pipelineId}/stages`` and
  ``/{pipelineId}/stages/{stageId}``; other object types' pipelines answer 403 ``MISSING_SCOPES``;
- ``/crm/v3/objects/deals``: list, get, create (201), update (PATCH), archive (204), search.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .deals import DealOps
from .errors import ApiError, MissingScopes, int_param
from .pipelines import OWNERS, PIPELINE_ID, STAGES, pipeline
from .render import json_response, query_list
from .routes import read_json
from .scopes import object_scope

OWNERS_PATH = "/crm/v3/owners"
PIPELINES = "/crm/v3/pipelines"
DEALS = "/crm/v3/objects/deals"
MAX_OWNERS = 500
DEAL_PIPELINE_TYPES = frozenset({"deals", "deal", "0-3"})


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "false").lower() == "true"


class CrmApi:
    def __init__(self, deals: DealOps) -> None:
        self.deals = deals

    def routes(self) -> list[Route]:
        return [
            Route(OWNERS_PATH, self.list_owners, methods=["GET"]),
            Route(f"{OWNERS_PATH}/", self.list_owners, methods=["GET"]),
            Route(f"{OWNERS_PATH}/{{owner_id}}", self.get_owner, methods=["GET"]),
            Route(f"{PIPELINES}/{{otype}}", self.list_pipelines, methods=["GET"]),
            Route(f"{PIPELINES}/{{otype}}/{{pid}}", self.get_pipeline, methods=["GET"]),
            Route(f"{PIPELINES}/{{otype}}/{{pid}}/stages", self.list_stages, methods=["GET"]),
            Route(f"{PIPELINES}/{{otype}}/{{pid}}/stages/{{sid}}", self.get_stage,
                  methods=["GET"]),
            Route(f"{DEALS}/search", self.search_deals, methods=["POST"]),
            Route(DEALS, self.list_deals, methods=["GET"]),
            Route(DEALS, self.create_deal, methods=["POST"]),
            Route(f"{DEALS}/{{did}}", self.get_deal, methods=["GET"]),
            Route(f"{DEALS}/{{did}}", self.update_deal, methods=["PATCH"]),
            Route(f"{DEALS}/{{did}}", self.archive_deal, methods=["DELETE"]),
        ]

    # -- owners -------------------------------------------------------------------------------
    async def list_owners(self, request: Request) -> Response:
        qp = request.query_params
        limit = int_param(qp.get("limit"), 100, "limit")
        if not 1 <= limit <= MAX_OWNERS:
            raise ApiError(400, f"limit must be between 1 and {MAX_OWNERS}, got {limit}.")
        start = int_param(qp.get("after"), 0, "after")
        email = (qp.get("email") or "").strip().lower()
        owners = [] if _flag(request, "archived") else [
            o for o in OWNERS if not email or o.email == email]
        page = owners[start:start + limit]
        body: dict[str, object] = {"results": [o.as_dict() for o in page]}
        if start + limit < len(owners):
            nxt = str(start + limit)
            base = f"{request.url.scheme}://{request.url.netloc}"
            body["paging"] = {"next": {"after": nxt, "link": f"{base}{OWNERS_PATH}?after={nxt}"}}
        return json_response(body)

    async def get_owner(self, request: Request) -> Response:
        raw = request.path_params["owner_id"]
        by_user = request.query_params.get("idProperty") == "userId"
        for owner in () if _flag(request, "archived") else OWNERS:
            if (str(owner.user_id) if by_user else owner.id) == raw:
                return json_response(owner.as_dict())
        raise ApiError(404, f"Owner {raw} not found.", category="OBJECT_NOT_FOUND")

    # -- pipelines ----------------------------------------------------------------------------
    @staticmethod
    def _deal_pipelines(otype: str) -> None:
        if otype.lower() in DEAL_PIPELINE_TYPES:
            return
        scope = object_scope(otype)
        if scope:
            raise MissingScopes([scope])
        raise ApiError(400, f"Unable to infer object type from: {otype}")

    def _pipeline(self, request: Request) -> None:
        self._deal_pipelines(request.path_params["otype"])
        pid = request.path_params["pid"]
        if pid != PIPELINE_ID:
            raise ApiError(404, f"Pipeline {pid} not found.", category="OBJECT_NOT_FOUND")

    async def list_pipelines(self, request: Request) -> Response:
        self._deal_pipelines(request.path_params["otype"])
        return json_response({"results": [pipeline()]})

    async def get_pipeline(self, request: Request) -> Response:
        self._pipeline(request)
        return json_response(pipeline())

    async def list_stages(self, request: Request) -> Response:
        self._pipeline(request)
        return json_response({"results": [s.as_dict(n) for n, s in enumerate(STAGES)]})

    async def get_stage(self, request: Request) -> Response:
        self._pipeline(request)
        sid = request.path_params["sid"]
        for n, stage in enumerate(STAGES):
            if stage.id == sid:
                return json_response(stage.as_dict(n))
        raise ApiError(404, f"Stage {sid} not found.", category="OBJECT_NOT_FOUND")

    # -- deals --------------------------------------------------------------------------------
    async def search_deals(self, request: Request) -> Response:
        return json_response(self.deals.search(await read_json(request, required=False)))

    async def list_deals(self, request: Request) -> Response:
        qp = request.query_params
        base = f"{request.url.scheme}://{request.url.netloc}"
        return json_response(self.deals.list_page(
            qp.get("limit"), qp.get("after"), query_list(qp.getlist("properties")),
            _flag(request, "archived"), base))

    async def get_deal(self, request: Request) -> Response:
        return json_response(self.deals.get(
            request.path_params["did"], query_list(request.query_params.getlist("properties")),
            _flag(request, "archived")))

    async def create_deal(self, request: Request) -> Response:
        return json_response(self.deals.create(await read_json(request)), 201)

    async def update_deal(self, request: Request) -> Response:
        return json_response(self.deals.update(request.path_params["did"],
                                               await read_json(request)))

    async def archive_deal(self, request: Request) -> Response:
        self.deals.archive(request.path_params["did"])
        return Response(status_code=204)


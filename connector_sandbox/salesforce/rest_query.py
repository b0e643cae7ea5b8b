"""REST handlers that read metadata and run queries: SOQL ``query`` / ``queryAll`` with
``nextRecordsUrl`` paging, describe (global and per object), ``/limits`` and the version and
resource listings."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .api_errors import ApiError, malformed_query, not_found
from .cursors import Cursor
from .schema import SObjectDef
from .soql_run import execute, prepare, render
from .wire import Request, Response

if TYPE_CHECKING:
    from .simulator import SalesforceSimulator

Handler = Callable[[Request, re.Match[str]], Response]
SEASONS = ("Winter", "Spring", "Summer")


def release_label(version: str) -> str:
    """``59.0`` -> ``Winter '24`` (three releases a year; 59.0 was Winter '24)."""
    steps = int(float(version)) - 59
    return f"{SEASONS[steps % 3]} '{24 + steps // 3:02d}"


LATEST_VERSION = 66
"""Spring '26: the newest version listed and served."""


def supported_versions(configured: str) -> list[str]:
    top = max(LATEST_VERSION, int(float(configured)))
    return [f"{v}.0" for v in range(31, top + 1)]


class QueryRoutes:
    def __init__(self, sim: SalesforceSimulator) -> None:
        self.sim = sim
        self.org = sim.org
        self._describe_cache: dict[tuple[str, str], bytes] = {}

    def routes(self) -> list[tuple[str, dict[str, Handler]]]:
        return [
            (r"/limits/?", {"GET": self.limits}),
            (r"/query/?", {"GET": lambda r, m: self.query(r, "query")}),
            (r"/queryAll/?", {"GET": lambda r, m: self.query(r, "queryAll")}),
            (r"/(?P<endpoint>query|queryAll)/(?P<locator>[^/]+)/?", {"GET": self.query_more}),
            (r"/sobjects/?", {"GET": self.describe_global}),
            (r"/sobjects/(?P<obj>\w+)/describe/?", {"GET": self.describe}),
            (r"/sobjects/(?P<obj>\w+)/?", {"GET": self.sobject_info}),
        ]

    def sobject(self, name: str) -> SObjectDef:
        found = self.org.catalog.get(name)
        if found is None:
            raise not_found()
        return found

    # -- listings and limits --------------------------------------------------------------
    def versions(self, req: Request) -> Response:
        return Response.json(200, [
            {"label": release_label(v), "url": f"/services/data/v{v}", "version": v}
            for v in supported_versions(self.sim.config.api_version)])

    def resources(self, req: Request) -> Response:
        base = f"/services/data/v{req.version}"
        names = ("tooling", "metadata", "eclair", "folders", "prechatForms", "contact-tracing",
                 "jsonxform", "chatter", "tabs", "appMenu", "quickActions", "queryAll",
                 "commerce", "wave", "iot", "analytics", "search", "identity", "composite",
                 "parameterizedSearch", "fingerprint", "theme", "nouns", "recent", "licensing",
                 "limits", "process", "async-queries", "query", "match", "emailConnect",
                 "compactLayouts", "knowledgeManagement", "sobjects", "actions", "support")
        body = {name: f"{base}/{name}" for name in names}
        body["identity"] = f"{req.origin}/id/{self.org.org_id}/{req.user_id}"
        return Response.json(200, body)

    def limits(self, req: Request, m: re.Match[str]) -> Response:
        records = sum(self.org.store.count(name) for name in self.org.store)
        return Response.json(200, self.sim.usage.limits(records))

    # -- describe -------------------------------------------------------------------------
    def _cached(self, key: tuple[str, str], build: Callable[[], Any]) -> Response:
        body = self._describe_cache.get(key)
        if body is None:
            body = Response.json(200, build()).body
            self._describe_cache[key] = body
        return Response(200, body)

    def describe_global(self, req: Request, m: re.Match[str]) -> Response:
        return self._cached(("*", req.version), lambda: {
            "encoding": "UTF-8", "maxBatchSize": 200,
            "sobjects": [o.describe_basic(req.version) for o in self.org.catalog.objects]})

    def describe(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        return self._cached((sobject.name, req.version), lambda: sobject.describe(req.version))

    def sobject_info(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        return Response.json(200, {"objectDescribe": sobject.describe_basic(req.version),
                                   "recentItems": []})

    # -- SOQL -----------------------------------------------------------------------------
    def page_size(self, req: Request) -> int:
        size = self.sim.settings.query_page_size
        options = req.headers.get("sforce-query-options", "")
        match = re.search(r"batchSize\s*=\s*(\d+)", options)
        if match:
            size = min(2000, max(200, int(match.group(1))))
        return size

    def query(self, req: Request, endpoint: str) -> Response:
        text = req.query.get("q")
        if text is None:
            raise malformed_query("A query string (q) is required")
        org = self.org
        with org.lock:
            bound = prepare(text, org.store, org.clock())
            rows = execute(bound, org.store, include_deleted=endpoint == "queryAll")
            if bound.count_only:
                return Response.json(200, {"totalSize": len(rows), "done": True, "records": []})
            return self.page(Cursor(bound, rows, self.page_size(req)), None, 0, req, endpoint)

    def query_more(self, req: Request, m: re.Match[str]) -> Response:
        locator, _, offset = m["locator"].rpartition("-")
        cursor = self.sim.cursors.get(locator) if offset.isdigit() else None
        if cursor is None:
            raise ApiError(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        with self.org.lock:
            return self.page(cursor, locator, int(offset), req, m["endpoint"])

    def page(self, cursor: Cursor, locator: str | None, start: int, req: Request,
             endpoint: str) -> Response:
        total = len(cursor.rows)
        end = min(start + cursor.page_size, total)
        body: dict[str, Any] = {"totalSize": total, "done": end >= total}
        if end < total:
            locator = locator or self.sim.cursors.open(cursor)
            body["nextRecordsUrl"] = f"/services/data/v{req.version}/{endpoint}/{locator}-{end}"
        store = self.org.store
        body["records"] = [render(cursor.bound, row, req.version, store)
                           for row in cursor.rows[start:end]]
        return Response.json(200, body)

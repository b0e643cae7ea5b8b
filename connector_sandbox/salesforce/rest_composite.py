"""``POST /services/data/vXX.X/composite``: up to 25 subrequests in one call, which counts as
ONE API request against the daily allowance (as in Salesforce). At most 5 subrequests may be
queries or sObject Collections. ``allOrNone`` rollback is not simulated (the connector only
batches reads this way); a subrequest referencing another (``@{ref.field}``) is refused."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from . import jsonio
from .api_errors import ApiError
from .wire import Request, Response

MAX_SUBREQUESTS = 25
MAX_QUERY_OR_COLLECTION = 5
_DATA_RE = re.compile(r"/services/data/v(?P<version>\d+\.\d+)(?P<rest>/.*)")

Router = Callable[[Request, str], Response]


def composite(req: Request, route: Router) -> Response:
    payload = req.json()
    subs = payload.get("compositeRequest") if isinstance(payload, dict) else None
    if not isinstance(subs, list) or not subs:
        raise ApiError(400, "INVALID_INPUT", "compositeRequest must be a non-empty array")
    if len(subs) > MAX_SUBREQUESTS:
        raise ApiError(400, "LIMIT_EXCEEDED",
                       f"Composite requests cannot have more than {MAX_SUBREQUESTS} subrequests")
    heavy = sum(1 for s in subs if isinstance(s, dict) and
                re.search(r"/(query|queryAll)\b|/composite/sobjects", str(s.get("url", ""))))
    if heavy > MAX_QUERY_OR_COLLECTION:
        raise ApiError(400, "LIMIT_EXCEEDED", "Composite requests can contain at most "
                       f"{MAX_QUERY_OR_COLLECTION} query or sObject Collections subrequests")
    results: list[dict[str, Any]] = []
    for sub in subs:
        results.append(_one(req, sub, route))
    return Response.json(200, {"compositeResponse": results})


def _one(req: Request, sub: Any, route: Router) -> dict[str, Any]:
    if not isinstance(sub, dict) or not sub.get("referenceId") or not sub.get("url"):
        raise ApiError(400, "INVALID_INPUT", "each subrequest needs method, url and referenceId")
    url = str(sub["url"])
    if "@{" in url:
        raise ApiError(400, "INVALID_INPUT", "subrequest references are not supported here")
    parts = urlsplit(url)
    match = _DATA_RE.fullmatch(parts.path)
    if match is None:
        raise ApiError(400, "INVALID_INPUT", f"not a REST API url: {url}")
    body = sub.get("body")
    inner = Request(str(sub.get("method", "GET")).upper(), parts.path,
                    dict(parse_qsl(parts.query, keep_blank_values=True)), req.headers,
                    json.dumps(body).encode() if body is not None else b"", req.origin,
                    match["version"], req.user_id)
    try:
        response = route(inner, match["rest"])
    except ApiError as error:
        response = Response.error(error)
    parsed = jsonio.loads(response.body) if response.body else None
    headers = {name.decode().title(): value.decode() for name, value in response.headers
               if name == b"location"}
    return {"body": parsed, "httpHeaders": headers, "httpStatusCode": response.status,
            "referenceId": sub["referenceId"]}

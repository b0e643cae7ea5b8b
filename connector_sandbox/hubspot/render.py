"""Records as the API returns them (``SimplePublicObject``) and JSON responses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from starlette.responses import Response

from .config import PORTAL_ID
from .errors import ApiError, int_param
from .index import LMD, Props
from .jsonio import dumps

DEFAULT_PROPERTIES = ("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate",
                      "lastname")
ALWAYS = ("createdate", "hs_object_id", "lastmodifieddate")
JSON_TYPE = "application/json;charset=utf-8"
MAX_LIST_LIMIT = 100
DEFAULT_LIST_LIMIT = 10
CONTACT_URL = f"https://app.hubspot.com/contacts/{PORTAL_ID}/record/0-1/"
"""a contact's ``url`` is this plus its id (the record page in HubSpot's app)."""
ECHOED = ("createdate", "hs_object_id", "lastmodifieddate", "hs_email_domain", "lifecyclestage",
          "hs_object_source", "hs_object_source_id", "hs_object_source_label")
"""what a create or update answers besides the written properties: the values HubSpot
keeps or computes (shown when the record has them)."""


def wanted_properties(requested: Iterable[str] | None) -> tuple[str, ...]:
    """The property names to return: the defaults when none are asked for, else the asked-for
    ones plus the three HubSpot always returns."""
    names = [n for n in (requested or ()) if n]
    if not names:
        return DEFAULT_PROPERTIES
    return tuple(dict.fromkeys([*names, *ALWAYS]))


def query_list(values: Sequence[str]) -> list[str]:
    """``?properties=a,b&properties=c`` -> ``["a", "b", "c"]`` (both styles are accepted)."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def render_object(cid: int, props: Props, wanted: Sequence[str], *, url: str = CONTACT_URL,
                  modified: str = LMD) -> dict[str, Any]:
    """One record with the ``wanted`` properties (the caller leaves out unknown names; known
    but empty ones are null) and its ``url`` (``url`` + id)."""
    get = props.get
    rid = get("hs_object_id") or str(cid)
    return {"id": rid, "properties": {n: get(n) for n in wanted},
            "createdAt": get("createdate"), "updatedAt": get(modified), "archived": False,
            "url": url + rid}


def render_written(cid: int, props: Props, changes: Mapping[str, str | None], *,
                   echoed: Sequence[str] = ECHOED, url: str = CONTACT_URL,
                   modified: str = LMD) -> dict[str, Any]:
    """A create / update answer: the written properties (a cleared one as ``""``, as HubSpot
    echoes it) plus the ``echoed`` ones the record has."""
    names = [*changes, *(n for n in echoed if n not in changes and props.get(n) is not None)]
    obj = render_object(cid, props, names, url=url, modified=modified)
    shown = obj["properties"]
    for name, value in changes.items():
        if value is None:
            shown[name] = ""
    return obj


class FragmentCache:
    """Serialized records per (properties shown, id). Records are immutable dicts, so a
    cached fragment is valid while it was made from the very dict now stored (an identity
    check; the cache holds the dict, so its id cannot be reused). Repeated pages, such as a
    sync restarting from its watermark, cost a join instead of a serialization."""

    def __init__(self, max_entries: int = 150_000) -> None:
        self._max = max_entries
        self._size = 0
        self._by_wanted: dict[tuple[str, ...], dict[int, tuple[Props, bytes]]] = {}

    def clear(self) -> None:
        self._by_wanted.clear()
        self._size = 0

    def join(self, ids: Sequence[int], docs: Mapping[int, Props],
             wanted: tuple[str, ...]) -> bytes:
        """``b",".join`` of the records' JSON, serializing only what changed."""
        cache = self._by_wanted.get(wanted)
        if cache is None:
            cache = self._by_wanted[wanted] = {}
        parts: list[bytes] = []
        append, lookup = parts.append, cache.get
        for cid in ids:
            props = docs[cid]
            hit = lookup(cid)
            if hit is None or hit[0] is not props:
                if self._size >= self._max:
                    self.clear()
                    cache = self._by_wanted[wanted] = {}
                    lookup = cache.get
                hit = cache[cid] = (props, dumps(render_object(cid, props, wanted)))
                self._size += 1
            append(hit[1])
        return b",".join(parts)


def json_response(body: Any, status: int = 200,
                  headers: Mapping[str, str] | None = None) -> Response:
    return Response(dumps(body), status_code=status, headers=dict(headers or {}),
                    media_type=JSON_TYPE)


def list_page(ids_from: Callable[[int, int], list[int]], render: Callable[[int], dict[str, Any]],
              *, limit_raw: str | None, after_raw: str | None, archived: bool,
              link: str) -> dict[str, Any]:
    """One page of ``GET /crm/v3/objects/{type}``: up to ``limit`` objects from id ``after`` on,
    and a paging link (``link?after=<next>``) when more follow. ``ids_from(start, limit)`` gives
    up to ``limit + 1`` ids in order; call it under the store's lock."""
    limit = int_param(limit_raw, DEFAULT_LIST_LIMIT, "limit")
    if not 1 <= limit <= MAX_LIST_LIMIT:
        raise ApiError(400, f"limit must be between 1 and {MAX_LIST_LIMIT}, got {limit}.")
    start = int_param(after_raw, 0, "after")
    if archived:
        return {"results": []}
    ids = ids_from(start, limit)
    body: dict[str, Any] = {"results": [render(i) for i in ids[:limit]]}
    if len(ids) > limit:
        nxt = str(ids[limit])
        body["paging"] = {"next": {"after": nxt, "link": f"{link}?after={nxt}"}}
    return body

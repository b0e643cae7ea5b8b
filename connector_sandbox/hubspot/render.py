"""Records as the API returns them (``SimplePublicObject``) and JSON responses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from starlette.responses import Response

from .index import LMD, Props
from .jsonio import dumps

DEFAULT_PROPERTIES = ("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate",
                      "lastname")
ALWAYS = ("createdate", "hs_object_id", "lastmodifieddate")
JSON_TYPE = "application/json;charset=utf-8"


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


def render_object(cid: int, props: Props, wanted: Sequence[str]) -> dict[str, Any]:
    """One record with the ``wanted`` properties (the caller leaves out unknown names; known
    but empty ones are null)."""
    get = props.get
    return {"id": get("hs_object_id") or str(cid), "properties": {n: get(n) for n in wanted},
            "createdAt": get("createdate"), "updatedAt": get(LMD), "archived": False}


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

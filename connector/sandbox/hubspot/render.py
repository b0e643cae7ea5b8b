"""Records as the API returns them (``SimplePublicObject``) and JSON responses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from starlette.responses import Response

from .errors import dumps
from .index import LMD, Props

DEFAULT_PROPERTIES = ("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate",
                      "lastname")
ALWAYS = ("createdate", "hs_object_id", "lastmodifieddate")


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


def render_object(cid: int, props: Props, wanted: Sequence[str],
                  known: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One record; unknown property names are left out, known but empty ones are null."""
    get = props.get
    shown = {n: get(n) for n in wanted if known is None or n in known}
    return {"id": str(cid), "properties": shown, "createdAt": props.get("createdate"),
            "updatedAt": props.get(LMD), "archived": False}


def json_response(body: Any, status: int = 200,
                  headers: Mapping[str, str] | None = None) -> Response:
    return Response(dumps(body), status_code=status, headers=dict(headers or {}),
                    media_type="application/json;charset=utf-8")

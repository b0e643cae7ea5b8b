"""Small helpers shared by the HubSpot simulator tests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from hubspot.crm.contacts import Filter, FilterGroup, PublicObjectSearchRequest

from .conftest import Portal


def search(portal: Portal, *groups: list[dict[str, Any]], **request: Any) -> Any:
    """``search(portal, [{"property_name": ..., "operator": ..., "value": ...}], limit=5)``"""
    body = PublicObjectSearchRequest(
        filter_groups=[FilterGroup(filters=[Filter(**f) for f in g]) for g in groups],
        **request)
    return portal.search_api.do_search(public_object_search_request=body)


def f(name: str, operator: str, value: Any = None, **extra: Any) -> dict[str, Any]:
    """A filter in the SDK's keyword names."""
    out = {"property_name": name, "operator": operator, **extra}
    if value is not None:
        out["value"] = value
    return out


def body_of(exc: Any) -> dict[str, Any]:
    """The JSON body of an SDK ``ApiException``."""
    return dict(json.loads(exc.body))


def eventually(check: Callable[[], bool], timeout: float = 3.0) -> bool:
    """Poll ``check``: the call counter records a call just after its response is sent, so a
    read from the test thread right after the response can be a moment early."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


class Clock:
    """A hand-driven UTC clock for ``HubSpotSimConfig.clock``."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

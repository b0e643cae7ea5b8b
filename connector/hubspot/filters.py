"""HubSpot CRM search request bodies (``filterGroups``, ``sorts``), written in one place: jobs
and the pull ask for "contacts changed since T", never spell the filter JSON themselves.

Timestamps are epoch milliseconds, as HubSpot compares ``lastmodifieddate`` filters.
"""

from __future__ import annotations

from typing import Any

LMD = "lastmodifieddate"
ID = "hs_object_id"

FilterGroups = list[dict[str, Any]]
Sorts = list[dict[str, str]]


def condition(name: str, operator: str, value: str | int) -> dict[str, str]:
    """One filter: ``{"propertyName", "operator", "value"}`` (the value always a string)."""
    return {"propertyName": name, "operator": operator, "value": str(value)}


def changed_since(since_ms: int, *, inclusive: bool = True,
                  until_ms: int | None = None) -> FilterGroups:
    """Contacts with ``since <= lastmodifieddate`` (``>`` when not inclusive) ``[<= until]``."""
    filters = [condition(LMD, "GTE" if inclusive else "GT", since_ms)]
    if until_ms is not None:
        filters.append(condition(LMD, "LTE", until_ms))
    return [{"filters": filters}]


def changed_at_after_id(stamp_ms: int, after_id: str) -> FilterGroups:
    """Contacts modified exactly at ``stamp_ms`` with an id above ``after_id`` (draining one
    timestamp shared by more contacts than a page holds)."""
    return [{"filters": [condition(LMD, "EQ", stamp_ms), condition(ID, "GT", after_id)]}]


def ascending(name: str) -> Sorts:
    return [{"propertyName": name, "direction": "ASCENDING"}]

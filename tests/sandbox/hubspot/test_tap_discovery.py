"""Issue 12: the start-up calls of two widely used open-source HubSpot taps, replayed in their
order with plain HTTP, get documented answers (docs/sandbox.md, "HubSpot endpoints").

- singer-io ``tap-hubspot`` (discovery): one access probe per stream, in its ``STREAMS`` order;
  a 403 drops that stream, any other error (after five retries) stops the tap. Then the
  property definitions of the streams left (``/crm/v3/properties/contacts``), then
  ``/crm/v3/schemas`` for custom objects (a 403 there means "none").
- MeltanoLabs ``tap-hubspot`` and its forks: each dynamic stream reads
  ``/crm/v3/properties/{object}`` (``results[].name`` / ``type``) when its schema is built; a
  403 means the token lacks that object; custom objects come from ``/crm/v3/schemas``.

Each step is (method, path, query or body, expected status); every answer must be a 200 of
the shape the tap reads or a 403 ``MISSING_SCOPES``, the only two answers both taps survive.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import TOKEN, Portal

Step = tuple[str, str, dict[str, Any] | None, int]

SINGER_IO_DISCOVERY: list[Step] = [
    ("GET", "/email/public/v1/subscriptions/timeline",
     {"startTimestamp": 0, "endTimestamp": 1, "limit": 1}, 403),
    ("GET", "/email/public/v1/events", {"startTimestamp": 0, "endTimestamp": 1, "limit": 1},
     403),
    ("GET", "/crm/v3/objects/contacts", {"limit": 1}, 200),
    ("GET", "/deals/v1/deal/paged", {"limit": 1}, 403),
    ("GET", "/companies/v2/companies/paged", {"limit": 1}, 403),
    ("GET", "/crm/v4/objects/tickets", {"limit": 1}, 403),
    ("GET", "/crm/v3/owners/", {"limit": 1}, 200),
    ("GET", "/forms/v2/forms", None, 403),
    ("GET", "/automation/v3/workflows", None, 403),
    ("POST", "/crm/v3/lists/search", {"count": 1}, 403),
    ("GET", "/engagements/v1/engagements/paged", {"limit": 1}, 403),
    ("GET", "/email/public/v1/campaigns/by-id", {"limit": 1}, 403),
    ("GET", "/deals/v1/pipelines", None, 403),
    # schemas of the streams left: contacts (owners' schema is static)
    ("GET", "/crm/v3/properties/contacts", None, 200),
    # custom objects
    ("GET", "/crm/v3/schemas", {}, 403),
]
# older singer-io releases read the v1/v2 property endpoints first
SINGER_IO_LEGACY: list[Step] = [
    ("GET", "/properties/v1/contacts/properties", None, 403),
    ("GET", "/companies/v2/properties", None, 403),
    ("GET", "/properties/v1/deals/properties", None, 403),
    ("GET", "/owners/v2/owners", None, 403),
]
MELTANO_DISCOVERY: list[Step] = [
    ("GET", f"/crm/v3/properties/{name}", None, 200 if name in ("contacts", "deals") else 403)
    for name in ("contacts", "companies", "deals", "tickets", "products", "line_items",
                 "quotes", "calls", "emails", "meetings", "notes", "tasks", "communications",
                 "postal_mail")
] + [
    ("GET", "/crm/v3/schemas", None, 403),
    ("GET", "/crm/v3/owners", {"limit": 100}, 200),
    ("GET", "/crm/v3/pipelines/deals", None, 200),
    ("GET", "/crm/v3/objects/deals", {"limit": 100}, 200),
    ("GET", "/settings/v3/users", None, 403),
    ("GET", "/crm-pipelines/v1/pipelines/tickets", None, 403),
]


def _send(client: httpx.Client, step: Step) -> httpx.Response:
    method, path, params, _ = step
    headers = {"Authorization": f"Bearer {TOKEN}", "User-Agent": "tap-hubspot"}
    if method == "POST":
        return client.post(path, json=params or {}, headers=headers)
    return client.get(path, params=params, headers=headers)


def _check_shape(path: str, body: dict[str, Any]) -> None:
    """What the taps read from each 200."""
    results = body["results"]
    assert isinstance(results, list)
    if path.startswith("/crm/v3/properties/"):
        assert results and all(isinstance(p["name"], str) and p["type"] for p in results)
    elif path.startswith("/crm/v3/owners"):
        assert results and all(o["id"] and o["updatedAt"] and "email" in o for o in results)
    elif path.startswith("/crm/v3/pipelines/"):
        stages = [s for p in results for s in p["stages"]]
        assert {s["id"] for s in stages} >= {"closedwon", "closedlost"}
        assert all(s["metadata"]["isClosed"] in ("true", "false") for s in stages)
    else:  # object pages: id, properties, createdAt, updatedAt, archived, url
        for record in results:
            assert {"id", "properties", "createdAt", "updatedAt", "archived", "url"} <= \
                set(record)
        if "paging" in body:
            assert body["paging"]["next"]["after"]


@pytest.mark.parametrize("sequence", [SINGER_IO_DISCOVERY, SINGER_IO_LEGACY, MELTANO_DISCOVERY],
                         ids=["singer-io", "singer-io-legacy", "meltano"])
def test_discovery_sequence_gets_documented_answers(portal: Portal,
                                                    sequence: list[Step]) -> None:
    portal.sim.deals.create({"dealname": "Replay", "dealstage": "closedwon", "amount": 5})
    for step in sequence:
        response = _send(portal.admin, step)
        label = f"{step[0]} {step[1]}"
        assert response.status_code == step[3], f"{label}: {response.status_code}"
        body = response.json()
        if step[3] == 403:
            assert body["category"] == "MISSING_SCOPES", label
            assert body["errors"][0]["context"]["requiredGranularScopes"], label
        else:
            _check_shape(step[1], body)
        if not step[1].endswith("/search"):  # search answers carry no rate-limit headers
            assert "X-HubSpot-RateLimit-Remaining" in response.headers, label


def test_singer_io_keeps_the_streams_it_can_read(portal: Portal) -> None:
    """The tap's own rule: a stream stays when its probe is not a 403, and the tap refuses to
    start only when every probe is. Contacts and owners stay."""
    probes = SINGER_IO_DISCOVERY[:13]
    kept = [step[1] for step in probes if _send(portal.admin, step).status_code != 403]
    assert kept == ["/crm/v3/objects/contacts", "/crm/v3/owners/"]

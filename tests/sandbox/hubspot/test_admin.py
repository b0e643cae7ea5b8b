"""The admin endpoints under /__sandbox__, driven with httpx: reset, seed, calls, faults,
hidden intent, config. They need no token and are neither counted nor faulted."""

from __future__ import annotations

from .conftest import Portal
from .helpers import eventually


def test_reset_and_seed(portal: Portal) -> None:
    assert portal.admin.post("/__sandbox__/reset").status_code == 200
    assert portal.sim.contacts.count() == 0
    body = {"count": 15, "seed": 4, "start": "2026-11-02T09:00:00+00:00"}
    first = portal.admin.post("/__sandbox__/seed", json=body).json()
    assert first["count"] == 15 and first["total"] == 15
    emails = [portal.sim.contacts.get(i)["email"] for i in first["ids"]]  # type: ignore[index]
    portal.admin.post("/__sandbox__/reset")
    again = portal.admin.post("/__sandbox__/seed", json=body).json()
    assert [portal.sim.contacts.get(i)["email"] for i in again["ids"]] == emails  # type: ignore[index]
    assert portal.admin.post("/__sandbox__/seed", json={"count": "many"}).status_code == 400


def test_calls_are_counted_by_endpoint_and_status(portal: Portal) -> None:
    portal.basic_api.get_by_id(portal.ids[0])
    portal.basic_api.get_by_id(portal.ids[1])
    portal.search_api.do_search(public_object_search_request={"limit": 1})
    assert eventually(lambda: portal.sim.counter.total() == 3)
    calls = portal.admin.get("/__sandbox__/calls").json()
    assert calls["total"] == 3
    assert calls["by_endpoint"]["GET /crm/v3/objects/contacts/{contactId}"] == 2
    assert calls["by_status"]["POST /crm/v3/objects/contacts/search 200"] == 1
    assert portal.admin.delete("/__sandbox__/calls").status_code == 204
    assert portal.admin.get("/__sandbox__/calls").json()["total"] == 0


def test_faults_round_trip_and_apply(portal: Portal) -> None:
    rule = {"match": "GET /crm/v3/objects/contacts*", "fail_next": 1, "fail_status": 503}
    put = portal.admin.put("/__sandbox__/faults", json=[rule])
    assert put.status_code == 200
    (stored,) = portal.admin.get("/__sandbox__/faults").json()["rules"]
    assert stored["match"] == rule["match"] and stored["fail_next"] == 1
    token = {"Authorization": f"Bearer {portal.sim.config.token}"}
    assert portal.admin.get("/crm/v3/objects/contacts", headers=token).status_code == 503
    assert portal.admin.get("/crm/v3/objects/contacts", headers=token).status_code == 200
    assert portal.admin.put("/__sandbox__/faults", json={"rules": []}).json() == {"rules": []}


def test_hidden_intent(portal: Portal) -> None:
    cid = portal.ids[0]
    body = portal.admin.get(f"/__sandbox__/contacts/{cid}/intent").json()
    assert body["id"] == cid and 0.0 <= body["intent"] <= 1.0
    assert body["intent"] == portal.sim.hidden_intent(cid)
    assert portal.admin.get("/__sandbox__/contacts/1/intent").status_code == 404
    public = portal.basic_api.get_by_id(cid, properties=["intent", "hidden_intent"])
    assert "intent" not in public.properties


def test_config_patch(portal: Portal) -> None:
    body = portal.admin.patch("/__sandbox__/config",
                              json={"rate_limits": True, "daily_limit": 1}).json()
    assert body["rate_limits"] is True and body["daily_max"] == 1
    assert "token" not in body
    token = {"Authorization": f"Bearer {portal.sim.config.token}"}
    assert portal.admin.get("/crm/v3/objects/contacts", headers=token).status_code == 200
    assert portal.admin.get("/crm/v3/objects/contacts", headers=token).status_code == 429
    assert portal.admin.get("/__sandbox__/calls").status_code == 200  # admin is never limited
    assert portal.admin.patch("/__sandbox__/config", json={"seed": 3}).status_code == 400
    assert portal.admin.patch("/__sandbox__/config",
                              json={"search_lag_s": 1.5}).json()["search_lag_s"] == 1.5

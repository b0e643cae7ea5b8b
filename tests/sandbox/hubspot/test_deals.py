"""Issue 12 point 1, "better": owners, the deal pipeline and deals, simulated and read through
the unmodified SDK (``hs.crm.owners``, ``hs.crm.pipelines``, ``hs.crm.deals``)."""

from __future__ import annotations

import pytest
from hubspot.crm.deals import ApiException as DealsApiException
from hubspot.crm.deals import (
    Filter,
    FilterGroup,
    PublicObjectSearchRequest,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.owners import ApiException as OwnersApiException
from hubspot.crm.pipelines import ApiException as PipelinesApiException

from connector_sandbox.hubspot.config import PORTAL_ID

from .conftest import Portal
from .helpers import body_of

DEAL_URL = f"https://app.hubspot.com/contacts/{PORTAL_ID}/record/0-3/"


def test_owners_page_get_and_filter(portal: Portal) -> None:
    api = portal.hs.crm.owners.owners_api
    first = api.get_page(limit=2)
    assert len(first.results) == 2
    assert first.paging.next.after
    rest = api.get_page(limit=100, after=first.paging.next.after)
    owners = first.results + rest.results
    assert rest.paging is None
    assert len({o.id for o in owners}) == len(owners) == 4
    one = owners[0]
    assert one.type == "PERSON" and one.email and one.first_name and one.user_id
    assert one.teams and one.teams[0].primary is True
    assert api.get_by_id(one.id).email == one.email
    assert api.get_by_id(str(one.user_id), id_property="userId").id == one.id
    assert [o.id for o in api.get_page(email=one.email.upper()).results] == [one.id]
    with pytest.raises(OwnersApiException) as err:
        api.get_by_id("1")
    assert err.value.status == 404


def test_deal_pipeline_stages(portal: Portal) -> None:
    api = portal.hs.crm.pipelines.pipelines_api
    pipelines = api.get_all("deals").results
    assert [p.id for p in pipelines] == ["default"]
    stages = {s.id: s for s in pipelines[0].stages}
    assert stages["closedwon"].metadata == {"isClosed": "true", "probability": "1.0"}
    assert stages["closedlost"].metadata == {"isClosed": "true", "probability": "0.0"}
    open_stages = [s for s in stages.values() if s.id not in ("closedwon", "closedlost")]
    assert open_stages and all(s.metadata["isClosed"] == "false" for s in open_stages)
    assert all(0 < float(s.metadata["probability"]) < 1 for s in open_stages)
    assert [s.display_order for s in pipelines[0].stages] == list(range(len(stages)))
    assert api.get_by_id("deals", "default").label == "Sales Pipeline"
    staged = portal.hs.crm.pipelines.pipeline_stages_api.get_all("deals", "default")
    assert [s.id for s in staged.results] == [s.id for s in pipelines[0].stages]
    with pytest.raises(PipelinesApiException) as err:
        api.get_all("tickets")
    assert err.value.status == 403
    assert body_of(err.value)["category"] == "MISSING_SCOPES"
    with pytest.raises(PipelinesApiException) as err:
        api.get_by_id("deals", "nope")
    assert err.value.status == 404


def test_deal_create_get_update_list(portal: Portal) -> None:
    api = portal.hs.crm.deals.basic_api
    owner = portal.hs.crm.owners.owners_api.get_page(limit=1).results[0]
    raw = api.create(SimplePublicObjectInputForCreate(properties={
        "dealname": "Acme renewal", "amount": "12000", "dealstage": "contractsent",
        "hubspot_owner_id": owner.id}), _preload_content=False)
    assert raw.status == 201
    made = raw.json()
    props = made["properties"]
    assert made["url"] == DEAL_URL + made["id"]
    assert props["pipeline"] == "default"
    assert props["hs_is_closed"] == "false" and props["hs_deal_stage_probability"] == "0.9"
    assert {"createdate", "hs_lastmodifieddate", "hs_object_id"} <= set(props)
    won = api.update(made["id"], SimplePublicObjectInput(
        properties={"dealstage": "closedwon", "amount": ""}))
    assert won.properties["amount"] == ""
    assert won.properties["hs_is_closed_won"] == "true"
    assert won.properties["hs_is_closed"] == "true"
    got = api.get_by_id(made["id"], properties=["dealname", "amount", "hubspot_owner_id"])
    assert got.properties["dealname"] == "Acme renewal"
    assert got.properties["amount"] is None
    assert got.properties["hubspot_owner_id"] == owner.id
    page = api.get_page(limit=10)
    assert [d.id for d in page.results] == [made["id"]]
    with pytest.raises(DealsApiException) as err:
        api.create(SimplePublicObjectInputForCreate(properties={"dealstage": "won-ish"}))
    assert err.value.status == 400
    assert "INVALID_OPTION" in body_of(err.value)["message"]
    with pytest.raises(DealsApiException) as err:
        api.get_by_id("12345")
    assert err.value.status == 404


def test_deal_search_by_stage_and_amount(portal: Portal) -> None:
    deals = portal.sim.deals
    for n, stage in enumerate(["closedwon", "closedlost", "closedwon", "qualifiedtobuy"]):
        deals.create({"dealname": f"Deal {n}", "dealstage": stage, "amount": 1000 * (n + 1)})
    api = portal.hs.crm.deals.search_api
    won = api.do_search(public_object_search_request=PublicObjectSearchRequest(
        filter_groups=[FilterGroup(filters=[
            Filter(property_name="hs_is_closed_won", operator="EQ", value="true")])],
        sorts=["-amount"], properties=["dealname", "amount"], limit=1))
    assert won.total == 2
    assert [d.properties["dealname"] for d in won.results] == ["Deal 2"]
    assert won.paging.next.after == "1"
    closed = api.do_search(public_object_search_request=PublicObjectSearchRequest(
        filter_groups=[FilterGroup(filters=[
            Filter(property_name="dealstage", operator="IN", values=["closedwon", "closedlost"]),
            Filter(property_name="amount", operator="GTE", value="2000")])], limit=10))
    assert closed.total == 2
    assert set(closed.results[0].properties) >= {"dealname", "dealstage", "amount", "pipeline"}
    named = api.do_search(public_object_search_request=PublicObjectSearchRequest(
        query="dea 3", limit=10))
    assert [d.properties["dealname"] for d in named.results] == ["Deal 3"]


def test_deal_properties(portal: Portal) -> None:
    props = {p.name: p for p in portal.properties_api.get_all("deals").results}
    assert {"dealname", "amount", "dealstage", "pipeline", "closedate",
            "hs_lastmodifieddate", "hubspot_owner_id"} <= set(props)
    assert {o.value for o in props["dealstage"].options} >= {"closedwon", "closedlost"}
    assert portal.properties_api.get_by_name("deal", "amount").type == "number"

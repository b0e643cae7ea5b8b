"""POST /crm/v3/objects/contacts/search through the unmodified SDK: operators, sorts, paging,
the 10,000-result cap, filter caps, default properties, index lag."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hubspot.crm.contacts import ApiException

from .conftest import Portal
from .helpers import Clock, body_of, f, search

MARK = f("company", "EQ", "Operator Test Co")


@pytest.fixture
def people(portal: Portal) -> dict[str, str]:
    """Five contacts with known values, all at company "Operator Test Co"."""
    rows: dict[str, dict[str, Any]] = {
        "ada": {"firstname": "Ada", "email": "ada@lovelace.io", "pricing_page_views": 7,
                "industry": "COMPUTER_SOFTWARE", "last_pricing_page_visit": "2026-10-01T00:00:00Z",
                "pain_point": "manual data entry into Salesforce"},
        "bob": {"firstname": "Bob", "email": "bob@gmail.com", "pricing_page_views": 2,
                "industry": "RETAIL", "last_pricing_page_visit": "2026-09-01T00:00:00Z"},
        "cy": {"firstname": "Cy", "email": "cy@acme.co.uk", "pricing_page_views": 12,
               "industry": "RETAIL", "pain_point": "just looking"},
        "di": {"firstname": "Di", "email": "di@acme.co.uk"},
        "ed": {"firstname": "Ed", "email": "ed@yahoo.com", "pricing_page_views": 0,
               "last_pricing_page_visit": "2026-10-20T12:00:00.000Z"},
    }
    return {key: portal.sim.contacts.create({"company": "Operator Test Co", **props})
            for key, props in rows.items()}


def names(page: object) -> set[str]:
    return {r.properties["firstname"] for r in page.results}  # type: ignore[attr-defined]


OCT_1 = int(datetime(2026, 10, 1, tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize(("flt", "expected"), [
    (f("pricing_page_views", "EQ", "7"), {"Ada"}),
    (f("pricing_page_views", "NEQ", "7"), {"Bob", "Cy", "Di", "Ed"}),
    (f("pricing_page_views", "LT", "7"), {"Bob", "Ed"}),
    (f("pricing_page_views", "LTE", "7"), {"Ada", "Bob", "Ed"}),
    (f("pricing_page_views", "GT", "2"), {"Ada", "Cy"}),
    (f("pricing_page_views", "GTE", "2"), {"Ada", "Bob", "Cy"}),
    (f("pricing_page_views", "BETWEEN", "2", high_value="7"), {"Ada", "Bob"}),
    (f("industry", "IN", values=["RETAIL", "EDUCATION_MANAGEMENT"]), {"Bob", "Cy"}),
    (f("industry", "NOT_IN", values=["RETAIL"]), {"Ada", "Di", "Ed"}),
    (f("pain_point", "HAS_PROPERTY"), {"Ada", "Cy"}),
    (f("pain_point", "NOT_HAS_PROPERTY"), {"Bob", "Di", "Ed"}),
    (f("pain_point", "CONTAINS_TOKEN", "salesforce"), {"Ada"}),
    (f("pain_point", "NOT_CONTAINS_TOKEN", "looking"), {"Ada", "Bob", "Di", "Ed"}),
    (f("email", "CONTAINS_TOKEN", "*@acme.co.uk"), {"Cy", "Di"}),
    (f("email", "EQ", "ADA@LOVELACE.IO"), {"Ada"}),
    (f("last_pricing_page_visit", "GTE", str(OCT_1)), {"Ada", "Ed"}),  # epoch ms
    (f("last_pricing_page_visit", "GT", "2026-10-01T00:00:00Z"), {"Ed"}),  # ISO
    (f("last_pricing_page_visit", "LT", "2026-10-01"), {"Bob"}),
    (f("last_pricing_page_visit", "BETWEEN", "2026-08-01T00:00:00Z",
       high_value=str(OCT_1)), {"Ada", "Bob"}),
])
def test_every_operator(portal: Portal, people: dict[str, str], flt: dict, expected: set) -> None:
    page = search(portal, [MARK, flt], properties=["firstname"], limit=50)
    assert names(page) == expected
    assert page.total == len(expected)


def test_groups_are_ored_filters_anded(portal: Portal, people: dict[str, str]) -> None:
    page = search(portal, [MARK, f("industry", "EQ", "RETAIL"), f("pricing_page_views", "GT", "5")],
                  [MARK, f("firstname", "EQ", "di")], properties=["firstname"])
    assert names(page) == {"Cy", "Di"}


def test_sorts_default_by_id_and_nulls_last(portal: Portal, people: dict[str, str]) -> None:
    page = search(portal, [MARK], properties=["firstname"])
    assert [r.id for r in page.results] == sorted(people.values(), key=int)
    page = search(portal, [MARK], properties=["firstname", "pricing_page_views"],
                  sorts=[{"propertyName": "pricing_page_views", "direction": "DESCENDING"}])
    assert [r.properties["firstname"] for r in page.results] == ["Cy", "Ada", "Bob", "Ed", "Di"]
    page = search(portal, [MARK], properties=["firstname"], sorts=["firstname"])
    assert [r.properties["firstname"] for r in page.results] == ["Ada", "Bob", "Cy", "Di", "Ed"]


def test_default_properties_and_values_are_strings(portal: Portal,
                                                   people: dict[str, str]) -> None:
    page = search(portal, [MARK, f("firstname", "EQ", "Ada")])
    (ada,) = page.results
    assert set(ada.properties) == {"createdate", "email", "firstname", "hs_object_id",
                                   "lastmodifieddate", "lastname"}
    assert ada.properties["lastname"] is None
    page = search(portal, [MARK, f("firstname", "EQ", "Ada")],
                  properties=["pricing_page_views", "no_such_property"])
    props = page.results[0].properties
    assert props["pricing_page_views"] == "7"
    assert "no_such_property" not in props
    assert props["hs_object_id"] == people["ada"]


def test_paging_with_after_and_no_paging_on_last_page(portal: Portal) -> None:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = search(portal, [f("lastmodifieddate", "GTE", "0")], limit=25, after=after,
                      sorts=[{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
                      properties=["lastmodifieddate"])
        pages += 1
        assert page.total == len(portal.ids)
        seen += [r.id for r in page.results]
        if page.paging is None:
            break
        after = page.paging.next.after
        assert page.paging.next.link.endswith(f"after={after}")
    assert pages == 3
    assert sorted(seen) == sorted(portal.ids)
    stamps = [portal.sim.contacts.get(i)["lastmodifieddate"] for i in seen]  # type: ignore[index]
    assert stamps == sorted(stamps)


def test_paging_past_10k_results_fails_with_400(portal: Portal) -> None:
    stamp = "2026-11-01T00:00:00.000Z"
    portal.sim.contacts.load(({"email": f"bulk{n}@import.io", "createdate": stamp,
                               "lastmodifieddate": stamp}, 0.0)
                             for n in range(10_100 - len(portal.ids)))
    page = search(portal, [], limit=200, after="9800", properties=["email"])
    assert page.total == 10_100 and len(page.results) == 200
    assert page.paging.next.after == "10000"
    with pytest.raises(ApiException) as err:
        search(portal, [], limit=200, after=page.paging.next.after, properties=["email"])
    assert err.value.status == 400
    assert body_of(err.value)["category"] == "VALIDATION_ERROR"


def test_following_after_runs_into_the_configured_cap(portal: Portal) -> None:
    portal.configure(max_search_results=40)
    after, pages = None, 0
    while True:
        try:
            page = search(portal, [], limit=10, after=after, properties=["email"])
        except ApiException as exc:
            assert exc.status == 400
            break
        pages += 1
        assert page.total == len(portal.ids)
        after = page.paging.next.after
    assert pages == 4 and after == "40"


@pytest.mark.parametrize("request_kw", [{"limit": 201}, {"query": "x" * 3001},
                                        {"after": "-1"}])
def test_request_limits(portal: Portal, request_kw: dict) -> None:
    with pytest.raises(ApiException) as err:
        search(portal, [], **request_kw)
    assert err.value.status == 400
    assert body_of(err.value)["category"] == "VALIDATION_ERROR"


def test_filter_caps_are_configurable(portal: Portal) -> None:
    one = [f("firstname", "HAS_PROPERTY")]
    search(portal, *([one] * 5))
    with pytest.raises(ApiException) as err:
        search(portal, *([one] * 6))
    assert err.value.status == 400 and "filter groups" in body_of(err.value)["message"]
    with pytest.raises(ApiException):
        search(portal, one * 7)
    with pytest.raises(ApiException):  # 4 groups x 5 filters = 20 > 18 in total
        search(portal, *([one * 5] * 4))
    portal.configure(max_filter_groups=10, max_filters_per_group=10, max_filters_total=25)
    search(portal, *([one * 5] * 4))


def test_unknown_property_or_bad_value_is_a_400(portal: Portal) -> None:
    for flt in (f("no_such_property", "EQ", "1"), f("pricing_page_views", "GT", "many"),
                f("createdate", "GTE", "yesterday"), f("firstname", "LIKE", "a")):
        with pytest.raises(ApiException) as err:
            search(portal, [flt])
        assert err.value.status == 400


def test_free_text_query(portal: Portal, people: dict[str, str]) -> None:
    page = search(portal, [MARK], query="lovelace", properties=["firstname"])
    assert names(page) == {"Ada"}


def test_no_rate_limit_headers_on_search(portal: Portal) -> None:
    _, status, headers = portal.search_api.do_search_with_http_info(
        public_object_search_request={"limit": 1})
    assert status == 200
    assert not [h for h in headers if h.lower().startswith("x-hubspot-ratelimit")]


def test_search_index_lag(portal: Portal) -> None:
    clock = Clock(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    portal.configure(search_lag_s=3.0, clock=clock)
    cid = portal.sim.contacts.create({"firstname": "Laggard", "email": "lag@late.io"})
    assert portal.sim.contacts.get(cid) is not None  # the store has it at once
    assert search(portal, [f("firstname", "EQ", "Laggard")]).total == 0
    clock.advance(2)
    portal.sim.contacts.update(cid, {"pricing_page_views": 3})
    clock.advance(1.5)  # the create is searchable, the update not yet
    page = search(portal, [f("firstname", "EQ", "Laggard")], properties=["pricing_page_views"])
    assert page.total == 1 and page.results[0].properties["pricing_page_views"] is None
    clock.advance(2)
    page = search(portal, [f("pricing_page_views", "EQ", "3"), f("email", "EQ", "lag@late.io")])
    assert [r.id for r in page.results] == [cid]

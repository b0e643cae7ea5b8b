"""Issue 12 point 1: HubSpot resources the sandbox does not simulate answer 403 MISSING_SCOPES
in HubSpot's error body (not 400 / 404), through the unmodified SDK and plain HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from hubspot.crm.companies import ApiException as CompaniesApiException
from hubspot.crm.properties import ApiException as PropertiesApiException
from hubspot.crm.schemas import ApiException as SchemasApiException
from hypothesis import assume, given
from hypothesis import strategies as st

from connector_sandbox.hubspot.scopes import FAMILY_SCOPES, SIMULATED_OBJECTS, required_scopes

from .conftest import TOKEN, Portal
from .helpers import body_of

MESSAGE_START = "This app hasn't been granted all required scopes"


def assert_missing_scopes(body: dict[str, Any], scope: str) -> None:
    assert body["status"] == "error"
    assert body["category"] == "MISSING_SCOPES"
    assert body["message"].startswith(MESSAGE_START)
    assert body["correlationId"]
    assert body["errors"] == [{"message": "One or more of the following scopes are required.",
                               "context": {"requiredGranularScopes": [scope]}}]
    assert body["links"] == {"scopes": "https://developers.hubspot.com/scopes"}


def test_other_objects_properties_through_the_sdk(portal: Portal) -> None:
    with pytest.raises(PropertiesApiException) as err:
        portal.properties_api.get_all("companies")
    assert err.value.status == 403
    assert_missing_scopes(body_of(err.value), "crm.schemas.companies.read")
    assert "X-HubSpot-RateLimit-Remaining" in err.value.headers
    with pytest.raises(PropertiesApiException) as err:
        portal.properties_api.get_by_name("tickets", "subject")
    assert err.value.status == 403
    assert_missing_scopes(body_of(err.value), "tickets")


def test_schemas_and_companies_through_the_sdk(portal: Portal) -> None:
    with pytest.raises(SchemasApiException) as err:
        portal.hs.crm.schemas.core_api.get_all()
    assert err.value.status == 403
    assert_missing_scopes(body_of(err.value), "crm.schemas.custom.read")
    with pytest.raises(CompaniesApiException) as cerr:
        portal.hs.crm.companies.basic_api.get_page(limit=1)
    assert cerr.value.status == 403
    assert_missing_scopes(body_of(cerr.value), "crm.objects.companies.read")


@pytest.mark.parametrize(("method", "path", "scope"), [
    ("GET", "/properties/v1/contacts/properties", "crm.schemas.contacts.read"),
    ("GET", "/properties/v2/deals/properties", "crm.schemas.deals.read"),
    ("GET", "/companies/v2/properties", "crm.objects.companies.read"),
    ("GET", "/owners/v2/owners", "crm.objects.owners.read"),
    ("GET", "/deals/v1/pipelines", "crm.objects.deals.read"),
    ("GET", "/crm/v3/pipelines/tickets", "tickets"),
    ("GET", "/crm/v4/objects/tickets", "tickets"),
    ("POST", "/crm/v3/objects/companies/search", "crm.objects.companies.read"),
    ("POST", "/crm/v3/lists/search", "crm.lists.read"),
    ("GET", "/crm/v3/objects/p_vehicles", "crm.objects.custom.read"),
    ("GET", "/crm/v3/schemas", "crm.schemas.custom.read"),
])
def test_unsimulated_paths_answer_missing_scopes(portal: Portal, method: str, path: str,
                                                 scope: str) -> None:
    response = portal.admin.request(method, path, headers={"Authorization": f"Bearer {TOKEN}"},
                                    json={} if method == "POST" else None)
    assert response.status_code == 403
    assert_missing_scopes(response.json(), scope)


def test_what_is_not_hubspot_stays_404_or_400(portal: Portal) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    missing = portal.admin.get("/no/such/thing", headers=auth)
    assert missing.status_code == 404
    assert missing.json()["category"] == "OBJECT_NOT_FOUND"
    under_contacts = portal.admin.get("/crm/v3/objects/contacts/1/nothing", headers=auth)
    assert under_contacts.status_code == 404
    unknown_type = portal.admin.get("/crm/v3/properties/unicorns", headers=auth)
    assert unknown_type.status_code == 400
    assert unknown_type.json()["message"] == "Unable to infer object type from: unicorns"


def test_missing_scopes_still_needs_a_valid_token(portal: Portal) -> None:
    response = portal.admin.get("/crm/v3/schemas", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401


def test_required_scopes_by_path() -> None:
    assert required_scopes("/crm/v3/properties/0-2") == ("crm.schemas.companies.read",)
    assert required_scopes("/crm/v3/objects/contacts") == ()
    assert required_scopes("/crm/v3/objects/deals/1/associations/x") == ()
    assert required_scopes("/email/public/v1/campaigns/by-id") == ("content",)
    assert required_scopes("/__sandbox__/calls") == ()


_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12)


@given(st.lists(_SEGMENT, min_size=1, max_size=4))
def test_paths_outside_hubspots_api_need_no_scope(segments: list[str]) -> None:
    assume(segments[0] not in FAMILY_SCOPES and segments[0] not in ("crm", "crm-object-schemas"))
    assert required_scopes("/" + "/".join(segments)) == ()


@given(st.sampled_from(sorted(SIMULATED_OBJECTS)), st.lists(_SEGMENT, max_size=3),
       st.sampled_from(["v3", "v4"]))
def test_simulated_objects_never_answer_missing_scopes(name: str, rest: list[str],
                                                       version: str) -> None:
    path = "/".join([f"/crm/{version}/objects", name, *rest])
    assert required_scopes(path) == ()


@given(st.sampled_from(["companies", "tickets", "products", "line_items", "quotes", "calls",
                        "notes", "tasks", "p_cars", "2-1234"]),
       st.sampled_from(["objects", "properties", "pipelines"]))
def test_unsimulated_objects_always_name_a_scope(name: str, family: str) -> None:
    scopes = required_scopes(f"/crm/v3/{family}/{name}")
    assert len(scopes) == 1 and scopes[0]

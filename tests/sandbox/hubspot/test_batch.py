"""Batch read / update / upsert / create / archive through the unmodified SDK: 200, 207 with
``errors[].context.ids``, upsert ``new``, 201 on create, the 100-input cap."""

from __future__ import annotations

from typing import Any

import pytest
from hubspot.crm.contacts import (
    ApiException,
    BatchInputSimplePublicObjectBatchInput,
    BatchInputSimplePublicObjectBatchInputForCreate,
    BatchInputSimplePublicObjectBatchInputUpsert,
    BatchInputSimplePublicObjectId,
    BatchReadInputSimplePublicObjectId,
    SimplePublicObjectBatchInput,
    SimplePublicObjectBatchInputForCreate,
    SimplePublicObjectBatchInputUpsert,
    SimplePublicObjectId,
)

from .conftest import Portal
from .helpers import body_of


def update(portal: Portal, rows: list[tuple[str, dict]], **kw: Any) -> Any:
    return portal.batch_api.update(BatchInputSimplePublicObjectBatchInput(
        inputs=[SimplePublicObjectBatchInput(id=i, properties=p, **kw) for i, p in rows]))


def test_batch_read_200_then_207_for_unknown_ids(portal: Portal) -> None:
    ids = portal.ids[:3]
    read = portal.batch_api.read(BatchReadInputSimplePublicObjectId(
        inputs=[SimplePublicObjectId(id=i) for i in ids], properties=["country"]))
    assert type(read).__name__ == "BatchResponseSimplePublicObject"
    assert read.status == "COMPLETE"
    assert [r.id for r in read.results] == ids
    assert "country" in read.results[0].properties
    read = portal.batch_api.read(BatchReadInputSimplePublicObjectId(
        inputs=[SimplePublicObjectId(id=i) for i in [*ids, "424242", "nope"]],
        properties=["country"]))
    assert type(read).__name__ == "BatchResponseSimplePublicObjectWithErrors"
    assert len(read.results) == 3 and read.num_errors == 1
    assert read.errors[0].category == "OBJECT_NOT_FOUND"
    assert read.errors[0].context == {"ids": ["424242", "nope"]}


def test_batch_read_by_email(portal: Portal) -> None:
    email = portal.sim.contacts.get(portal.ids[4])["email"]  # type: ignore[index]
    read = portal.batch_api.read(BatchReadInputSimplePublicObjectId(
        inputs=[SimplePublicObjectId(id=email)], properties=["email"], id_property="email"))
    assert [r.id for r in read.results] == [portal.ids[4]]


def test_batch_update_partial_errors(portal: Portal) -> None:
    a, b, c, d, e = portal.ids[:5]
    result = update(portal, [
        (a, {"lifecyclestage": "salesqualifiedlead", "hs_email_optout": "TRUE"}),
        (b, {"industry": "Software"}),                       # not an option
        (c, {"no_such_property": "x"}),                      # unknown property
        (d, {"hs_analytics_source": "OFFLINE"}),             # read-only
        (e, {"demo_requested": "maybe"}),                    # booleancheckbox
        ("987654", {"city": "Nowhere"}),                     # no such contact
    ])
    assert type(result).__name__ == "BatchResponseSimplePublicObjectWithErrors"
    assert [r.id for r in result.results] == [a]
    assert result.results[0].properties["hs_email_optout"] == "true"
    by_id = {err.context["ids"][0]: err for err in result.errors}
    assert by_id["987654"].category == "OBJECT_NOT_FOUND"
    assert [err.errors[0].code for err in (by_id[b], by_id[c], by_id[d], by_id[e])] == [
        "INVALID_OPTION", "PROPERTY_DOESNT_EXIST", "READ_ONLY_VALUE", "INVALID_BOOLEAN"]
    assert by_id[b].category == "VALIDATION_ERROR"
    assert by_id[b].context["propertyName"] == ["industry"]
    assert portal.sim.contacts.get(b).get("industry") != "Software"  # type: ignore[union-attr]


def test_batch_update_shares_one_lastmodifieddate_that_advances(portal: Portal) -> None:
    rows = [(i, {"hs_lead_status": "OPEN"}) for i in portal.ids[:10]]
    first = update(portal, rows)
    stamps = {r.properties["lastmodifieddate"] for r in first.results}
    assert len(stamps) == 1
    second = update(portal, rows)
    assert second.results[0].properties["lastmodifieddate"] > stamps.pop()


def test_batch_update_by_email_and_duplicate_ids(portal: Portal) -> None:
    email = portal.sim.contacts.get(portal.ids[6])["email"]  # type: ignore[index]
    result = update(portal, [(email, {"city": "Turku"})], id_property="email")
    assert result.results[0].id == portal.ids[6]
    with pytest.raises(ApiException) as err:
        update(portal, [(portal.ids[0], {}), (portal.ids[0], {})])
    assert err.value.status == 400


def test_more_than_100_inputs_is_a_400(portal: Portal) -> None:
    with pytest.raises(ApiException) as err:
        update(portal, [(str(n), {"city": "x"}) for n in range(101)])
    assert err.value.status == 400
    assert body_of(err.value)["category"] == "VALIDATION_ERROR"
    with pytest.raises(ApiException):
        portal.batch_api.read(BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id=str(n)) for n in range(101)], properties=[]))


def test_upsert_by_email_reports_new(portal: Portal) -> None:
    known = portal.sim.contacts.get(portal.ids[7])["email"]  # type: ignore[index]
    result = portal.batch_api.upsert(BatchInputSimplePublicObjectBatchInputUpsert(inputs=[
        SimplePublicObjectBatchInputUpsert(id=known, id_property="email",
                                           properties={"hs_lead_status": "CONNECTED"}),
        SimplePublicObjectBatchInputUpsert(id="fresh@newco.io", id_property="email",
                                           properties={"firstname": "Fresh"}),
    ]))
    assert type(result).__name__ == "BatchResponseSimplePublicUpsertObject"
    assert [(r.id, r.new) for r in result.results][0] == (portal.ids[7], False)
    assert result.results[1].new is True
    created = portal.sim.contacts.find_by_email("fresh@newco.io")
    assert created == result.results[1].id
    again = portal.batch_api.upsert(BatchInputSimplePublicObjectBatchInputUpsert(inputs=[
        SimplePublicObjectBatchInputUpsert(id="FRESH@newco.io", id_property="email",
                                           properties={"city": "Bergen"})]))
    assert again.results[0].new is False and again.results[0].id == created


def test_upsert_partial_errors(portal: Portal) -> None:
    result = portal.batch_api.upsert(BatchInputSimplePublicObjectBatchInputUpsert(inputs=[
        SimplePublicObjectBatchInputUpsert(id="ok@newco.io", id_property="email",
                                           properties={"budget_range": "10k_50k"}),
        SimplePublicObjectBatchInputUpsert(id="bad@newco.io", id_property="email",
                                           properties={"budget_range": "a lot"}),
    ]))
    assert type(result).__name__ == "BatchResponseSimplePublicUpsertObjectWithErrors"
    assert [r.new for r in result.results] == [True]
    assert result.errors[0].context["ids"] == ["bad@newco.io"]


def test_batch_create_is_201_and_207_on_a_taken_email(portal: Portal) -> None:
    taken = portal.sim.contacts.get(portal.ids[8])["email"]  # type: ignore[index]
    inputs = [SimplePublicObjectBatchInputForCreate(properties={"email": e, "firstname": "B"},
                                                    object_write_trace_id=e)
              for e in ("one@batch.io", "two@batch.io")]
    data, status, _ = portal.batch_api.create_with_http_info(
        BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs))
    assert status == 201 and len(data.results) == 2
    inputs = [SimplePublicObjectBatchInputForCreate(properties={"email": e},
                                                    object_write_trace_id=e)
              for e in ("three@batch.io", taken)]
    data, status, _ = portal.batch_api.create_with_http_info(
        BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs))
    assert status == 207
    assert data.errors[0].category == "CONFLICT"
    assert data.errors[0].context["ids"] == [taken]


def test_batch_archive(portal: Portal) -> None:
    portal.batch_api.archive(BatchInputSimplePublicObjectId(
        inputs=[SimplePublicObjectId(id=i) for i in portal.ids[:2]]))
    assert portal.sim.contacts.get(portal.ids[0]) is None
    assert portal.sim.contacts.count() == len(portal.ids) - 2

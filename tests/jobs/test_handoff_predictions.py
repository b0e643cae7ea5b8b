"""``handoff --dry-run`` predicts the dead letters (payloads checked against the Lead describe)
and ``handoff`` exits 1 when records were dead-lettered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connector.cli import main
from connector.fieldmap.payload_check import predict_rejection
from connector.fieldmap.schema import index_salesforce
from connector.jobs.handoff import HandoffJob
from tests.jobs.conftest import ROOT, WorldFactory, qualified_ids, sf_writes


def broken_config(tmp_path: Path, store_url: str, workdir: Path, lead: Path) -> str:
    path = tmp_path / "config.toml"
    path.write_text(f"""
[store]
url = "{store_url}"
[sandbox]
workdir = "{workdir}"
[mappings]
qualification = "{ROOT / 'mappings/qualification.toml'}"
lead = "{lead}"
feedback = "{ROOT / 'mappings/feedback.toml'}"
""")
    return str(path)


def test_dry_run_predicts_the_dead_letters_and_both_exit_1(
        world_factory: WorldFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    world = world_factory(contacts=1200)
    lead_toml = (ROOT / "mappings/lead.toml").read_text()
    broken = tmp_path / "lead.toml"
    # a value the restricted Purchase_Timeline__c picklist lacks, and a Title left untruncated
    broken.write_text(lead_toml.replace('this_quarter = "This Quarter"', 'this_quarter = "ASAP"')
                      .replace('target = "Title"\ntransforms = ["trim", "truncate"]',
                               'target = "Title"\ntransforms = ["trim"]'))
    long_title = sorted(qualified_ids(world.sandbox, world.settings))[-1]
    world.sandbox.hubspot.contacts.update(long_title, {"jobtitle": "VP " + "x" * 200,
                                                       "purchase_timeline": "this_year"})
    cfg = broken_config(tmp_path, world.settings.store.url, world.sandbox.workdir, broken)

    assert main(["--config", cfg, "handoff", "--dry-run", "--json"]) == 1
    dry = json.loads(capsys.readouterr().out)
    assert sf_writes(world.sandbox) == 0
    predicted = {i["contact_id"]: i["action"] for i in dry["items"]
                 if i["action"].startswith("fail")}
    assert dry["counts"]["would_fail"] == len(predicted) > 1
    assert predicted[long_title] == "fail: STRING_TOO_LONG"

    assert main(["--config", cfg, "handoff", "--json"]) == 1
    real = json.loads(capsys.readouterr().out)
    assert real["status"] == "succeeded" and real["counts"]["failed"] == len(predicted)
    ctx = world.ctx()
    try:
        letters = {d.record_key: d.error_code for d in ctx.store.iter_dead_letters(
            job="handoff")}
    finally:
        ctx.close()
    assert letters == {cid: action.removeprefix("fail: ") for cid, action in predicted.items()}
    assert set(letters.values()) == {"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                                     "STRING_TOO_LONG"}


def test_clean_dry_run_predicts_nothing(world_factory: WorldFactory) -> None:
    world = world_factory(contacts=1200)
    ctx = world.ctx()
    try:
        report = HandoffJob(ctx).run(dry_run=True)
    finally:
        ctx.close()
    assert report.counts["would_create"] > 0 and report.counts["would_fail"] == 0


DESCRIBE = {"fields": [
    {"name": "LastName", "type": "string", "length": 80, "createable": True, "updateable": True,
     "nillable": False, "defaultedOnCreate": False},
    {"name": "Company", "type": "string", "length": 255, "createable": True, "updateable": True,
     "nillable": False, "defaultedOnCreate": False},
    {"name": "Email", "type": "email", "length": 80, "createable": True, "updateable": True,
     "nillable": True},
    {"name": "Rating", "type": "picklist", "length": 40, "createable": True, "updateable": True,
     "nillable": True, "restrictedPicklist": True,
     "picklistValues": [{"value": "Hot", "active": True}, {"value": "Old", "active": False}]},
    {"name": "NumberOfEmployees", "type": "int", "createable": True, "updateable": True,
     "nillable": True},
    {"name": "CreatedDate", "type": "datetime", "createable": False, "updateable": False,
     "nillable": False, "defaultedOnCreate": True},
]}
FIELDS = index_salesforce(DESCRIBE)
OK = {"LastName": "Ng", "Company": "Acme", "Email": "a@b.co"}


@pytest.mark.parametrize(("payload", "create", "code"), [
    (OK, True, None),
    ({**OK, "Rating": "Hot", "NumberOfEmployees": 12}, True, None),
    ({"Company": "Acme"}, True, "REQUIRED_FIELD_MISSING"),
    ({**OK, "LastName": ""}, True, "REQUIRED_FIELD_MISSING"),
    ({"LastName": None}, False, "REQUIRED_FIELD_MISSING"),
    ({"Email": "x@y.io"}, False, None),
    ({**OK, "Rating": "Old"}, True, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"),
    ({**OK, "LastName": "x" * 81}, True, "STRING_TOO_LONG"),
    ({**OK, "Email": "not-an-email"}, True, "INVALID_EMAIL_ADDRESS"),
    ({**OK, "NumberOfEmployees": "many"}, True, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    ({**OK, "CreatedDate": "2024-01-01T00:00:00Z"}, True, "INVALID_FIELD_FOR_INSERT_UPDATE"),
    ({**OK, "Nope__c": 1}, True, "INVALID_FIELD"),
])
def test_payload_prediction(payload: dict[str, object], create: bool, code: str | None) -> None:
    error = predict_rejection(payload, FIELDS, create=create)
    assert (error.code if error else None) == code

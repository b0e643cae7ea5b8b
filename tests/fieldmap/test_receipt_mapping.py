"""The receipt mapping (handoff -> HubSpot contact) offline and against the live HubSpot schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connector.cli import main
from connector.fieldmap import load_report, owned_hubspot_properties, validate_live
from tests.fieldmap.conftest import (
    EXTERNAL_ID,
    FEEDBACK_TOML,
    LEAD_TOML,
    RECEIPT_TOML,
    describes,
    seeded_properties,
)


def test_the_shipped_receipt_is_clean_offline_and_live_after_setup() -> None:
    mapping, problems = load_report(RECEIPT_TOML, direction="receipt")
    assert mapping is not None and problems == []
    live = validate_live([mapping], hubspot_properties=seeded_properties()
                         + owned_hubspot_properties(), salesforce_describes=describes(),
                         external_id_field=EXTERNAL_ID)
    assert live == []


def test_validate_live_names_a_receipt_target_hubspot_lacks(tmp_path: Path) -> None:
    path = tmp_path / "receipt.toml"
    path.write_text(RECEIPT_TOML.read_text().replace('target = "handoff_grade"',
                                                     'target = "lead_grade_at_handoff"'))
    mapping, problems = load_report(path, direction="receipt")
    assert mapping is not None and problems == []
    live = validate_live([mapping], hubspot_properties=seeded_properties()
                         + owned_hubspot_properties(), salesforce_describes=describes(),
                         external_id_field=EXTERNAL_ID)
    assert [(p.file, p.key, p.severity) for p in live] == [
        (str(path), "fields.handoff_grade.target", "error")]
    assert "no contact property 'lead_grade_at_handoff'" in live[0].message
    before_setup = validate_live([mapping], hubspot_properties=seeded_properties(),
                                 salesforce_describes=describes(),
                                 external_id_field=EXTERNAL_ID)
    assert {p.key for p in before_setup} == {f"{r.key}.target" for r in mapping.rules}


def test_receipt_transforms_write_hubspot_formats(tmp_path: Path) -> None:
    path = tmp_path / "receipt.toml"
    path.write_text(RECEIPT_TOML.read_text() + '\n[fields.decided]\nsource = "decision.decided_at"'
                    '\ntarget = "handoff_decided_at"\ntransforms = ["sf_datetime"]\n')
    _, problems = load_report(path, direction="receipt")
    assert [(p.key, p.severity) for p in problems] == [("fields.decided.transforms", "error")]
    assert "writes Salesforce formats but this is the receipt mapping" in problems[0].message


def test_validate_cli_exits_2_naming_the_receipt_file_and_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CONNECTOR_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "receipt.toml"
    bad.write_text(RECEIPT_TOML.read_text().replace('"handoff.status"', '"handoff.state"'))
    code = main(["validate", "--json", "--lead", str(LEAD_TOML), "--feedback",
                 str(FEEDBACK_TOML), "--receipt", str(bad), "--definition",
                 str(LEAD_TOML.parent / "qualification.toml")])
    body = json.loads(capsys.readouterr().out)
    assert code == 2
    [group] = [f for f in body["files"] if f["problems"]]
    assert group["file"] == str(bad)
    assert [p["key"] for p in group["problems"]] == ["fields.handoff_status.source"]
    assert "handoff.status" in group["problems"][0]["suggestion"]

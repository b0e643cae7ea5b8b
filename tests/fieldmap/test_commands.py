"""``connector validate`` and ``connector setup`` through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from connector.cli import main
from connector.errors import FatalError
from connector.fieldmap import OWNED_PROPERTY_NAMES
from tests.fieldmap.conftest import FEEDBACK_TOML, LEAD_TOML, RECEIPT_TOML, ROOT
from tests.fieldmap.fakes import FakeSchemaSource

DEFINITION = ROOT / "mappings" / "qualification.toml"


@pytest.fixture(autouse=True)
def no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No config.toml around: the built-in defaults apply."""
    monkeypatch.delenv("CONNECTOR_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "250")  # rich output on one line per problem
    monkeypatch.chdir(tmp_path)


def files(lead: Path = LEAD_TOML, feedback: Path = FEEDBACK_TOML) -> list[str]:
    return ["--lead", str(lead), "--feedback", str(feedback), "--definition", str(DEFINITION)]


def validate_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["validate", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def broken(tmp_path: Path, old: str, new: str, source: Path = LEAD_TOML) -> Path:
    path = tmp_path / source.name
    path.write_text(source.read_text().replace(old, new))
    return path


def test_validate_offline_clean_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, body = validate_json(capsys, *files())
    assert code == 0
    assert body["summary"] == {"errors": 0, "warnings": 0, "exit_code": 0}
    assert [f["file"] for f in body["files"]] == [
        str(LEAD_TOML),
        str(FEEDBACK_TOML),
        str(RECEIPT_TOML),  # beside the lead mapping
        str(DEFINITION),
    ]


def test_validate_offline_error_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lead = broken(tmp_path, 'sync = "create_only"', 'sync = "create_once"')
    code, body = validate_json(capsys, *files(lead=lead))
    assert code == 2
    [problem] = body["files"][0]["problems"]
    assert problem["key"] == "fields.lead_source.sync" and problem["line"] is not None


def test_validate_offline_warning_only_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lead = broken(tmp_path, 'target = "Title"\n', 'target = "Title"\nunmapped = "skip"\n')
    code, body = validate_json(capsys, *files(lead=lead))
    assert code == 1 and body["summary"]["warnings"] == 1


def test_validate_checks_the_pulled_properties(capsys: pytest.CaptureFixture[str]) -> None:
    code, body = validate_json(capsys, *files(), "--pulled-properties", "email,firstname")
    assert code == 2
    keys = {p["key"] for f in body["files"] for p in f["problems"]}
    assert "fields.title.source" in keys


def test_validate_reports_the_definition_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nope.toml"
    code, body = validate_json(
        capsys,
        "--lead",
        str(LEAD_TOML),
        "--feedback",
        str(FEEDBACK_TOML),
        "--definition",
        str(missing),
    )
    assert code == 2
    assert body["files"][0]["file"] == str(missing)


def test_validate_rich_output_groups_by_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lead = broken(tmp_path, '"decision.score"', '"decision.scor"')
    assert main(["validate", *files(lead=lead)]) == 2
    out = capsys.readouterr().out
    assert str(lead) in out and "fields.handoff_score.source" in out
    assert "did you mean 'decision.score'?" in out
    assert "1 error(s), 0 warning(s)" in out


def test_validate_live(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    source = FakeSchemaSource()
    monkeypatch.setattr("connector.commands.validate.live_schema_source", lambda args: source)
    code, body = validate_json(capsys, "--live", *files())
    assert code == 2  # the connector's HubSpot properties do not exist yet
    problems = [p for f in body["files"] for p in f["problems"]]
    assert {p["suggestion"] for p in problems} == {"run `connector setup`"}
    assert {"describe Lead", "describe Contact", "describe Opportunity"} <= set(source.calls)

    monkeypatch.setattr("connector.commands.setup.live_schema_source", lambda args: source)
    assert (
        main(["setup", "--json", "--lead", str(LEAD_TOML), "--feedback", str(FEEDBACK_TOML)]) == 0
    )
    capsys.readouterr()
    code, body = validate_json(capsys, "--live", *files())
    assert (code, body["summary"]["errors"]) == (0, 0)


@pytest.mark.parametrize(
    "failure", [NotImplementedError("not wired"), FatalError("HubSpot said 401", system="hubspot")]
)
def test_validate_live_when_the_schemas_cannot_be_fetched_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], failure: Exception
) -> None:
    def unavailable(args: object) -> FakeSchemaSource:
        raise failure

    monkeypatch.setattr("connector.commands.validate.live_schema_source", unavailable)
    assert main(["validate", "--live", *files()]) == 3
    assert "cannot fetch the live schemas" in capsys.readouterr().err


def test_setup_twice_creates_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = FakeSchemaSource()
    monkeypatch.setattr("connector.commands.setup.live_schema_source", lambda args: source)
    args = ["setup", "--json", "--lead", str(LEAD_TOML), "--feedback", str(FEEDBACK_TOML)]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert sorted(first["hubspot"]["created"]) == sorted(OWNED_PROPERTY_NAMES)
    assert main(args) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["hubspot"]["created"] == []
    assert sorted(second["hubspot"]["existing"]) == sorted(OWNED_PROPERTY_NAMES)
    assert sorted(source.created) == sorted(OWNED_PROPERTY_NAMES)


def test_setup_rich_output_lists_the_salesforce_admin_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = FakeSchemaSource()
    source.describes["Lead"] = {
        **source.describes["Lead"],
        "fields": [
            f for f in source.describes["Lead"]["fields"] if f["name"] != "HubSpot_Contact_Id__c"
        ],
    }
    monkeypatch.setattr("connector.commands.setup.live_schema_source", lambda args: source)
    assert (
        main(["setup", "--dry-run", "--lead", str(LEAD_TOML), "--feedback", str(FEEDBACK_TOML)])
        == 2
    )
    out = capsys.readouterr().out
    assert "would create" in out and "sf_lead_id" in out
    assert "For the Salesforce admin" in out and "HubSpot_Contact_Id__c" in out
    assert source.created == []

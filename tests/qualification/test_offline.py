"""``qualify`` and ``shadow`` offline without a config file: the pull is the input file's
properties (or ``--pulled-properties``), and a property it lacks is reported once, naming every
rule that reads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connector.cli import main
from connector.qualification.contacts_io import properties_in

NOW_ARG = "2026-11-27T12:00:00Z"
RULES = """
version = "custom 1"

[dimensions.fit]
kind = "fit"

[dimensions.engagement]
kind = "engagement"

[criteria.blue]
dimension = "fit"
points = 40
condition = { property = "favourite_colour", op = "equals", value = "blue" }

[criteria.webinar]
dimension = "engagement"
points_by_value = { property = "webinar_attended", values = { yes = 30 } }

[criteria.webinar_recent]
dimension = "engagement"
points = 10
condition = { property = "webinar_attended", op = "exists" }
decay = { half_life_days = 7, timestamp = "webinar_date" }

[[grades]]
name = "cold"
max = 50

[[grades]]
name = "hot"
min = 50

[handoff]
grades = ["hot"]
"""


@pytest.fixture(autouse=True)
def no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./config.toml
    monkeypatch.delenv("CONNECTOR_CONFIG", raising=False)


@pytest.fixture()
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(RULES)
    return path


def write_csv(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_custom_properties_in_a_csv_need_no_config(tmp_path: Path, rules: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "c.csv", "hs_object_id,favourite_colour,webinar_attended,"
                       "webinar_date", "1,blue,yes,2026-11-27", "2,red,,", "3,Blue,no,")
    assert main(["qualify", "--definition", str(rules), "--input", str(source),
                 "--now", NOW_ARG, "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # every property the rules read is in the file: no problem
    decisions = {d["contact_id"]: d for d in map(
        json.loads, (tmp_path / "c.decisions.jsonl").read_text().splitlines())}
    assert {k: (d["score"], d["qualified"]) for k, d in decisions.items()} == {
        "1": (80.0, True), "2": (0.0, False), "3": (40.0, False)}


def test_a_property_the_file_lacks_is_one_warning_naming_its_readers(
        tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "c.jsonl"
    source.write_text('{"id": "1", "properties": {"favourite_colour": "blue"}}\n'
                      '{"id": "2", "favourite_colour": "red", "webinar_date": "2026-11-01"}\n')
    assert properties_in(source) == {"favourite_colour", "webinar_date", "id"}
    assert main(["qualify", "--definition", str(rules), "--input", str(source),
                 "--now", NOW_ARG]) == 0  # a warning: the run goes on
    err = capsys.readouterr().err
    assert err.count("webinar_attended") == 1, err
    assert ("[criteria.webinar.points_by_value.property] warning: criteria webinar and "
            "webinar_recent read property 'webinar_attended' which no contact in c.jsonl "
            "holds") in err
    assert "export it in c.jsonl, or list the properties with --pulled-properties" in err


def test_a_near_miss_suggests_the_column_that_is_there(
        tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "c.csv", "Record ID,favorite_colour,Webinar Attended,"
                       "webinar_attended,webinar_date", "1,blue,yes,yes,")
    assert main(["qualify", "--definition", str(rules), "--input", str(source),
                 "--now", NOW_ARG]) == 0
    err = capsys.readouterr().err
    assert "property 'favourite_colour'" in err and "did you mean 'favorite_colour'?" in err


def test_pulled_properties_option_is_checked_strictly(
        tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "c.csv", "id,favourite_colour", "1,blue")
    code = main(["qualify", "--definition", str(rules), "--input", str(source),
                 "--pulled-properties", "favourite_colour, webinar_date"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("error:") == 1, err
    assert ("criteria webinar and webinar_recent read property 'webinar_attended' which "
            "--pulled-properties does not list") in err
    assert not (tmp_path / "c.decisions.jsonl").exists()
    assert main(["qualify", "--definition", str(rules), "--input", str(source),
                 "--pulled-properties", "favourite_colour,webinar_attended,webinar_date"]) == 0
    assert main(["qualify", "--definition", str(rules), "--input", str(source),
                 "--pulled-properties", " , "]) == 2
    assert "[--pulled-properties] error: names no property" in capsys.readouterr().err


def test_a_config_file_still_decides_the_pull(tmp_path: Path, rules: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "c.csv", "id,favourite_colour,webinar_attended,webinar_date",
                       "1,blue,yes,")
    (tmp_path / "config.toml").write_text('[hubspot]\nproperties = ["email"]\n')
    assert main(["qualify", "--definition", str(rules), "--input", str(source)]) == 2
    err = capsys.readouterr().err
    assert "which the pull does not request" in err
    assert "add it to [hubspot] properties in config.toml" in err


def test_shadow_offline_without_a_config(tmp_path: Path, rules: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "c.csv", "id,favourite_colour,webinar_attended,webinar_date",
                       "1,blue,yes,2026-11-27", "2,blue,,", "3,red,yes,")
    candidate = tmp_path / "candidate.toml"
    candidate.write_text(RULES.replace('version = "custom 1"', 'version = "custom 2"')
                         .replace("points = 40", "points = 50"))
    assert main(["shadow", "--current", str(rules), "--definition", str(candidate),
                 "--input", str(source), "--now", NOW_ARG, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["newly_handed_off"] == 1  # contact 2: blue alone now reaches 50


def test_shadow_reports_a_missing_property_once_for_both_definitions(
        tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "c.csv", "id,favourite_colour", "1,blue")
    assert main(["shadow", "--current", str(rules), "--definition", str(rules),
                 "--input", str(source), "--now", NOW_ARG, "--json"]) == 0
    err = capsys.readouterr().err
    # one warning per property per definition file, never one per rule that reads it
    assert err.count("'webinar_attended'") == 2 and err.count("'webinar_date'") == 2

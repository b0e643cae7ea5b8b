"""``connector qualify`` and ``connector shadow`` end to end, in process."""

from __future__ import annotations

import csv
import json
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from connector.cli import main
from connector.commands import _qualification as command_support
from connector.qualification.contacts_io import BadRow, read_contacts
from connector.records import Contact
from connector_sandbox.synthetic import generate_contacts

from .builders import NOW

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "mappings" / "qualification.toml"
NOW_ARG = "2026-11-27T12:00:00Z"


@pytest.fixture(autouse=True)
def no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONNECTOR_CONFIG", raising=False)


def export(path: Path, count: int, *, seed: int = 3) -> Path:
    with path.open("w") as handle:
        for i, contact in enumerate(generate_contacts(count, seed, NOW)):
            handle.write(json.dumps({"id": str(5000 + i), "properties": contact.properties})
                         + "\n")
    return path


def qualify_args(source: Path, *extra: str) -> list[str]:
    return ["qualify", "--definition", str(EXAMPLE), "--input", str(source), "--now", NOW_ARG,
            *extra]


def test_qualify_writes_one_decision_per_contact_and_a_summary(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = export(tmp_path / "contacts.jsonl", 300)
    assert main(qualify_args(source)) == 0
    out = capsys.readouterr().out
    assert "Qualification by grade" in out and "hot" in out and "total" in out
    written = tmp_path / "contacts.decisions.jsonl"
    assert f"decisions written to {written}" in out.replace("\n", "")
    lines = [json.loads(line) for line in written.read_text().splitlines()]
    assert len(lines) == 300
    assert lines[0]["contact_id"] == "5000"
    assert {"qualified", "grade", "score", "gates", "fired", "definition_hash", "summary",
            "decided_at"} <= set(lines[0])
    assert {line["decided_at"] for line in lines} == {NOW_ARG}
    assert {line["grade"] for line in lines} <= {"cold", "warm", "hot"}


def test_qualify_json_summary_from_csv(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "contacts.csv"
    rows = [c.properties for c in generate_contacts(200, 5, NOW)]
    columns = sorted({key for row in rows for key in row} | {"hs_object_id"})
    with source.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for i, row in enumerate(rows):
            writer.writerow({**row, "hs_object_id": str(i + 1)})
    output = tmp_path / "out" / "d.jsonl"
    output.parent.mkdir()
    assert main(qualify_args(source, "--json", "--output", str(output))) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["contacts"] == 200 and summary["bad_rows"] == 0
    assert list(summary["grades"]) == ["cold", "warm", "hot"]
    assert sum(g["contacts"] for g in summary["grades"].values()) == 200
    assert summary["handed_off"] == summary["grades"]["hot"]["handed_off"]
    assert summary["definition"]["hash"] and summary["now"] == NOW_ARG
    assert set(summary["held_back"]) == {"by_gate", "by_handoff_rule"}
    assert len(output.read_text().splitlines()) == 200


def test_a_bad_row_is_reported_with_its_line_and_the_run_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "c.jsonl"
    source.write_text('{"id": "1", "properties": {"email": "a@acme.io"}}\n'
                      'this is not json\n'
                      '{"id": "3", "properties": {"email": "b@acme.io"}}\n')
    assert main(qualify_args(source, "--json")) == 1
    captured = capsys.readouterr()
    assert f"{source}:2: skipped: not valid JSON" in captured.err
    summary = json.loads(captured.out)
    assert (summary["contacts"], summary["bad_rows"]) == (2, 1)


def test_output_dash_streams_decisions_to_stdout(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    source = export(tmp_path / "c.jsonl", 20)
    assert main(qualify_args(source, "--output", "-")) == 0
    captured = capsys.readouterr()
    assert len([json.loads(line) for line in captured.out.splitlines()]) == 20
    assert "Qualification by grade" in captured.err
    assert not (tmp_path / "c.decisions.jsonl").exists()


def test_bad_options_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = export(tmp_path / "c.jsonl", 2)
    assert main(qualify_args(source)[:-2] + ["--now", "yesterday"]) == 2
    assert "[--now]" in capsys.readouterr().err
    assert main(qualify_args(tmp_path / "absent.jsonl")) == 2
    assert "absent.jsonl: [--input] error: no such file" in capsys.readouterr().err
    assert main(qualify_args(source, "--output", str(tmp_path / "no" / "d.jsonl"))) == 2
    assert "[--output] error: cannot write" in capsys.readouterr().err


def test_the_config_names_the_definition_and_the_pull(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    source = export(tmp_path / "c.jsonl", 5)
    (tmp_path / "rules.toml").write_text(EXAMPLE.read_text())
    config = tmp_path / "config.toml"
    config.write_text('[mappings]\nqualification = "rules.toml"\n')
    assert main(["--config", str(config), "qualify", "--input", str(source), "--json",
                 "--now", NOW_ARG]) == 0
    assert json.loads(capsys.readouterr().out)["definition"]["file"] == str(
        tmp_path / "rules.toml")
    config.write_text('[mappings]\nqualification = "rules.toml"\n'
                      '[hubspot]\nproperties = ["email", "country"]\n')
    assert main(["--config", str(config), "qualify", "--input", str(source)]) == 2
    err = capsys.readouterr().err
    # one problem per property, naming every rule that reads it (not one per rule)
    assert "criteria executive, director, manager and student read property 'hs_seniority' " \
           "which the pull does not request" in err
    assert err.count("'hs_seniority'") == 1


def test_rows_are_streamed_not_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory does not grow with rows: when each contact is read, the earlier ones are gone."""
    source = export(tmp_path / "c.jsonl", 400, seed=1)
    alive_at_read: list[int] = []
    seen: list[weakref.ref[Contact]] = []

    def watched(path: Path) -> Iterator[Contact | BadRow]:
        for item in read_contacts(path):
            alive_at_read.append(sum(ref() is not None for ref in seen))
            if isinstance(item, Contact):
                seen.append(weakref.ref(item))
            yield item

    monkeypatch.setattr(command_support, "read_contacts", watched)
    assert main(qualify_args(source, "--json")) == 0
    assert len(seen) == 400
    assert max(alive_at_read) <= 2, max(alive_at_read)  # the one in hand, at most


def shadow_args(candidate: Path, source: Path, *extra: str) -> list[str]:
    return ["shadow", "--definition", str(candidate), "--current", str(EXAMPLE), "--input",
            str(source), "--now", NOW_ARG, *extra]


@pytest.fixture()
def lower_bar(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text().replace("max = 65\n", "max = 55\n").replace("min = 65\n",
                                                                          "min = 55\n")
    path = tmp_path / "candidate.toml"
    path.write_text(text.replace('version = "2026.11', 'version = "2026.12'))
    return path


def test_shadow_counts_new_and_lost_handoffs_and_grade_moves(
        tmp_path: Path, lower_bar: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = export(tmp_path / "c.jsonl", 800)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(shadow_args(lower_bar, source, "--json", "--limit", "0")) == 0
    report = json.loads(capsys.readouterr().out)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    assert report["contacts"] == 800
    assert report["newly_handed_off"] > 0 and report["no_longer_handed_off"] == 0
    moves = {(m["from"], m["to"]): m["contacts"] for m in report["grade_moves"]}
    assert moves.get(("warm", "hot"), 0) > 0
    assert not any(a != b and (a, b) != ("warm", "hot") for a, b in moves)
    assert report["handed_off"]["candidate"] - report["handed_off"]["current"] == \
        report["newly_handed_off"]
    assert report["affected_total"] == len(report["affected"]) == moves[("warm", "hot")]
    newly = [a for a in report["affected"] if a["change"] == "newly handed off"]
    assert len(newly) == report["newly_handed_off"]
    assert all(a["candidate"]["grade"] == "hot" for a in newly)
    assert "would hand off" in report["headline"]


def test_shadow_of_identical_rules_changes_nothing(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = export(tmp_path / "c.jsonl", 100)
    assert main(shadow_args(EXAMPLE, source)) == 0
    out = capsys.readouterr().out
    assert "same rules (same hash)" in out
    assert "would hand off 0 new leads and hold back 0" in out


def test_shadow_table_lists_a_limited_number_of_contacts(
        tmp_path: Path, lower_bar: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = export(tmp_path / "c.jsonl", 800)
    assert main(shadow_args(lower_bar, source, "--limit", "2")) == 0
    out = capsys.readouterr().out
    assert "Grade moves" in out and "Affected contacts (2 of" in out
    assert "--limit 0 lists all" in out

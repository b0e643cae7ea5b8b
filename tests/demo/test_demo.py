"""The demo flow, smaller: every part of the report is there, and it runs well within budget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connector.cli import main
from connector.demo import DemoOptions, run_demo
from connector.report import report_to_json


def test_demo_report_has_every_section(tmp_path: Path) -> None:
    lines: list[str] = []
    result = run_demo(DemoOptions(contacts=800, weeks=4, workdir=tmp_path / "demo"),
                      say=lines.append)
    report = result.report
    assert result.elapsed_s < 60
    assert result.simulated_days >= 28
    assert [line.split(":")[0] for line in lines if line.startswith("Week")] == [
        "Week 1", "Week 2", "Week 3", "Week 4"]
    assert not report.empty and report.total.handed_off > 100
    assert {g.key for g in report.by_grade} == {"hot", "warm", "cold"}
    assert len(report.by_version) == 1
    assert report.by_version[0].key.startswith("pilot, all grades: ")
    assert report.total.won > 0 and report.total.rejected > 0 and report.total.revenue > 0
    assert report.total.sla.median_hours is not None
    assert report.criteria and report.dimensions and report.curve
    assert report.threshold is not None
    assert [stage for stage, _ in report.funnel] == ["Handed off", "Accepted", "Converted",
                                                     "Won"]
    assert result.sales_actions["touch"] > 0 and result.feedback_counts["written"] > 0
    html = result.html_path.read_text()
    for heading in ("Funnel and grades", "Calibration", "Rejections", "Criteria and dimensions",
                    "Suggested handoff threshold"):
        assert heading in html
    assert html.count("<svg") >= 3
    assert "src=\"http" not in html and "href=\"http" not in html  # self-contained
    data = report_to_json(report)
    assert json.loads(json.dumps(data, default=str))["total"]["handed_off"] == \
        report.total.handed_off


def test_demo_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = tmp_path / "r.html"
    code = main(["demo", "--contacts", "300", "--weeks", "1", "--workdir", str(tmp_path / "d"),
                 "--html", str(html), "--as-configured"])
    out = capsys.readouterr().out
    assert code == 0 and html.exists()
    assert "Demo finished in" in out and "Week 1" in out and "Calibration pilot" not in out


def test_demo_ends_with_how_to_explore_its_data(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The demo writes a config.toml for its store and sandbox; `report` and `explain` read the
    demo's data through it, as its last printed lines say."""
    from connector.settings import load_settings
    from connector.store import StateStore
    from connector_sandbox.runner import start_sandbox

    code = main(["demo", "--contacts", "300", "--weeks", "1", "--workdir", str(tmp_path / "d")])
    out = capsys.readouterr().out
    config = (tmp_path / "d" / "config.toml").resolve()
    assert code == 0 and config.exists()
    tail = out.strip().splitlines()[-6:]
    assert tail[0].startswith("Explore the demo's data")
    assert any(f"connector --config {config} report" in line for line in tail)
    assert any(f"connector --config {config} explain EMAIL" in line for line in tail)

    assert main(["--config", str(config), "report", "--json"]) == 0
    handed_off = json.loads(capsys.readouterr().out)["total"]["handed_off"]
    assert handed_off > 0

    # what `connector --config ... sandbox` serves (free ports here), then `explain`
    settings = load_settings(str(config))
    sb = settings.sandbox
    with start_sandbox(settings.path(sb.workdir), seed=sb.seed, contacts=sb.contacts,
                       existing_leads=sb.existing_leads,
                       existing_contacts=sb.existing_contacts) as sandbox:
        store = StateStore.open(settings.store.url)
        try:
            ledger = store.ledger_for(str(i) for i in sandbox.hubspot.contacts.all_ids())
        finally:
            store.close()
        assert len(ledger) >= handed_off  # the ledger also records existing Contacts
        contact_id = sorted(ledger)[0]
        email = (sandbox.hubspot.contacts.get(contact_id) or {})["email"]
        assert main(["--config", str(config), "explain", email, "--json"]) == 0
    explained = json.loads(capsys.readouterr().out)
    assert explained["contact_id"] == contact_id
    assert explained["ledger"]["salesforce_id"] == ledger[contact_id].salesforce_id

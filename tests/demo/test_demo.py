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

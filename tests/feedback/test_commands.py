"""The commands against a running sandbox, through the CLI entry point (config file, real
clients on loopback): feedback (dry run, JSON), report (terminal, HTML, JSON, filters) and sync
(one exit code, the feedback runs even when the handoff fails)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from connector.cli import main
from connector.errors import EXIT_FATAL
from connector_sandbox.faults import FaultRule
from tests.feedback.world import ROOT_MAPPINGS, World


def config_for(w: World, tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[store]\nurl = "{w.ctx.settings.store.url}"\n\n'
        f'[sandbox]\nworkdir = "{w.sandbox.workdir}"\n\n'
        f'[mappings]\nqualification = "{ROOT_MAPPINGS / "qualification.toml"}"\n'
        f'lead = "{ROOT_MAPPINGS / "lead.toml"}"\nfeedback = "{ROOT_MAPPINGS / "feedback.toml"}"\n')
    return path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_feedback_and_report_commands(world: Callable[..., World], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    w = world(contacts=300)
    w.team.work(days=21)
    config = str(config_for(w, tmp_path))
    w.sandbox.reset_counters()
    code, dry = run_json(capsys, "--config", config, "feedback", "--dry-run", "--json")
    assert code == 0 and dry["dry_run"] and dry["items"] and dry["counts"]["would_write"] > 0
    assert w.hubspot_writes() == 0
    code, real = run_json(capsys, "--config", config, "feedback", "--json")
    assert code == 0 and real["status"] == "succeeded"
    assert real["counts"]["written"] == dry["counts"]["would_write"]
    assert real["api_calls"]["hubspot"] >= 1

    html = tmp_path / "out" / "report.html"
    code, report = run_json(capsys, "--config", config, "report", "--json", "--html", str(html))
    assert code == 0 and not report["empty"]
    assert {g["key"] for g in report["by_grade"]} <= {"hot", "warm", "cold"}
    assert report["total"]["handed_off"] == len(w.leads())
    assert [s["stage"] for s in report["funnel"]][0] == "Handed off"
    text = html.read_text()
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text
    version = report["by_version"][0]["key"]
    code, other = run_json(capsys, "--config", config, "report", "--json", "--version", "nope")
    assert code == 0 and other["empty"] and other["excluded"] == 0
    code, same = run_json(capsys, "--config", config, "report", "--json", "--version", version,
                          "--since", "2026-11-01")
    assert same["total"]["handed_off"] == report["total"]["handed_off"]
    code, later = run_json(capsys, "--config", config, "report", "--json", "--since", "2027-01-01")
    assert later["empty"]

    assert main(["--config", config, "report"]) == 0
    out = capsys.readouterr().out
    assert "grade" in out.lower() and "Suggested threshold" in out
    assert main(["--config", config, "feedback"]) == 0
    out = capsys.readouterr().out
    assert "Feedback run" in out and "API calls: salesforce" in out
    code, replay = run_json(capsys, "--config", config, "dead-letters", "retry", "--job",
                            "feedback", "--json")
    assert code == 0 and replay["status"] == "succeeded" and replay["counts"]["replayed"] == 0
    assert main(["--config", config, "dead-letters", "retry", "--job", "feedback"]) == 0
    assert "replayed" in capsys.readouterr().out


def test_sync_runs_both_and_returns_one_exit_code(world: Callable[..., World], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    w = world(contacts=300)
    w.team.work(days=7)
    config = str(config_for(w, tmp_path))
    code, both = run_json(capsys, "--config", config, "sync", "--json")
    assert code == 0 and both["errors"] == {}
    assert both["handoff"]["status"] == both["feedback"]["status"] == "succeeded"
    assert both["feedback"]["counts"]["written"] > 0

    w.team.work(days=7)
    w.sandbox.hubspot.faults.add(FaultRule(match="POST /crm/v3/objects/contacts/search",
                                           fail_next=1, fail_status=400))
    code, half = run_json(capsys, "--config", config, "sync", "--json")
    assert code == EXIT_FATAL
    assert "handoff" in half["errors"] and "handoff" not in half
    assert half["feedback"]["status"] == "succeeded" and half["feedback"]["counts"]["written"] > 0
    runs = {r.job: r.status for r in w.ctx.store.recent_runs(limit=2)}
    assert runs == {"handoff": "failed", "feedback": "succeeded"}

"""``connector report`` on a state store: the current bar comes from the definition's handoff
rule, criteria carry their labels, the threshold options reach the objective, and explored
leads recorded by the handoff job are weighted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from connector.cli import main
from connector.jobs.handoff_batch import snapshot_of
from connector.jobs.handoff_explore import select
from connector.qualification import load_definition, qualify
from connector.records import Contact
from connector.store import Disposition, Handoff, StateStore

ROOT = Path(__file__).resolve().parents[2]
MAPPINGS = ROOT / "mappings"
T0 = datetime(2026, 11, 2, tzinfo=UTC)


def contact(i: int) -> Contact:
    """Contacts that pass the example definition's gates, with a spread of scores."""
    props = {"email": f"lead{i}@acme{i % 7}.com", "country": "Germany",
             "lifecyclestage": "lead", "hs_seniority": "vp" if i % 3 == 0 else "",
             "numemployees": "100-500" if i % 2 == 0 else "1-10",
             "industry": "COMPUTER_SOFTWARE" if i % 5 < 3 else "",
             "budget_range": "over_100k" if i % 4 == 0 else "",
             "purchase_timeline": "this_quarter" if i % 6 < 3 else "",
             "recent_conversion_event_name": "Demo request" if i % 4 < 2 else "",
             "recent_conversion_date": "2026-11-01T00:00:00Z"}
    return Contact(str(i), props)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    definition = load_definition(MAPPINGS / "qualification.toml")
    url = f"sqlite:///{tmp_path / 'state.db'}"
    store = StateStore.open(url)
    handoffs, dispositions = [], []
    explored = 0
    for i in range(600):
        c = contact(i)
        decision = qualify(c, definition, T0)
        selection = select(c.id, decision, share=0.3, seed="cmd")
        if selection is None:
            continue
        explored += selection.explored
        handoffs.append(Handoff(hubspot_id=c.id, outcome="created", at=T0,
                                snapshot=snapshot_of(decision, selection),
                                salesforce_id=f"00Q{i:012d}", salesforce_object="Lead"))
        won = (decision.score > 70 and i % 3 == 0) or i % 11 == 0
        dispositions.append(Disposition(hubspot_id=c.id, updated_at=T0 + timedelta(days=20),
                                        lead_status="Working - Contacted", converted=won,
                                        is_won=won or None, is_closed=won or None,
                                        amount=1000.0 if won else None))
    assert explored > 10 and len(handoffs) - explored > 10
    with store.transaction() as tx:
        tx.record_handoffs(handoffs)
        tx.record_dispositions(dispositions)
    store.close()
    path = tmp_path / "config.toml"
    path.write_text(
        f'[store]\nurl = "{url}"\n\n[mappings]\nqualification = "{MAPPINGS / "qualification.toml"}"'
        f'\nlead = "{MAPPINGS / "lead.toml"}"\nfeedback = "{MAPPINGS / "feedback.toml"}"\n')
    return path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_report_command_reads_the_bar_labels_and_exploration(
        config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, "--config", str(config), "report", "--json", "--min-sample", "5")
    th = report["threshold"]
    assert th["current"] == 65.0 and th["current_source"] == "handoff rule"
    assert th["boundary"] == "lower boundary of grade hot"
    assert th["note"].startswith(("Move the lower boundary of grade hot from 65 to",
                                  "Keep the lower boundary of grade hot at 65"))
    assert report["explored"] > 10 and report["simulated"] is True  # sandbox mode by default
    assert report["currency"] == "USD"
    labels = {c["name"]: c["label"] for c in report["criteria"]}
    assert labels.get("executive") == "exec/VP"
    assert any(p["threshold"] < 65 for p in th["points"])  # explored leads reach below the bar
    assert any(c["conversion"]["fired"]["effective_n"] is not None for c in report["criteria"])

    targeted = run_json(capsys, "--config", str(config), "report", "--json", "--min-sample", "5",
                        "--target-leads", "50", "--currency", "EUR")
    objective = targeted["threshold"]["objective"]
    assert objective == {"min_won_share": 0.0, "min_leads": 5, "target_leads": 50}
    points = targeted["threshold"]["points"]
    best = min(abs(p["leads"] - 50) for p in points if p["eligible"])
    chosen = targeted["threshold"]["suggested"]
    assert abs(next(p for p in points if p["threshold"] == chosen)["leads"] - 50) == \
        pytest.approx(best)

    assert main(["--config", str(config), "report", "--min-won-share", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "SIMULATED DATA" in out and "\u20ac" not in out and "exec/VP" in out
    with pytest.raises(SystemExit):
        main(["--config", str(config), "report", "--min-won-share", "1.5"])
    with pytest.raises(SystemExit):
        main(["--config", str(config), "report", "--target-leads", "0"])

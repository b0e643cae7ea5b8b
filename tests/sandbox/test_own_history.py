"""Calibrating on your own history, end to end: your contacts loaded into the sandbox
(``--contacts-file``), handed off by the connector, your known outcomes played into the org
(``sandbox outcomes``), the feedback job run, and the report counting exactly those outcomes.
Real loopback sockets and the real SDKs throughout."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connector.cli import main
from connector.demo import widen_handoff
from connector.fieldmap import owned_hubspot_properties
from connector.jobs.context import JobContext, build_context
from connector.jobs.feedback import FeedbackJob
from connector.jobs.handoff import HandoffJob
from connector.report.from_store import report_from_store
from connector_sandbox.import_contacts import import_contacts
from connector_sandbox.outcomes import read_labels
from connector_sandbox.runner import Sandbox, start_sandbox
from connector_sandbox.simclock import SimClock
from tests.fixtures.sandbox import settings_for

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EXT = "HubSpot_Contact_Id__c"
HEADER = ("hs_object_id,email,firstname,lastname,company,country,Job Title,hs_seniority,"
          "purchase_timeline,favourite_colour,webinar_attended,demo_requested,lifecyclestage")
PEOPLE = [f"{i},p{i}@acme{i}.io,Pat,Person{i},Acme {i},United States,CTO,"
          f"{'vp' if i % 2 else 'manager'},this_quarter,blue,{'true' if i % 3 else 'false'},"
          f"{'maybe' if i == 4 else 'true'},{'prospect' if i == 5 else 'lead'}"
          for i in range(1, 13)]
ROWS = [HEADER, *PEOPLE, "99,too,few,cells"]
LABELS = """email,converted,won,amount,reason
P1@acme1.io,true,true,"12,000",
p2@acme2.io,yes,true,8000,
p3@acme3.io,1,true,,
p4@acme4.io,true,false,,
p5@acme5.io,true,false,5000,
p6@acme6.io,true,,,
p7@acme7.io,false,,,No Budget
p8@acme8.io,no,,,Competitor
p9@acme9.io,0,,,
p10@acme10.io,false,,,Too expensive
nobody@acme.io,true,true,100,
p11@acme11.io,maybe,,,
p12@acme12.io,false,true,,
"""


@dataclass
class History:
    sandbox: Sandbox
    ctx: JobContext
    clock: SimClock
    config: Path
    labels: Path


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("\n".join(ROWS) + "\n")
    clock = SimClock(START, frozen=True)
    sandbox = start_sandbox(tmp_path / "sandbox", contacts=0, existing_leads=0,
                            existing_contacts=0, rate_limits=False, clock=clock,
                            contacts_file=contacts)
    settings = settings_for(sandbox, tmp_path)
    ctx = build_context(settings, endpoints=sandbox.endpoints, clock=clock)
    config = tmp_path / "config.toml"
    config.write_text(f'[sandbox]\nworkdir = "{sandbox.workdir}"\n')
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS)
    try:
        yield History(sandbox, ctx, clock, config, labels)
    finally:
        ctx.close()
        sandbox.stop()


def test_the_contacts_file_is_loaded_with_the_properties_it_needs(history: History) -> None:
    report = history.sandbox.imported
    assert report is not None
    assert report.contacts == 12
    assert report.created == {"favourite_colour": "string", "webinar_attended": "bool"}
    assert report.renamed == {"Job Title": "jobtitle"}  # a HubSpot export header (a label)
    assert report.bad_rows == 1 and report.refused_values == 1
    assert any("line 14: 4 cells for 13 columns" in p for p in report.problems)
    assert any("demo_requested" in p and "'maybe' is not a valid boolean" in p
               for p in report.problems)
    hubspot = history.sandbox.hubspot
    ids = {hubspot.contacts.get(cid)["email"]: cid  # type: ignore[index]
           for cid in hubspot.contacts.all_ids()}
    first = hubspot.contacts.get(ids["p1@acme1.io"]) or {}
    assert first["favourite_colour"] == "blue" and first["jobtitle"] == "CTO"
    assert first["webinar_attended"] == "true"
    assert "demo_requested" not in (hubspot.contacts.get(ids["p4@acme4.io"]) or {})
    assert hubspot.registry.get("favourite_colour").group_name == "imported"  # type: ignore
    names = {p["name"] for p in history.ctx.hubspot.properties()}  # the public API sees them
    assert {"favourite_colour", "webinar_attended"} <= names


def test_outcomes_drive_the_org_and_the_report_counts_them(
        history: History, capsys: pytest.CaptureFixture[str]) -> None:
    ctx = history.ctx
    existing = {p["name"] for p in ctx.hubspot.properties()}
    for body in owned_hubspot_properties():
        if body["name"] not in existing:
            ctx.hubspot.create_property(body)
    widen_handoff(ctx)  # every grade handed off: the calibration pilot
    handoff = HandoffJob(ctx).run()
    leads = history.sandbox.salesforce.org.query(f"SELECT Id, Email FROM Lead WHERE {EXT} != null")
    assert len(leads) == 12, handoff

    code = main(["--config", str(history.config), "sandbox", "outcomes", "--file",
                 str(history.labels), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1  # some labels could not be applied, each reported with its line
    assert result["applied"] == {"converted": 6, "won": 3, "lost": 2, "open": 1, "rejected": 3}
    assert result["no_lead"] == [{"line": 12, "email": "nobody@acme.io"}]
    assert [r["line"] for r in result["refused"]] == [11]
    assert "Too expensive" in result["refused"][0]["message"]
    assert [b["line"] for b in result["bad_rows"]] == [13, 14]

    org = history.sandbox.salesforce.org
    won = org.query("SELECT Id, Amount FROM Opportunity WHERE StageName = 'Closed Won'")
    assert sorted(o["Amount"] or 0 for o in won) == [0, 8000, 12000]  # p3: no amount given
    rejected = org.query("SELECT Email, Disqualification_Reason__c FROM Lead "
                         "WHERE Status = 'Closed - Not Converted'")
    assert {r["Email"]: r["Disqualification_Reason__c"] for r in rejected} == {
        "p7@acme7.io": "No Budget", "p8@acme8.io": "Competitor", "p9@acme9.io": None}

    # twice is harmless: every Lead already has its outcome
    assert main(["--config", str(history.config), "sandbox", "outcomes", "--file",
                 str(history.labels)]) == 1
    again = capsys.readouterr().out
    assert "converted 0 (won 0, lost 0, open 0), not converted 0" in again
    assert "9 label(s) already had an outcome (left alone)" in again

    FeedbackJob(ctx).run()
    report = report_from_store(ctx.store, now=history.clock())
    total = report.total
    assert (total.handed_off, total.converted, total.won, total.lost, total.rejected) == (
        12, 6, 3, 2, 3)
    assert dict(total.rejected_by_reason).get("No Budget") == 1
    assert total.revenue == 20_000


def test_labels_file_problems(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("mail,converted\nx@y.io,true\n")
    assert [b.message for b in read_labels(path)] == [  # type: ignore[union-attr]
        "no email column (columns: email, converted, won, amount, reason)"]
    path.write_text("Email,Converted,Amount\nx@y.io,true,-5\nno-at,false,\n")
    messages = [getattr(b, "message", None) for b in read_labels(path)]
    assert messages == ["amount must be a number >= 0, got '-5'",
                        "no email address (got 'no-at')"]


def test_outcomes_need_a_running_sandbox(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS)
    config = tmp_path / "config.toml"
    config.write_text(f'[sandbox]\nworkdir = "{tmp_path / "nowhere"}"\n')
    assert main(["--config", str(config), "sandbox", "outcomes", "--file", str(labels)]) == 2
    assert "no running sandbox found" in capsys.readouterr().err
    config.write_text('[salesforce]\nmode = "live"\nauth = "client_credentials"\n')
    assert main(["--config", str(config), "sandbox", "outcomes", "--file", str(labels)]) == 2
    assert "sandbox outcomes only writes to the sandbox org" in capsys.readouterr().err


def test_a_missing_contacts_file_is_a_config_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[sandbox]\nworkdir = "{tmp_path / "sb"}"\n')
    assert main(["--config", str(config), "sandbox", "--contacts-file",
                 str(tmp_path / "none.csv")]) == 2
    assert "[--contacts-file] error: no such file" in capsys.readouterr().err
    with pytest.raises(FileNotFoundError):
        import_contacts(None, tmp_path / "none.csv")  # type: ignore[arg-type]


def test_types_are_inferred_and_dropdowns_learn_new_values(tmp_path: Path) -> None:
    from connector_sandbox.hubspot import HubSpotSimConfig, HubSpotSimulator

    path = tmp_path / "contacts.jsonl"
    rows = [
        {"id": "a", "properties": {"email": "a@x.io", "seats": "12", "trial_ends": "2026-12-01",
                                   "hs_analytics_first_url": "https://x.io/",
                                   "purchase_timeline": "someday", "score_note": "7"}},
        {"hs_object_id": "b", "email": "b@x.io", "seats": 3.5, "trial_ends": "2026-12-24T10:00Z",
         "hs_analytics_first_url": None, "purchase_timeline": "this_quarter",
         "score_note": "high"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    sim = HubSpotSimulator(HubSpotSimConfig(rate_limits=False))
    report = import_contacts(sim, path)
    assert report.contacts == 2 and not report.problems
    assert report.created == {"seats": "number", "trial_ends": "datetime",
                              "hs_analytics_first_url": "string", "score_note": "string"}
    assert report.options_added == {"purchase_timeline": ["someday"]}
    first_url = sim.registry.get("hs_analytics_first_url")
    assert first_url is not None and first_url.read_only and first_url.hubspot_defined
    stored = [sim.contacts.get(cid) or {} for cid in sim.contacts.all_ids()]
    assert [c["seats"] for c in stored] == ["12", "3.5"]
    assert stored[1]["trial_ends"].startswith("2026-12-24T10:00:00")
    assert {c["lastmodifieddate"] for c in stored} == {c["createdate"] for c in stored}
    assert "hs_analytics_first_url" not in stored[1]


def test_the_sandbox_command_serves_your_contacts(tmp_path: Path) -> None:
    """``connector sandbox --contacts-file`` as a user runs it: a process serving until SIGTERM,
    reporting what it loaded; the public HubSpot API then serves those contacts."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from connector.connections import hubspot_client
    from connector.hubspot.changes import iter_changed_contacts
    from connector.settings import load_settings

    root = Path(__file__).resolve().parents[2]
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("\n".join(ROWS) + "\n")
    workdir = tmp_path / "sb"
    config = tmp_path / "config.toml"
    config.write_text(f'[sandbox]\nworkdir = "{workdir}"\n')
    proc = subprocess.Popen(
        [sys.executable, "-m", "connector", "--config", str(config), "sandbox",
         "--contacts-file", str(contacts), "--hubspot-port", "0", "--salesforce-port", "0",
         "--no-rate-limits"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "COLUMNS": "200"})
    try:
        deadline = time.monotonic() + 60
        while not (workdir / "endpoints.json").exists():
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        client = hubspot_client(load_settings(config))
        emails = {c.properties.get("email") for c in iter_changed_contacts(
            client, datetime(1970, 1, 1, tzinfo=UTC), ["email", "favourite_colour"])}
        assert len(emails) == 12 and "p12@acme12.io" in emails
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"imported 12 contact(s) from {contacts}" in out
    assert "created properties: favourite_colour (string), webinar_attended (bool)" in out
    assert "skipped 1 bad row(s) and 1 refused value(s):" in out
    assert not (workdir / "endpoints.json").exists()

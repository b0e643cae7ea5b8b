"""The fault run: 5,000 contacts handed off by the CLI under 20 % 429s, 5 % 5xx and 2 % dropped
bodies on both APIs (the Salesforce token endpoint included, which also answers 503 often),
sessions expiring every two seconds and three SIGKILLs. It must end with no traceback, every
rerun exiting 0 at once (a killed run's lease is taken over on the same host), and a final state
equal to a clean run's: the same Leads, ledger outcomes, HubSpot receipts and dead letters."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from connector.jobs.handoff import HandoffJob
from connector.store import StateStore
from connector_sandbox.faults import FaultRule
from tests.jobs.conftest import EXT, ROOT, World, WorldFactory, org_leads, world_config

CONTACTS = 5_000
KILLS = 3
RECEIPT = ("handoff_status", "handoff_grade", "handoff_score", "handoff_definition_version")
LEAD_FIELDS = "Email, FirstName, LastName, Company, Title, LeadSource, Status"


def write_config(world: World, path: Path) -> Path:
    return world_config(world, path, """
[handoff]
batch_size = 10
salesforce_batch_size = 10
[hubspot]
max_attempts = 12
[salesforce]
max_attempts = 12
""")


def add_faults(world: World) -> None:
    """20 % 429 (``Retry-After: 0``: the policy honours it), 5 % 5xx, 2 % bodies dropped after
    the call was handled, on every endpoint of both APIs; the token endpoint answers 503 on a
    fifth of the logins on top (and sessions expire every 2 s, so logins are frequent)."""
    noisy = {429: 0.2, 500: 0.025, 503: 0.025}
    world.sandbox.hubspot.faults.add(FaultRule(match="*", error_rates=noisy, retry_after=0,
                                               drop_body_rate=0.02))
    world.sandbox.salesforce.faults.add(FaultRule(match="POST /services/oauth2/token",
                                                  error_rates={503: 0.2}, retry_after=0))
    world.sandbox.salesforce.faults.add(FaultRule(match="*", error_rates=noisy, retry_after=0,
                                                  drop_body_rate=0.02, latency_ms=30))


@contextmanager
def expiring_sessions(world: World, every_s: float = 2.0) -> Iterator[None]:
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every_s):
            world.sandbox.salesforce.expire_sessions()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def final_state(world: World) -> dict[str, Any]:
    """Everything a run leaves behind, keyed by HubSpot contact id (no generated ids, no times)."""
    leads = world.sandbox.salesforce.org.query(f"SELECT Id, {EXT}, {LEAD_FIELDS} FROM Lead")
    ext_of = {str(r["Id"]): r.get(EXT) for r in leads}
    contacts = world.sandbox.hubspot.contacts
    receipts = {}
    for cid in contacts.all_ids():
        props = contacts.get(cid) or {}
        if props.get("handoff_status"):
            receipts[cid] = (*(props.get(k) for k in RECEIPT),
                             ext_of.get(str(props.get("sf_lead_id"))) or props.get("sf_lead_id"))
    with StateStore.open(world.settings.store.url) as store:
        ledger = {cid: (e.outcome, e.salesforce_object, e.push_count)
                  for cid, e in store.ledger_for(contacts.all_ids()).items()}
        dead = sorted((d.record_key, d.error_code)
                      for d in store.iter_dead_letters(job="handoff"))
        cursor = store.get_cursor("handoff")
    return {
        "leads": sorted((str(r.get(EXT)), *(str(r.get(f.strip())) for f in
                                            LEAD_FIELDS.split(","))) for r in leads),
        "ledger": ledger, "receipts": receipts, "dead_letters": dead,
        "has_cursor": cursor is not None,
    }


def run_cli(config: Path, kill_after_pushes: int | None, world: World
            ) -> tuple[int, str, bool]:
    """One ``connector handoff`` process; SIGKILLed once it made ``kill_after_pushes`` Lead
    pushes (if it gets that far). Returns (exit code, stderr, killed)."""
    counter = world.sandbox.salesforce.counter
    pushes = "PATCH /services/data/*/composite/sobjects/Lead/*"
    start = counter.total(pushes)
    proc = subprocess.Popen([sys.executable, "-m", "connector", "--config", str(config),
                             "handoff", "--json"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    killed = False
    deadline = time.monotonic() + 240
    while proc.poll() is None:
        if kill_after_pushes is not None and counter.total(pushes) - start >= kill_after_pushes:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        assert time.monotonic() < deadline, "the run did not finish"
        time.sleep(0.01)
    proc.wait(60)
    return proc.returncode, proc.stderr.read().decode() if proc.stderr else "", killed


@pytest.mark.slow
def test_fault_run_ends_equal_to_a_clean_run(world_factory: WorldFactory,
                                             tmp_path: Path) -> None:
    clean = world_factory(contacts=CONTACTS, seed=21)
    faulty = world_factory(contacts=CONTACTS, seed=21)
    config = write_config(faulty, tmp_path / "config.toml")
    add_faults(faulty)
    kills = 0
    with expiring_sessions(faulty):
        for attempt in range(KILLS + 3):
            code, stderr, killed = run_cli(config, 2 if kills < KILLS else None, faulty)
            assert "Traceback" not in stderr, stderr
            if killed:
                kills += 1
                continue
            assert code == 0, f"run {attempt + 1} exited {code}: {stderr[-2000:]}"
            if kills >= KILLS:
                break
    assert kills == KILLS
    faulty.sandbox.salesforce.faults.clear()
    faulty.sandbox.hubspot.faults.clear()
    hs_status = faulty.sandbox.hubspot.counter.snapshot()["by_status"]
    sf_status = faulty.sandbox.salesforce.counter.snapshot()["by_status"]
    assert any(k.endswith(" 429") for k in hs_status) and any(k.endswith(" 429")
                                                                for k in sf_status)
    assert any(k.startswith("POST /services/oauth2/token 503") for k in sf_status)
    assert any(k.endswith(" 401") for k in sf_status)  # sessions did expire mid-run

    clean.settings = faulty_settings_for(clean)
    assert HandoffJob(clean.ctx()).run().status == "succeeded"
    expected, got = final_state(clean), final_state(faulty)
    assert expected["ledger"] and expected["receipts"]
    assert got["leads"] == expected["leads"]
    assert got["ledger"] == expected["ledger"]
    # the receipts, with the score to within a point: it decays with time (recency), and the
    # clean run scores its contacts some seconds after the fault run
    assert strip_scores(got["receipts"]) == strip_scores(expected["receipts"])
    assert all(abs(float(got["receipts"][cid][2]) - float(receipt[2])) <= 1.0
               for cid, receipt in expected["receipts"].items())
    assert got["dead_letters"] == expected["dead_letters"]
    assert org_leads(faulty.sandbox) and got["has_cursor"]


def strip_scores(receipts: dict[str, tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    return {cid: receipt[:2] + receipt[3:] for cid, receipt in receipts.items()}


def faulty_settings_for(world: World) -> Any:
    from dataclasses import replace

    s = world.settings
    return replace(s, handoff=replace(s.handoff, batch_size=10, salesforce_batch_size=10))

"""The handoff side of the CLI against the sandbox: handoff, status, dead-letters, explain,
and the lease that keeps a manual run and a daemon from running one job at once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connector.cli import main
from tests.jobs.conftest import ROOT, World, WorldFactory, qualified_ids, world_config


def config_for(world: World, tmp_path: Path) -> str:
    return str(world_config(world, tmp_path / "config.toml"))


def test_cli_handoff_status_dead_letters_and_explain(world_factory: WorldFactory, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    world = world_factory(contacts=1200)
    cfg = config_for(world, tmp_path)
    assert main(["--config", cfg, "handoff", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] and dry["counts"]["would_create"] > 0 and dry["run_id"] is None
    assert main(["--config", cfg, "handoff", "--json"]) == 0
    real = json.loads(capsys.readouterr().out)
    assert real["status"] == "succeeded" and real["counts"]["created"] > 0
    forecast = real["forecast"]  # a first run (no cursor) forecasts its cost before starting
    assert forecast["contacts"] >= 1200 and forecast["salesforce_calls"] > 0
    assert main(["--config", cfg, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["runs"][0]["job"] == "handoff" and "handoff" in status["cursors"]
    assert main(["--config", cfg, "dead-letters", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    cid = sorted(qualified_ids(world.sandbox, world.settings))[0]
    email = (world.sandbox.hubspot.contacts.get(cid) or {})["email"]
    assert main(["--config", cfg, "explain", email, "--json"]) == 0
    explained = json.loads(capsys.readouterr().out)
    assert explained["contact_id"] == cid and explained["decision"]["qualified"]
    assert explained["ledger"]["outcome"] in ("created", "adopted", "existing_contact")
    assert main(["--config", cfg, "explain", cid]) == 0  # the readable breakdown, by id
    text = capsys.readouterr().out
    assert "Ledger:" in text and explained["decision"]["grade"] in text
    for hit in explained["decision"]["fired"][:3]:
        assert hit["criterion"] in text or hit["reason"][:20] in text


def test_manual_run_refuses_while_another_instance_holds_the_lease(
        world_factory: WorldFactory, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    world = world_factory(contacts=300)
    cfg = config_for(world, tmp_path)
    from connector.store import StateStore

    store = StateStore.open(world.settings.store.url)
    assert store.try_acquire_lease("handoff", "daemon-elsewhere", datetime.now(UTC), 60)
    assert main(["--config", cfg, "handoff", "--json"]) == 3
    assert "running elsewhere" in capsys.readouterr().err
    assert main(["--config", cfg, "handoff", "--dry-run", "--json"]) == 0  # reads only
    store.release_lease("handoff", "daemon-elsewhere")
    assert main(["--config", cfg, "handoff", "--json"]) == 0
    assert store.lease_holder("handoff", datetime.now(UTC)) is None  # released after the run
    store.close()


def test_bad_config_exit_2_names_file_and_key(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[handoff]\nsearch_page_size = 1000\n")
    assert main(["--config", str(cfg), "handoff"]) == 2
    err = capsys.readouterr().err
    assert str(cfg) in err and "handoff.search_page_size" in err


def test_shadow_pulls_from_hubspot_when_no_input_and_writes_nothing(
        world_factory: WorldFactory, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    world = world_factory(contacts=800)
    cfg = config_for(world, tmp_path)
    text = (ROOT / "mappings/qualification.toml").read_text()
    candidate = tmp_path / "candidate.toml"
    candidate.write_text(text.replace('grades = ["hot"]', 'grades = ["hot", "warm"]', 1)
                         .replace('version = "', 'version = "candidate: warm too; ', 1))
    world.sandbox.reset_counters()
    assert main(["--config", cfg, "shadow", "--definition", str(candidate), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["contacts"] == 800
    assert report["newly_handed_off"] > 0 and report["no_longer_handed_off"] == 0
    counter = world.sandbox.hubspot.counter
    assert counter.total("POST /crm/v3/objects/contacts/search") >= 4  # 800 / 200 pages
    assert counter.total() == counter.total("POST /crm/v3/objects/contacts/search")  # reads only
    assert world.sandbox.salesforce.counter.total() == 0

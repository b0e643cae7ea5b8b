"""Relative paths in a config file resolve from the config file's folder, not from where the
command runs: ``cd elsewhere && connector --config /x/config.toml handoff`` works and creates
nothing in the current folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from connector.settings import load_settings
from tests.fixtures.sandbox import ROOT


def test_every_path_setting_resolves_from_the_config_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "etc" / "connector"
    (home / "secrets").mkdir(parents=True)
    for name in ("ca.pem", "sf-ca.pem", "secrets/hs-token", "secrets/key.pem"):
        (home / name).write_text("x")
    config = home / "config.toml"
    config.write_text("""
[store]
url = "sqlite:///state/connector.db"
[hubspot]
mode = "live"
ca_file = "ca.pem"
token_file = "secrets/hs-token"
[salesforce]
mode = "live"
username = "int@example.com"
ca_file = "sf-ca.pem"
private_key_file = "secrets/key.pem"
[sandbox]
workdir = "sb"
[mappings]
lead = "maps/lead.toml"
""")
    (home / "state").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    settings = load_settings(config)
    assert settings.store.url == f"sqlite:///{home}/state/connector.db"
    assert settings.hubspot.ca_file == str(home / "ca.pem")
    assert settings.hubspot.token_file == str(home / "secrets/hs-token")
    assert settings.salesforce.ca_file == str(home / "sf-ca.pem")
    assert settings.salesforce.private_key_file == str(home / "secrets/key.pem")
    assert settings.sandbox.workdir == str(home / "sb")
    assert settings.mappings.lead == str(home / "maps/lead.toml")
    assert settings.store.url.startswith("sqlite:////")  # absolute


def test_absolute_and_special_store_urls_are_kept(tmp_path: Path) -> None:
    for url in (f"sqlite:///{tmp_path}/x.db", "sqlite://",
                "postgresql+psycopg://u@db.internal:5432/connector"):
        config = tmp_path / "c.toml"
        config.write_text(f'[store]\nurl = "{url}"\n')
        assert load_settings(config).store.url == url


def test_handoff_from_another_folder_creates_nothing_there(tmp_path: Path) -> None:
    from connector_sandbox.runner import start_sandbox

    home = tmp_path / "x"
    shutil.copytree(ROOT / "mappings", home / "mappings")
    config = home / "config.toml"
    config.write_text('[store]\nurl = "sqlite:///state.db"\n[sandbox]\nworkdir = ".sandbox"\n')
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CONNECTOR_CONFIG"}
    env["PYTHONPATH"] = str(ROOT)
    sandbox = start_sandbox(home / ".sandbox", seed=3, contacts=300, existing_leads=5,
                            existing_contacts=5, rate_limits=False)
    try:
        for command in (["setup"], ["handoff", "--json"], ["status"]):
            result = subprocess.run([sys.executable, "-m", "connector", "--config", str(config),
                                     *command], cwd=cwd, env=env, capture_output=True,
                                    text=True, timeout=300, check=False)
            assert result.returncode == 0, (command, result.stderr)
            assert "Traceback" not in result.stderr
        assert sandbox.salesforce.counter.total() > 0  # it really ran against the sandbox
    finally:
        sandbox.stop()
    assert list(cwd.iterdir()) == []
    assert (home / "state.db").is_file()

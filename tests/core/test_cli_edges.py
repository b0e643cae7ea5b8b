"""The CLI never shows a traceback: each failure is one clear line and a documented exit code
(docs/operations.md), and ``--debug`` adds the traceback. Run as a real process
(``python -m connector``) where the point is what a user sees on stderr."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc

from connector.commands._failures import describe
from connector.errors import RetriableError
from tests.fixtures.sandbox import ROOT

MAPPINGS = "".join(f'{name} = "{ROOT / "mappings" / f"{name}.toml"}"\n'
                   for name in ("qualification", "lead", "feedback"))


def run_cli(args: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None,
            stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "CONNECTOR_CONFIG"}
    environment.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run([sys.executable, "-m", "connector", *args], cwd=cwd, env=environment,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120,
                          check=False)


def config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(f"[mappings]\n{MAPPINGS}\n{text}")
    return str(path)


def one_clear_line(stderr: str, *needles: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_retries_exhausted_exit_3_naming_host_and_setting(tmp_path: Path) -> None:
    port = closed_port()
    cfg = config(tmp_path, f'[hubspot]\nmode = "live"\nbase_url = "http://127.0.0.1:{port}"\n'
                           "max_attempts = 2\ntimeout_s = 2.0\n")
    result = run_cli(["--config", cfg, "explain", "123"], cwd=tmp_path,
                     env={"HUBSPOT_TOKEN": "not-a-real-token"})
    assert result.returncode == 3
    line = one_clear_line(result.stderr, f"127.0.0.1:{port}", "hubspot.max_attempts",
                          "hubspot.base_url", "after 2 attempts")
    assert "not-a-real-token" not in line


def test_corrupt_sqlite_store_one_line_and_debug_shows_traceback(tmp_path: Path) -> None:
    (tmp_path / "state.db").write_bytes(b"this is not a database, " * 200)
    cfg = config(tmp_path, '[store]\nurl = "sqlite:///state.db"\n')
    result = run_cli(["--config", cfg, "status"], cwd=tmp_path)
    assert result.returncode == 3
    one_clear_line(result.stderr, "store.url", str(tmp_path / "state.db"), "not a database")
    debug = run_cli(["--config", cfg, "--debug", "status"], cwd=tmp_path)
    assert debug.returncode == 3
    assert "Traceback" in debug.stderr and "store.url" in debug.stderr.splitlines()[-1]
    after = run_cli(["--config", cfg, "status", "--debug"], cwd=tmp_path)
    assert after.returncode == 3 and "Traceback" in after.stderr


def test_read_only_sqlite_store(tmp_path: Path) -> None:
    db = tmp_path / "ro.db"
    sqlite3.connect(db).close()
    cfg = config(tmp_path, f'[store]\nurl = "sqlite:///file:{db}?mode=ro&uri=true"\n')
    result = run_cli(["--config", cfg, "status"], cwd=tmp_path)
    assert result.returncode == 3
    one_clear_line(result.stderr, "store.url", "readonly")


def test_missing_sqlite_folder_is_a_config_error(tmp_path: Path) -> None:
    cfg = config(tmp_path, '[store]\nurl = "sqlite:///no/such/folder/state.db"\n')
    result = run_cli(["--config", cfg, "status"], cwd=tmp_path)
    assert result.returncode == 2
    one_clear_line(result.stderr, cfg, "[store.url]", str(tmp_path / "no/such/folder"))


def test_unreachable_postgresql_names_the_url_without_its_password(tmp_path: Path) -> None:
    cfg = config(tmp_path, f'[store]\nurl = "postgresql+psycopg://bob:hunter2@127.0.0.1:'
                           f'{closed_port()}/test"\n')
    result = run_cli(["--config", cfg, "status"], cwd=tmp_path)
    assert result.returncode == 3
    line = one_clear_line(result.stderr, "store.url", "bob:***@127.0.0.1")
    assert "hunter2" not in result.stderr and "PostgreSQL running" in line


def test_non_utf8_toml_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"[store]\nurl = \"sqlite:///caf\xe9.db\"\n")
    result = run_cli(["--config", str(path), "status"], cwd=tmp_path)
    assert result.returncode == 2
    one_clear_line(result.stderr, str(path), "UTF-8")


def test_wrong_ca_file_is_a_config_error(tmp_path: Path) -> None:
    cfg = config(tmp_path, '[hubspot]\nmode = "live"\nca_file = "certs/missing.pem"\n')
    result = run_cli(["--config", cfg, "handoff"], cwd=tmp_path, env={"HUBSPOT_TOKEN": "x"})
    assert result.returncode == 2
    one_clear_line(result.stderr, "[hubspot.ca_file]", str(tmp_path / "certs/missing.pem"))


def test_busy_sandbox_port_hints_at_the_flag(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli(["sandbox", "--hubspot-port", str(port), "--salesforce-port", "0",
                          "--contacts", "5"], cwd=tmp_path)
    assert result.returncode == 2
    one_clear_line(result.stderr, "sandbox.hubspot_port", str(port), "--hubspot-port")


@pytest.mark.parametrize("contact", ["", "   ", "../../crm/v3", "a b"])
def test_explain_rejects_what_is_neither_id_nor_email(tmp_path: Path, contact: str) -> None:
    result = run_cli(["explain", contact], cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "neither a HubSpot contact id" in result.stderr


def test_closed_stdout_pipe_exits_quietly(tmp_path: Path) -> None:
    cfg = config(tmp_path, "")
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already gone
    try:
        result = run_cli(["--config", cfg, "validate", "--json"], cwd=tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 141
    assert result.stderr == ""


def test_debug_flag_from_the_environment(tmp_path: Path) -> None:
    (tmp_path / "state.db").write_bytes(b"garbage " * 500)
    cfg = config(tmp_path, '[store]\nurl = "sqlite:///state.db"\n')
    result = run_cli(["--config", cfg, "status"], cwd=tmp_path, env={"CONNECTOR_DEBUG": "1"})
    assert result.returncode == 3 and "Traceback" in result.stderr


# -- the mapping itself, in process -------------------------------------------------------------


def test_unexpected_errors_exit_4_pointing_at_debug() -> None:
    code, lines = describe(ZeroDivisionError("division by zero"), None)
    assert code == 4 and len(lines) == 1
    assert "ZeroDivisionError" in lines[0] and "--debug" in lines[0]


def test_interrupt_exits_130() -> None:
    assert describe(KeyboardInterrupt(), None) == (130, ["interrupted"])


@pytest.mark.parametrize(("reason", "hint"), [
    ("database or disk is full", "disk is full"),
    ("attempt to write a readonly database", "read-only"),
    ("unable to open database file", "folder exist"),
    ("file is not a database", "corrupt"),
])
def test_store_errors_name_the_cause(tmp_path: Path, reason: str, hint: str) -> None:
    import argparse

    cfg = config(tmp_path, '[store]\nurl = "sqlite:///state.db"\n')
    exc = sqlalchemy.exc.OperationalError("INSERT ...", {}, sqlite3.OperationalError(reason))
    code, lines = describe(exc, argparse.Namespace(config=cfg))
    assert code == 3 and len(lines) == 1
    assert "store.url = sqlite:///" in lines[0] and reason in lines[0] and hint in lines[0]


def test_retriable_without_settings_still_names_the_settings() -> None:
    code, lines = describe(RetriableError("Salesforce 503: busy", system="salesforce"), None)
    assert code == 3
    assert "salesforce.max_attempts" in lines[0] and "Salesforce 503" in lines[0]


def test_validate_json_is_valid_after_all(tmp_path: Path) -> None:
    """The quiet-pipe handling does not disturb normal output."""
    result = run_cli(["--config", config(tmp_path, ""), "validate", "--json"], cwd=tmp_path)
    assert result.returncode in (0, 1)
    assert json.loads(result.stdout)["summary"]

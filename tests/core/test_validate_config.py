"""``connector validate`` checks the whole config offline: every kind of bad value below exits 2
and names the config file and the key, and no API call reaches either system (the sandbox the
configs point at counts every request)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from connector.cli import main
from tests.fixtures.sandbox import ROOT

# (section, key, TOML value) overrides; the expected key is "section.key" unless given third
Case = tuple[str, dict[str, dict[str, str]], str]


def _case(section: str, key: str, value: str, expected: str | None = None,
          **extra: str) -> Case:
    body = {section: {key: value, **extra}}
    return (f"{section}.{key}={value}", body, expected or f"{section}.{key}")


LIVE_HS = {"mode": '"live"'}
LIVE_SF = {"mode": '"live"', "username": '"int@example.com"'}

BAD: list[Case] = [
    _case("store", "url", '"mysql://x"'),
    _case("store", "url", '"postgresql+psycopg://u:pw@db.internal:99999/x"'),
    _case("store", "url", '"postgresql+psycopg://u:pw@db.internal:port/x"'),
    _case("store", "url", '"sqlite:///no/such/folder/state.db"'),
    _case("store", "url", "5"),
    _case("hubspot", "mode", '"prod"'),
    _case("hubspot", "base_url", '"ftp://api.hubapi.com"'),
    _case("hubspot", "base_url", '"api.hubapi.com"'),
    _case("hubspot", "timeout_s", "0"),
    _case("hubspot", "timeout_s", "nan"),
    _case("hubspot", "timeout_s", "inf"),
    _case("hubspot", "timeout_s", '"30"'),
    _case("hubspot", "max_attempts", "0"),
    _case("hubspot", "max_attempts", "true"),
    _case("hubspot", "search_per_second", "0"),
    _case("hubspot", "search_per_second", "-1.5"),
    _case("hubspot", "burst_per_10s", "-1"),
    _case("hubspot", "ca_file", '"missing-ca.pem"'),
    _case("hubspot", "tier", '"gold"'),
    _case("hubspot", "properties", "[]"),
    _case("hubspot", "token_env", '"MY TOKEN"'),
    _case("hubspot", "token_file", '"no-token.txt"', **LIVE_HS),
    _case("salesforce", "auth", '"magic"'),
    _case("salesforce", "login_domain", '"https://login.salesforce.com"'),
    _case("salesforce", "instance_url", '"http://acme.my.salesforce.com"'),
    _case("salesforce", "login_url", '"acme.my.salesforce.com"'),
    _case("salesforce", "login_url", '"ftp://acme.my.salesforce.com"'),
    _case("salesforce", "timeout_s", "-5.0"),
    _case("salesforce", "max_attempts", "0"),
    _case("salesforce", "api_budget_share", "1.5"),
    _case("salesforce", "api_budget_share", "nan"),
    _case("salesforce", "ca_file", '"nope.pem"'),
    _case("salesforce", "api_version", '"v59"'),
    _case("salesforce", "external_id_field", '"Bad Field"'),
    _case("salesforce", "private_key_file", '"no-key.pem"', **LIVE_SF),
    _case("salesforce", "mode", '"live"', "salesforce.username", auth='"password"'),
    _case("salesforce", "auth", '"session"', "salesforce.instance_url", mode='"live"'),
    _case("handoff", "search_page_size", "500"),
    _case("handoff", "batch_size", "0"),
    _case("handoff", "start_date", '"yesterday"'),
    _case("handoff", "window_cap", "20000"),
    _case("handoff", "overlap_seconds", "-1"),
    _case("handoff", "salesforce_batch_size", "201"),
    _case("handoff", "hubspot_batch_size", "0"),
    _case("handoff", "batch", "3"),
    _case("feedback", "overlap_seconds", "-5"),
    _case("feedback", "hubspot_batch_size", "101"),
    _case("feedback", "start_date", '"2020-13-45"'),
    _case("daemon", "handoff_schedule", '"every 5 minutes"'),
    _case("daemon", "handoff_schedule", '"interval:0s"'),
    _case("daemon", "feedback_schedule", '"cron:* * *"'),
    _case("daemon", "lease_ttl_seconds", "1"),
    _case("daemon", "lease_ttl_seconds", "10000000"),
    _case("daemon", "jitter_seconds", "-1"),
    _case("daemon", "misfire_grace_seconds", "0"),
    _case("daemon", "health_window_seconds", "0"),
    _case("daemon", "shutdown_timeout_seconds", "0"),
    _case("daemon", "metrics_port", "70000"),
    _case("sandbox", "hubspot_port", "-1"),
    _case("sandbox", "salesforce_port", "65536"),
    _case("sandbox", "search_lag_seconds", "-1.0"),
    _case("sandbox", "contacts", "-10"),
    _case("mappings", "lead", "3"),
    ("unknown section", {"nonsense": {"x": "1"}}, "nonsense"),
]


def write_config(path: Path, sandbox: Any, overrides: dict[str, dict[str, str]]) -> Path:
    """A valid config against ``sandbox`` with ``overrides`` (raw TOML values) applied."""
    sections: dict[str, dict[str, str]] = {
        "store": {"url": '"sqlite:///state.db"'},
        "hubspot": {"base_url": json.dumps(sandbox.endpoints.hubspot_url)},
        "sandbox": {"workdir": json.dumps(str(sandbox.workdir))},
        "mappings": {name: json.dumps(str(ROOT / "mappings" / f"{name}.toml"))
                     for name in ("qualification", "lead", "feedback")},
    }
    for section, values in overrides.items():
        sections.setdefault(section, {}).update(values)
    text = "".join(f"[{s}]\n" + "".join(f"{k} = {v}\n" for k, v in values.items()) + "\n"
                   for s, values in sections.items())
    path.write_text(text)
    return path


def validate(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["--config", str(config), "validate", "--json"])
    return code, json.loads(capsys.readouterr().out)


def errors_of(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["file"], p["key"]) for f in report["files"] for p in f["problems"]
            if p["severity"] == "error"]


def test_a_valid_config_passes(sandbox: Any, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    code, report = validate(write_config(tmp_path / "config.toml", sandbox, {}), capsys)
    assert code == 0, report
    assert not errors_of(report)


def test_every_bad_config_kind_exits_2_naming_file_and_key(
        sandbox: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSPOT_TOKEN", "t")
    assert len(BAD) >= 40
    sandbox.reset_counters()
    wrong: list[str] = []
    for n, (name, overrides, key) in enumerate(BAD):
        folder = tmp_path / f"case{n}"
        folder.mkdir()
        config = write_config(folder / "config.toml", sandbox, overrides)
        code, report = validate(config, capsys)
        errors = errors_of(report)
        if code != 2 or (str(config), key) not in errors:
            wrong.append(f"{name}: exit {code}, errors {errors}")
    assert not wrong, "\n".join(wrong)
    assert sandbox.hubspot.counter.total() == 0
    assert sandbox.salesforce.counter.total() == 0


@pytest.mark.parametrize("content", [b"[store\nurl = ", b"\xff\xfe[store]\n", b"= 3\n"])
def test_unreadable_config_exits_2_naming_the_file(tmp_path: Path, content: bytes,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(content)
    code, report = validate(config, capsys)
    assert code == 2
    assert [f["file"] for f in report["files"] if f["problems"]][0] == str(config)


def test_missing_secrets_are_warnings(tmp_path: Path, sandbox: Any,
                                      capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUBSPOT_TOKEN", raising=False)
    monkeypatch.delenv("SF_CLIENT_SECRET", raising=False)
    monkeypatch.setenv("SF_CONSUMER_KEY", "k")
    config = write_config(tmp_path / "config.toml", sandbox, {
        "hubspot": {"mode": '"live"'},
        "salesforce": {"mode": '"live"', "auth": '"client_credentials"',
                       "login_domain": '"acme.my"'}})
    code, report = validate(config, capsys)
    warnings = {p["key"] for f in report["files"] for p in f["problems"]
                if p["severity"] == "warning"}
    assert code == 1, report
    assert {"hubspot.token_env", "salesforce.client_secret_env"} <= warnings
    assert "salesforce.consumer_key_env" not in warnings


@pytest.mark.parametrize("name", ["lead", "feedback", "qualification"])
def test_non_utf8_mapping_or_definition_names_the_file(name: str, tmp_path: Path, sandbox: Any,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / f"{name}.toml"
    bad.write_bytes((ROOT / "mappings" / f"{name}.toml").read_bytes().replace(b"e", b"\xe9", 1))
    config = write_config(tmp_path / "config.toml", sandbox,
                          {"mappings": {name: json.dumps(str(bad))}})
    code, report = validate(config, capsys)
    assert code == 2
    messages = [p["message"] for f in report["files"] if f["file"] == str(bad)
                for p in f["problems"]]
    assert len(messages) == 1 and "not UTF-8 text" in messages[0]

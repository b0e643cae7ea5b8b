from __future__ import annotations

from pathlib import Path

import pytest

from connector.cli import main
from connector.errors import ConfigError
from connector.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_the_embedded_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONNECTOR_CONFIG", raising=False)
    settings = load_settings()
    assert settings == Settings()
    assert settings.store.url == "sqlite:///connector.db"
    assert settings.hubspot.mode == "sandbox" and settings.salesforce.mode == "sandbox"


def test_example_config_loads_clean() -> None:
    settings = load_settings(ROOT / "config.example.toml")
    assert settings.handoff.search_page_size == 200


def test_every_problem_reported_with_file_key_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "[store]\nurl = 'mysql://x'\n"
        "[handoff]\nsearch_page_size = 500\nstart_date = 'yesterday'\nbatch = 3\n"
        "[salesforce]\nauth = 'magic'\napi_budget_share = 1.5\n"
        "[nonsense]\nx = 1\n"
    )
    with pytest.raises(ConfigError) as info:
        load_settings(bad)
    keys = {p.key for p in info.value.problems}
    assert {"store.url", "handoff.search_page_size", "handoff.start_date", "handoff.batch",
            "salesforce.auth", "salesforce.api_budget_share", "nonsense"} <= keys
    assert all(p.file == str(bad) for p in info.value.problems)
    lines = {p.key: p.line for p in info.value.problems}
    assert lines["handoff.search_page_size"] == 4 and lines["salesforce.auth"] == 8


def test_invalid_toml_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("[store\nurl=")
    assert main(["--config", str(bad), "status"]) == 2


def test_secret_never_read_from_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from connector.settings import secret

    monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="NO_SUCH_TOKEN"):
        secret("NO_SUCH_TOKEN", what="hubspot.token_env")
    monkeypatch.setenv("NO_SUCH_TOKEN", "s3cr3t")
    assert secret("NO_SUCH_TOKEN", what="hubspot.token_env") == "s3cr3t"

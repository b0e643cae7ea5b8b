"""A secret pasted by mistake into a ``*_env`` key (where its variable's NAME belongs) is never
echoed: not in the error, not in its rendering."""

from __future__ import annotations

import pytest

from connector.errors import ConfigError
from connector.settings import secret

PASTED = ["pat-na1-0b7e1f2c-9d1e-4c0a-8f3b-6a2d5e7c9b10", "hunter2!Pass", "s3cr3tValue"]


@pytest.mark.parametrize("value", PASTED)
def test_a_secret_in_an_env_key_is_never_echoed(value: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(value, raising=False)
    with pytest.raises(ConfigError) as info:
        secret(value, what="salesforce.password_env", file="config.toml")
    rendered = "\n".join(p.render() for p in info.value.problems) + str(info.value)
    assert value not in rendered
    assert "salesforce.password_env" in rendered


def test_a_variable_name_is_still_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SALESFORCE_PASSWORD", raising=False)
    with pytest.raises(ConfigError, match="SALESFORCE_PASSWORD"):
        secret("SALESFORCE_PASSWORD", what="salesforce.password_env")
    monkeypatch.setenv("SALESFORCE_PASSWORD", "pw")
    assert secret("SALESFORCE_PASSWORD", what="salesforce.password_env") == "pw"

"""One copy of each mechanism: the TOML key -> line locator (``connector.toml_lines``), the
problem collector and did-you-mean (``connector.problems``) serve the config, the definition
and the mappings alike; leases and run reports have one home in ``connector.jobs``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from connector.errors import ConfigError
from connector.jobs.feedback import FeedbackReport
from connector.jobs.handoff import HandoffReport
from connector.jobs.run_report import RunReport
from connector.problems import Collector
from connector.qualification.problems import Problems
from connector.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


def product_sources() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
            for p in (ROOT / "connector").rglob("*.py")}


def test_did_you_mean_is_written_once() -> None:
    users = [name for name, text in product_sources().items() if "get_close_matches" in text]
    assert users == ["connector/problems.py"]


def test_toml_lines_are_located_once() -> None:
    """Nobody else walks a TOML text line by line looking for ``key =`` or ``[table]`` (what the
    old locators in ``settings`` and ``fieldmap/locate.py`` did)."""
    scanner = re.compile(r"enumerate\([^)]*splitlines\(|\\s\*=|startswith\(\"\[\"\)")
    assert scanner.search('for n, line in enumerate(text.splitlines(), start=1):')
    assert scanner.search('re.match(rf"{re.escape(key)}\\s*=", stripped)')
    assert not scanner.search('return text.splitlines()[0] if text else ""')
    users = [name for name, text in product_sources().items() if scanner.search(text)]
    assert users == []


def test_the_definition_collects_problems_with_the_shared_collector() -> None:
    problems = Problems("q.toml", "[handoff]\nmin_score = 'x'\n")
    assert isinstance(problems, Collector)
    problems.error("handoff.min_score", "must be a number")
    assert problems.items[0].line == 2 and problems.file == "q.toml"


def test_run_reports_share_one_base() -> None:
    assert issubclass(HandoffReport, RunReport) and issubclass(FeedbackReport, RunReport)
    assert "as_dict" not in vars(HandoffReport) and "as_dict" not in vars(FeedbackReport)


def test_settings_use_the_shared_locator_and_did_you_mean(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[store]\nurl = "sqlite://"\n\n[hubspot]\nmode = "live"\ntokn_env = "X"\n'
                      '\n[salesfroce]\nmode = "live"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(str(config))
    by_key = {p.key: p for p in caught.value.problems}
    assert by_key["hubspot.tokn_env"].line == 6
    assert by_key["hubspot.tokn_env"].suggestion == "did you mean 'token_env'?"
    assert by_key["salesfroce"].line == 8
    assert by_key["salesfroce"].suggestion == "did you mean 'salesforce'?"


def test_instants_are_parsed_and_written_in_one_module() -> None:
    """No hand-made ISO stamps (``strftime("%Y-%m-%dT...")``), no ``Z`` -> ``+00:00`` fix-ups
    outside ``connector/datetimes.py``."""
    pattern = re.compile(r"strftime\(\"%Y-%m-%dT|replace\(\"Z\", \"\+00:00\"\)|\+0000 -> \+00:00")
    assert pattern.search('moment.strftime("%Y-%m-%dT%H:%M:%S.%f")')
    users = [name for name, text in product_sources().items()
             if pattern.search(text) and name != "connector/datetimes.py"]
    assert users == []


def test_the_time_formats_agree() -> None:
    from datetime import UTC, datetime

    from connector.datetimes import parse_optional, to_epoch_ms, to_hubspot_datetime
    from connector.hubspot.client import parse_hubspot_datetime
    from connector.jobs.feedback_plan import parse_sf_datetime
    from connector.settings import parse_datetime

    moment = datetime(2026, 11, 29, 10, 0, 0, 123000, tzinfo=UTC)
    assert to_epoch_ms(moment) == 1_795_946_400_123
    assert to_hubspot_datetime(moment) == "2026-11-29T10:00:00.123Z"
    assert parse_hubspot_datetime("2026-11-29T10:00:00.123Z") == moment
    assert parse_hubspot_datetime("1795946400123") == moment
    assert parse_sf_datetime("2026-11-29T10:00:00.123+0000") == moment
    assert parse_datetime("2026-11-29") == datetime(2026, 11, 29, tzinfo=UTC)
    assert parse_optional(" ") is None and parse_hubspot_datetime(None) is None
    with pytest.raises(ValueError):
        parse_datetime("next tuesday")

"""The built-in pulled-property list is the sandbox portal's, as documented."""

from __future__ import annotations

import re

from connector.fieldmap.defaults import DEFAULT_PULLED_PROPERTIES
from tests.fieldmap.conftest import ROOT, seeded_properties


def documented_properties() -> set[str]:
    text = (ROOT / "docs" / "sandbox-data-model.md").read_text()
    section = text.split("## HubSpot contact properties", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names |= set(re.findall(r"`([a-z0-9_]+)`", first_cell))
    return names


def test_default_pulled_properties_match_the_documented_portal() -> None:
    assert documented_properties() == set(DEFAULT_PULLED_PROPERTIES)


def test_schema_fixture_matches_the_documented_portal() -> None:
    assert {p["name"] for p in seeded_properties()} == set(DEFAULT_PULLED_PROPERTIES)


def test_settings_default_agrees() -> None:
    from connector.settings import HubSpotSettings

    assert set(HubSpotSettings().properties) == set(DEFAULT_PULLED_PROPERTIES)

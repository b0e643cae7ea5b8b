"""One package per external system: only ``connector/hubspot/`` spells HubSpot search JSON and
only ``connector/salesforce/`` writes SOQL; the jobs ask them ("changed since T")."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOQL = re.compile(r"format_soql|\bSELECT\s+(\{|[A-Z]\w*(,\s*\w+)*\s+FROM)")
HUBSPOT_FILTER = re.compile(r"[\"'](propertyName|filterGroups|operator)[\"']")


def product_files(*, outside: str) -> list[Path]:
    return [p for p in (ROOT / "connector").rglob("*.py")
            if (ROOT / "connector" / outside) not in p.parents]


def test_soql_is_written_in_the_salesforce_package_only() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in product_files(outside="salesforce")
                 if SOQL.search(p.read_text())]
    assert offenders == []


def test_hubspot_filter_json_is_written_in_the_hubspot_package_only() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in product_files(outside="hubspot")
                 if HUBSPOT_FILTER.search(p.read_text())]
    assert offenders == []


def test_the_patterns_find_what_they_look_for() -> None:
    assert SOQL.search((ROOT / "connector/salesforce/soql.py").read_text())
    assert HUBSPOT_FILTER.search((ROOT / "connector/hubspot/filters.py").read_text())

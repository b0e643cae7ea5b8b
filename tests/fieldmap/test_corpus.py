"""The corpus of broken mappings: each mistake is caught with the right key and severity, and
the example mappings validate clean (offline and live, once `connector setup` has run)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from connector.errors import Problem
from connector.fieldmap import parse_mapping, validate_live
from connector.fieldmap.defaults import DEFAULT_PULLED_PROPERTIES
from connector.fieldmap.model import Direction
from tests.fieldmap.conftest import describes, properties_after_setup, seeded_properties
from tests.fieldmap.corpus import ALL, LIVE, OFFLINE, Case


def offline_problems(case: Case) -> tuple[Any, list[Problem]]:
    pulled = DEFAULT_PULLED_PROPERTIES if case.mode == "offline" else None
    return parse_mapping(
        case.text(), path=f"{case.id}.toml", direction=case.direction, pulled_properties=pulled
    )


def live_problems(
    case: Case, hubspot: list[dict[str, Any]], salesforce: dict[str, dict[str, Any]]
) -> list[Problem]:
    mapping, problems = offline_problems(case)
    assert mapping is not None
    assert [p for p in problems if p.severity == "error"] == [], "must pass offline"
    return validate_live(
        [mapping],
        hubspot_properties=hubspot,
        salesforce_describes=salesforce,
        external_id_field=case.external_id_field,
    )


def assert_caught(case: Case, problems: list[Problem]) -> None:
    hits = [
        p
        for p in problems
        if p.key == case.key and p.severity == case.severity and case.message in p.message
    ]
    assert hits, f"{case.id}: expected {case.severity} at {case.key!r}, got:\n" + "\n".join(
        p.render() for p in problems
    )
    if case.line and case.key:
        assert hits[0].line is not None, f"{case.id}: no line number"
    assert all(p.suggestion for p in hits if p.severity == "error" and p.key), case.id


def test_the_corpus_is_big_and_every_mistake_distinct() -> None:
    assert len(OFFLINE) >= 15 and len(LIVE) >= 15
    assert len({c.id for c in ALL}) == len(ALL)
    assert len({(c.key, c.message, c.base) for c in ALL}) == len(ALL)


@pytest.mark.parametrize("case", OFFLINE, ids=lambda c: c.id)
def test_offline_mistakes_are_caught(case: Case) -> None:
    assert_caught(case, offline_problems(case)[1])


@pytest.mark.parametrize("case", LIVE, ids=lambda c: c.id)
def test_live_mistakes_are_caught(case: Case) -> None:
    hubspot = properties_after_setup() if case.setup_done else seeded_properties()
    assert_caught(case, live_problems(case, hubspot, describes()))


@pytest.mark.parametrize("direction", ["lead", "feedback"])
def test_example_mappings_validate_clean(direction: Direction) -> None:
    example = Case("example", direction, (), "offline", "", "error")
    assert offline_problems(example)[1] == []
    live = replace(example, mode="live")
    assert live_problems(live, properties_after_setup(), describes()) == []


def test_before_setup_every_connector_property_is_reported_once() -> None:
    case = Case("example", "feedback", (), "live", "", "error")
    problems = live_problems(case, seeded_properties(), describes())
    assert all(p.suggestion == "run `connector setup`" for p in problems)
    from connector.fieldmap.owned import OWNED_PROPERTY_NAMES

    reported = [
        re.search(r"property '(\w+)'", p.message).group(1)  # type: ignore[union-attr]
        for p in problems
    ]
    assert sorted(reported) == sorted(OWNED_PROPERTY_NAMES)
    assert next(p.key for p in problems if "handoff_status" in p.message) == (
        "hubspot.handoff_status"  # written by the handoff job, not by a feedback rule
    )

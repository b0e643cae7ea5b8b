"""The synthetic contacts: deterministic per seed, valid against the portal schema, varied
and messy, with observable signals that follow the hidden intent noisily."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime

import pytest

from connector_sandbox.hubspot.properties import PropertyRegistry
from connector_sandbox.synthetic import (
    COMPETITOR_DOMAINS,
    FREE_MAIL_DOMAINS,
    SyntheticContact,
    generate_contacts,
    generate_people,
    people_from_contacts,
)

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sample() -> list[SyntheticContact]:
    return list(generate_contacts(4000, 21, NOW))


def test_deterministic_per_seed() -> None:
    first = list(generate_contacts(300, 5, NOW))
    assert first == list(generate_contacts(300, 5, NOW))
    assert first != list(generate_contacts(300, 6, NOW))
    assert first[:100] == list(generate_contacts(100, 5, NOW))


def test_every_value_is_valid_for_the_seeded_schema(sample: list[SyntheticContact]) -> None:
    registry = PropertyRegistry()
    for contact in sample:
        for name, value in contact.properties.items():
            assert isinstance(value, str) and value != ""
            assert registry.normalize(name, value, trusted=True) == value, (name, value)
        assert 0.0 <= contact.intent <= 1.0
        assert contact.properties["createdate"] <= contact.properties["lastmodifieddate"]
        assert contact.properties["lastmodifieddate"] < "2026-11-02T09:00:00.000Z"


def test_varied_and_messy(sample: list[SyntheticContact]) -> None:
    props = [c.properties for c in sample]
    domains = Counter(p.get("hs_email_domain") for p in props)
    free = sum(domains[d] for d in FREE_MAIL_DOMAINS)
    assert 0.15 < free / len(props) < 0.4
    assert sum(domains[d] for d in COMPETITOR_DOMAINS) > 20
    emails = [p["email"] for p in props if "email" in p]
    assert len(emails) == len(set(emails)) and len(emails) < len(props)
    countries = Counter(p.get("country") for p in props)
    assert {"United States", "USA", "U.K.", "Deutschland", "Germany", "Sverige"} <= set(countries)
    assert countries["United States"] > countries["USA"]
    stages = Counter(p["lifecyclestage"] for p in props)
    assert 50 < stages["customer"] < 250
    assert Counter(p["hs_email_optout"] for p in props)["true"] > 50
    assert any(len(p.get("pain_point", "")) > 255 for p in props)
    assert any(p.get("pain_point") == "just looking" for p in props)
    assert len({p.get("phone", "")[:2] for p in props}) > 5  # formats differ
    assert set(Counter(p.get("hs_seniority") for p in props)) >= {
        "executive", "vp", "director", "manager", "employee", "student"}
    assert {p.get("recent_conversion_event_name") for p in props} >= {
        "Demo request", "Pricing inquiry", "Ebook download", "Newsletter signup"}


def test_signals_follow_intent_noisily(sample: list[SyntheticContact]) -> None:
    def mean_intent(pred: object) -> float:
        return statistics.mean(c.intent for c in sample if pred(c.properties))  # type: ignore[operator]

    demo = mean_intent(lambda p: p.get("demo_requested") == "true")
    no_demo = mean_intent(lambda p: p.get("demo_requested") != "true")
    assert demo > no_demo + 0.25
    assert (mean_intent(lambda p: p.get("purchase_timeline") == "this_quarter") >
            mean_intent(lambda p: p.get("purchase_timeline") == "no_timeline") + 0.2)
    assert (mean_intent(lambda p: int(p.get("pricing_page_views", 0)) >= 3) >
            mean_intent(lambda p: int(p.get("pricing_page_views", 0)) == 0))
    competitors = [c for c in sample if c.properties.get("hs_email_domain") in COMPETITOR_DOMAINS]
    assert max(c.intent for c in competitors) < 0.06
    assert statistics.mean(int(c.properties["pricing_page_views"]) for c in competitors) > 3
    hot = [c for c in sample if c.intent > 0.8]
    silent = [c for c in hot if c.properties.get("demo_requested") != "true"
              and "purchase_timeline" not in c.properties]
    assert 0.1 < len(silent) / len(hot) < 0.9  # imperfectly predictive on purpose


def test_people_for_salesforce_duplicates(sample: list[SyntheticContact]) -> None:
    people = people_from_contacts(sample, 25, seed=1)
    assert people == people_from_contacts(sample, 25, seed=1)
    emails = {c.properties.get("email") for c in sample}
    assert len(people) == 25 and all(p["email"].lower() in emails for p in people)
    assert set(people[0]) == {"email", "firstname", "lastname", "company", "title", "phone"}
    fresh = generate_people(10, seed=2)
    assert fresh == generate_people(10, seed=2)
    assert not {p["email"] for p in fresh} & emails

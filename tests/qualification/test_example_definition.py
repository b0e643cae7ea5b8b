"""The example definition encodes the alignment sales and marketing agreed: check it on
archetypal leads and on the sandbox's synthetic contacts (whose hidden intent it should track)."""

from __future__ import annotations

from pathlib import Path
from statistics import mean

import pytest

from connector.qualification import Decision, load_definition, qualify
from connector.records import Contact
from connector_sandbox.synthetic import generate_contacts

from .builders import NOW, contact, days_ago

EXAMPLE = load_definition(Path(__file__).resolve().parents[2] / "mappings" / "qualification.toml")
REACHABLE = dict(email="sam@northwind.io", country="United States", lifecyclestage="lead",
                 hs_email_optout="false")


def decide(**props: str | None) -> Decision:
    return qualify(contact("1", **{**REACHABLE, **props}), EXAMPLE, NOW)


def test_a_vp_ready_to_buy_is_handed_off_with_reasons() -> None:
    decision = decide(hs_seniority="vp", jobtitle="VP Revenue Operations",
                      numemployees="500-1000", industry="COMPUTER_SOFTWARE",
                      purchase_timeline="this_quarter", budget_range="50k_100k",
                      recent_conversion_event_name="Demo request",
                      recent_conversion_date=days_ago(2))
    assert decision.qualified and decision.grade == "hot"
    assert decision.summary().startswith("hot ")
    assert "timeline this quarter" in decision.summary()
    assert "demo request 2d ago" in decision.summary()


def test_a_manager_buying_this_quarter_is_a_meeting() -> None:
    decision = decide(hs_seniority="manager", numemployees="100-500", industry="RETAIL",
                      purchase_timeline="this_quarter", budget_range="10k_50k",
                      recent_conversion_event_name="Demo request",
                      recent_conversion_date=days_ago(1),
                      pain_point="Our reps lose leads: routing to the right rep takes days",
                      pricing_page_views="3", last_pricing_page_visit=days_ago(1))
    assert decision.qualified, decision.summary()


def test_a_vp_with_no_timeline_is_nurtured() -> None:
    decision = decide(hs_seniority="executive", numemployees="1000+", industry="COMPUTER_SOFTWARE",
                      purchase_timeline="no_timeline", hs_analytics_num_visits="6",
                      hs_analytics_last_visit_timestamp=days_ago(3))
    assert decision.grade == "warm" and not decision.qualified


def test_behaviour_and_firmographics_alone_do_not_hand_off() -> None:
    decision = decide(hs_seniority="student", jobtitle="Marketing Intern", numemployees="1000+",
                      industry="COMPUTER_SOFTWARE", pricing_page_views="12",
                      last_pricing_page_visit=days_ago(0), hs_analytics_num_visits="30",
                      hs_analytics_num_page_views="90",
                      hs_analytics_last_visit_timestamp=days_ago(0),
                      recent_conversion_event_name="Free trial signup",
                      recent_conversion_date=days_ago(0))
    assert not decision.qualified
    assert decision.dimensions["authority"] < 0


@pytest.mark.parametrize(("props", "gate"), [
    ({"email": "ana@gmail.com"}, "business_email"),
    ({"email": None}, "business_email"),
    ({"country": "Brasil"}, "in_territory"),
    ({"email": "spy@leadbridge.io"}, "not_competitor"),
    ({"hs_email_optout": "true"}, "not_opted_out"),
    ({"lifecyclestage": "customer"}, "not_customer"),
])
def test_each_gate_holds_back_a_ready_lead(props: dict[str, str | None], gate: str) -> None:
    ready = dict(hs_seniority="vp", numemployees="1000+", purchase_timeline="this_quarter",
                 budget_range="over_100k", industry="COMPUTER_SOFTWARE",
                 recent_conversion_event_name="Demo request",
                 recent_conversion_date=days_ago(1))
    assert decide(**ready).qualified
    decision = decide(**{**ready, **props})
    assert not decision.qualified and decision.grade == "hot"
    assert [g.name for g in decision.gates if not g.passed] == [gate]


@pytest.mark.parametrize("spelling", ["USA", "U.S.", "United States of America", "UK", "U.K.",
                                      "England", "Deutschland", "The Netherlands", "Sverige"])
def test_territory_spellings(spelling: str) -> None:
    assert decide(country=spelling).gates[1].passed


def test_grades_track_the_synthetic_contacts_hidden_intent() -> None:
    by_grade: dict[str, list[float]] = {"cold": [], "warm": [], "hot": []}
    handed: list[float] = []
    for i, synthetic in enumerate(generate_contacts(2000, 11, NOW)):
        decision = qualify(Contact(str(i), synthetic.properties), EXAMPLE, NOW)
        by_grade[decision.grade].append(synthetic.intent)
        if decision.qualified:
            handed.append(synthetic.intent)
    intent = {grade: mean(values) for grade, values in by_grade.items()}
    assert intent["cold"] < intent["warm"] < intent["hot"], intent
    assert mean(handed) > 2 * mean(v for values in by_grade.values() for v in values)
    assert 0.01 < len(handed) / 2000 < 0.15  # fewer, better leads

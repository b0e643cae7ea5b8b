"""explain: a decision rendered as gates, dimensions with caps, criteria with decay, the rule."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.console import Console

from connector.commands._decision_view import decision_to_text, render_decision
from connector.qualification import load_definition, qualify

from .builders import NOW, contact, days_ago

EXAMPLE = load_definition(Path(__file__).resolve().parents[2] / "mappings" / "qualification.toml")

READY = dict(email="dana@acme.io", country="USA", hs_seniority="manager",
             numemployees="500-1000", industry="COMPUTER_SOFTWARE", budget_range="over_100k",
             recent_conversion_event_name="Demo request",
             recent_conversion_date=days_ago(7), pricing_page_views="4",
             last_pricing_page_visit=days_ago(1),
             pain_point="We spend 10 hours a week fixing duplicate leads in spreadsheets")


def test_breakdown_shows_gates_dimensions_caps_decay_and_rule() -> None:
    decision = qualify(contact("77", **READY), EXAMPLE, NOW)
    text = decision_to_text(decision, EXAMPLE, width=160)
    assert "contact 77: HANDED OFF" in text
    assert decision.summary() in text
    for gate in ("business_email", "in_territory", "not_competitor", "not_opted_out",
                 "not_customer"):
        assert gate in text
    assert "pain (Pain clarity)" in text and "15 (capped)" in text  # 25.x points, cap 15
    assert "demo request 7d ago" in text and "x0.79" in text  # 0.5 ** (7 / 21)
    assert "Did not fire:" in text and "timeline this quarter" in text
    assert "\u2713 grade in hot (is hot)" in text
    assert "\u2713 one of authority / urgency scores (authority)" in text


def test_a_held_lead_shows_why() -> None:
    decision = qualify(contact("78", **{**READY, "email": "dana@gmail.com",
                                        "hs_seniority": None}), EXAMPLE, NOW)
    text = decision_to_text(decision, EXAMPLE, width=160)
    assert "NOT HANDED OFF" in text
    assert "business email (not free-mail): failed (email domain='gmail.com')" in text
    assert "\u2717 every gate passes" in text
    assert "\u2717 one of authority / urgency scores (none does)" in text


def test_a_decision_from_another_definition_is_flagged() -> None:
    decision = qualify(contact("79"), EXAMPLE, NOW)
    changed = replace(decision, definition_hash="0123456789abcdef")
    assert "warning: decided with definition 0123456789abcdef" in decision_to_text(changed,
                                                                                   EXAMPLE)


def test_render_decision_is_a_rich_renderable() -> None:
    console = Console(record=True, width=120)
    console.print(render_decision(qualify(contact("80", **READY), EXAMPLE, NOW), EXAMPLE))
    assert "Criteria that fired" in console.export_text()

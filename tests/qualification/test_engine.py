"""qualify(): decay, caps, fit / engagement, gates, grades and the handoff rule, by hand."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from connector.qualification import Definition, qualify
from connector.qualification.compiler import compiled
from connector.qualification.engine import decay_factor, grade_of

from .builders import GRADES, NOW, contact, criterion, days_ago, definition

CRITERIA = "".join([
    criterion("size", "fit", 15, '{ property = "numemployees", op = "in", '
              'values = ["100-500", "1000+"] }'),
    criterion("industry", "fit", 10, '{ property = "industry", op = "equals", '
              'value = "COMPUTER_SOFTWARE" }'),
    criterion("revenue", "fit", 10, '{ property = "annualrevenue", op = "gte", value = 1e6 }'),
    criterion("vp", "authority", 20, '{ property = "hs_seniority", op = "in", '
              'values = ["vp", "executive"] }'),
    criterion("student", "authority", -10, '{ property = "hs_seniority", op = "equals", '
              'value = "student" }'),
    criterion("this_quarter", "urgency", 20, '{ property = "purchase_timeline", op = "equals", '
              'value = "this_quarter" }'),
    criterion("pricing", "engagement", 20, '{ property = "pricing_page_views", op = "gte", '
              'value = 3 }',
              decay='{ half_life_days = 10, timestamp = "last_pricing_page_visit" }'),
    criterion("visits", "engagement", 10, '{ property = "hs_analytics_num_visits", op = "gte", '
              'value = 5 }'),
])
GATES = """
[lists]
free_mail = ["gmail.com", "yahoo.com"]

[gates.business_email]
label = "business email"
condition = { property = "email", normalize = "email_domain", op = "not_in", list = "free_mail" }

[gates.not_opted_out]
label = "not opted out"
condition = { none = [{ property = "hs_email_optout", op = "equals", value = true }] }
"""
LOW_GRADES = """
[[grades]]
name = "cold"
max = 30

[[grades]]
name = "warm"
min = 30
max = 55

[[grades]]
name = "hot"
min = 55
"""


@pytest.fixture(scope="module")
def rules() -> Definition:
    return definition(CRITERIA, gates=GATES)


def test_decay_halves_points_every_half_life(rules: Definition) -> None:
    for age, points, factor in ((0, 20.0, 1.0), (10, 10.0, 0.5), (20, 5.0, 0.25),
                                (5, 14.14, 0.7071)):
        lead = contact(email="a@acme.io", pricing_page_views="4",
                       last_pricing_page_visit=days_ago(age))
        (hit,) = qualify(lead, rules, NOW).fired
        assert (hit.criterion, hit.points, hit.base_points) == ("pricing", points, 20.0)
        assert hit.decay_factor == factor
        assert hit.reason == ("pricing today" if age == 0 else f"pricing {age}d ago")


def test_decay_counts_whole_days_so_a_score_is_stable_within_a_day(rules: Definition) -> None:
    early = contact(pricing_page_views="3", last_pricing_page_visit=days_ago(10.05))
    late = contact(pricing_page_views="3", last_pricing_page_visit=days_ago(10.95))
    assert qualify(early, rules, NOW).score == qualify(late, rules, NOW).score == 10.0
    assert decay_factor(10.95, 10) == pytest.approx(0.5)


def test_decayed_criterion_needs_a_readable_timestamp(rules: Definition) -> None:
    for stamp in (None, "", "last tuesday"):
        lead = contact(pricing_page_views="9", last_pricing_page_visit=stamp)
        assert qualify(lead, rules, NOW).fired == ()
    ancient = contact(pricing_page_views="9", last_pricing_page_visit=days_ago(400))
    assert qualify(ancient, rules, NOW).fired == ()  # 20 * 0.5**40 rounds to 0: not fired


def test_caps_limit_a_dimension_but_every_hit_is_listed(rules: Definition) -> None:
    lead = contact(numemployees="1000+", industry="computer_software", annualrevenue="5000000")
    decision = qualify(lead, rules, NOW)
    assert [h.points for h in decision.fired] == [15.0, 10.0, 10.0]
    assert decision.dimensions["fit"] == 30.0  # 35 capped at 30
    assert decision.fit_score == 30.0 and decision.score == 30.0


def test_fit_and_engagement_are_scored_separately_and_summed(rules: Definition) -> None:
    lead = contact(hs_seniority="vp", numemployees="100-500", purchase_timeline="this_quarter",
                   hs_analytics_num_visits="7")
    decision = qualify(lead, rules, NOW)
    assert dict(decision.dimensions) == {"fit": 15.0, "authority": 20.0, "urgency": 20.0,
                                         "engagement": 10.0}
    assert (decision.fit_score, decision.engagement_score, decision.score) == (35.0, 30.0, 65.0)
    assert decision.grade == "warm"


def test_penalties_lower_the_score_below_zero(rules: Definition) -> None:
    decision = qualify(contact(hs_seniority="student"), rules, NOW)
    assert decision.dimensions["authority"] == -10.0
    assert decision.score == -10.0 and decision.grade == "cold"


def test_fired_criteria_keep_definition_order(rules: Definition) -> None:
    lead = contact(hs_analytics_num_visits="9", purchase_timeline="this_quarter",
                   hs_seniority="executive", industry="COMPUTER_SOFTWARE")
    fired = [h.criterion for h in qualify(lead, rules, NOW).fired]
    assert fired == ["industry", "vp", "this_quarter", "visits"]


def test_every_gate_is_evaluated_and_all_must_pass() -> None:
    rules = definition(CRITERIA, gates=GATES, grades=LOW_GRADES)
    strong = dict(hs_seniority="vp", numemployees="1000+", purchase_timeline="this_quarter",
                  hs_analytics_num_visits="9")
    assert qualify(contact(email="jo@acme.io", **strong), rules, NOW).qualified
    blocked = qualify(contact(email="Jo@Gmail.com", hs_email_optout="true", **strong), rules,
                      NOW)
    assert not blocked.qualified and blocked.grade == "hot"
    assert [(g.name, g.passed) for g in blocked.gates] == [("business_email", False),
                                                         ("not_opted_out", False)]
    assert blocked.gates[0].reason == "business email: failed (email domain='gmail.com')"
    assert blocked.summary().endswith("[not handed off: failed business_email, not_opted_out]")
    no_email = qualify(contact(**strong), rules, NOW)
    assert [g.passed for g in no_email.gates] == [False, True]
    assert no_email.gates[0].reason == "business email: failed (email missing)"


def test_grade_bands_are_half_open_and_the_hottest_is_closed() -> None:
    bands = (("cold", -math.inf, 40.0), ("warm", 40.0, 70.0), ("hot", 70.0, 100.0))
    assert [grade_of(bands, s) for s in (-5, 0, 39.99, 40, 69.99, 70, 100)] == [
        "cold", "cold", "cold", "warm", "warm", "hot", "hot"]
    rules = definition(CRITERIA, grades=LOW_GRADES.replace('min = 55\n', 'min = 55\nmax = 100\n'))
    lead = contact(hs_seniority="vp", numemployees="1000+", industry="COMPUTER_SOFTWARE",
                   annualrevenue="2e6", purchase_timeline="this_quarter",
                   hs_analytics_num_visits="9", pricing_page_views="5",
                   last_pricing_page_visit=days_ago(0))
    decision = qualify(lead, rules, NOW)
    assert decision.score == 100.0 and decision.grade == "hot"  # 30 + 20 + 20 + 30


def test_handoff_rule_requires_authority_or_urgency() -> None:
    handoff = '[handoff]\ngrades = ["hot"]\nrequire_any = ["authority", "urgency"]\n'
    rules = definition(CRITERIA, grades=LOW_GRADES, handoff=handoff)
    firmographic = dict(numemployees="1000+", industry="COMPUTER_SOFTWARE", annualrevenue="2e6",
                        hs_analytics_num_visits="9", pricing_page_views="4",
                        last_pricing_page_visit=days_ago(0))
    only_behaviour = qualify(contact(**firmographic), rules, NOW)
    assert (only_behaviour.grade, only_behaviour.score) == ("hot", 60.0)
    assert not only_behaviour.qualified
    assert only_behaviour.summary().endswith("[not handed off: handoff rule not met]")
    assert qualify(contact(hs_seniority="vp", **firmographic), rules, NOW).qualified
    assert qualify(contact(purchase_timeline="this_quarter", **firmographic), rules, NOW).qualified
    student = qualify(contact(hs_seniority="student", **firmographic), rules, NOW)
    assert not student.qualified  # authority -10 does not "score"


def test_handoff_on_min_score_and_require_all() -> None:
    rules = definition(CRITERIA, handoff="[handoff]\nmin_score = 45\n"
                       'require_all = ["urgency"]\n')
    urgent = contact(purchase_timeline="this_quarter", hs_seniority="vp", numemployees="1000+")
    decision = qualify(urgent, rules, NOW)
    assert (decision.score, decision.grade, decision.qualified) == (55.0, "warm", True)
    not_urgent = contact(hs_seniority="vp", numemployees="1000+", industry="COMPUTER_SOFTWARE",
                         hs_analytics_num_visits="9")
    assert qualify(not_urgent, rules, NOW).score == 55.0
    assert not qualify(not_urgent, rules, NOW).qualified
    low = contact(purchase_timeline="this_quarter", hs_seniority="vp")
    assert qualify(low, rules, NOW).score == 40.0 and not qualify(low, rules, NOW).qualified


def test_decision_carries_version_hash_and_time(rules: Definition) -> None:
    decision = qualify(contact("42"), rules, NOW)
    assert decision.contact_id == "42"
    assert (decision.version, decision.definition_hash) == ("test 1", rules.hash)
    assert decision.decided_at == NOW
    assert (decision.qualified, decision.grade, decision.score) == (False, "cold", 0.0)


def test_naive_now_is_utc_and_results_are_deterministic(rules: Definition) -> None:
    lead = contact(pricing_page_views="4", last_pricing_page_visit=days_ago(3))
    first = qualify(lead, rules, NOW)
    assert qualify(lead, rules, NOW.replace(tzinfo=None)) == first
    assert qualify(lead, rules, NOW) == first
    later = qualify(lead, rules, NOW + timedelta(days=7))
    assert later.score < first.score


def test_no_text_from_the_definition_reaches_the_generated_code() -> None:
    nasty = '"); import os; os.remove("x"); ("'
    rules = definition(
        criterion('"weird \\" id"', "fit", 5, '{ property = "jobtitle", op = "in", '
                  f"values = ['{nasty}'] }}")
        + f"label = '{nasty}'\n",
        grades=GRADES.replace('name = "hot"', f"name = '{nasty}'"),
        handoff=f"[handoff]\ngrades = ['{nasty}']\n")
    source = compiled(rules).source
    assert "import" not in source and "weird" not in source and "jobtitle" not in source
    decision = qualify(contact(jobtitle=nasty), rules, NOW)
    assert [(h.criterion, h.reason) for h in decision.fired] == [('weird " id', nasty)]

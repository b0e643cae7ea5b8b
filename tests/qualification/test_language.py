"""The richer definition language: points tables, numeric bands with an else, handoff
alternatives naming criteria, ``missing_values``, and did-you-mean suggestions that are valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connector.commands._decision_view import decision_to_text
from connector.errors import ConfigError
from connector.qualification import load_definition, parse_definition, qualify
from connector.qualification.condition_parser import PROPERTY_NAME, internal_name
from connector.qualification.problems import did_you_mean

from .builders import DIMENSIONS, GRADES, NOW, contact, criterion, days_ago, definition

EXAMPLE = Path(__file__).parents[2] / "mappings" / "qualification.toml"

TIMELINE = """
[criteria.timeline]
dimension = "urgency"
label = "timeline"
[criteria.timeline.points_by_value]
property = "purchase_timeline"
values = { this_quarter = 20, next_quarter = 10, "This year" = 5 }
else = 1
"""

SIZE = """
[criteria.size]
dimension = "fit"
label = "company size"
[criteria.size.points_by_band]
property = "numemployees"
bands = [ { min = 1000, points = 25 }, { min = 200, max = 1000, points = 15 },
          { max = 10, points = -5 } ]
else = 3
"""


def problems_of(text: str, **kwargs: object) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_definition(text, file="bad.toml", **kwargs)  # type: ignore[arg-type]
    return [p.render() for p in caught.value.problems]


def full(criteria: str, *, handoff: str = '[handoff]\ngrades = ["hot"]\n',
         grades: str = GRADES) -> str:
    return "\n".join(['version = "t"', DIMENSIONS, criteria, grades, handoff])


# -- points_by_value ----------------------------------------------------------------------------
def test_points_by_value_scores_each_listed_value_and_else_for_the_rest() -> None:
    rules = definition(TIMELINE)
    scores = {value: qualify(contact(purchase_timeline=value), rules, NOW).dimensions["urgency"]
              for value in ("this_quarter", " NEXT_QUARTER ", "this year", "someday")}
    assert scores == {"this_quarter": 20, " NEXT_QUARTER ": 10, "this year": 5, "someday": 1}
    missing = qualify(contact(purchase_timeline="  "), rules, NOW)
    assert missing.dimensions["urgency"] == 0 and not missing.fired  # missing never scores
    hit = qualify(contact(purchase_timeline="next_quarter"), rules, NOW).fired[0]
    assert (hit.criterion, hit.points, hit.reason) == ("timeline", 10, "timeline: next_quarter")
    other = qualify(contact(purchase_timeline="someday"), rules, NOW).fired[0]
    assert other.reason == "timeline: other"


def test_points_by_value_honours_normalize_and_case() -> None:
    rules = definition("""
[criteria.region]
dimension = "fit"
points_by_value = { property = "country", normalize = "country", values = { USA = 10, UK = 6 } }
""")
    assert [qualify(contact(country=c), rules, NOW).score for c in
            ("U.S.", "united states", "England", "France")] == [10, 10, 6, 0]
    exact = definition("""
[criteria.code]
dimension = "fit"
points_by_value = { property = "industry", ignore_case = false, values = { SaaS = 10 } }
""")
    assert [qualify(contact(industry=v), exact, NOW).score for v in ("SaaS", "saas")] == [10, 0]


def test_a_table_criterion_with_a_condition_needs_both() -> None:
    rules = definition(TIMELINE.replace(
        'label = "timeline"',
        'label = "timeline"\ncondition = { property = "hs_seniority", op = "exists" }'))
    assert qualify(contact(purchase_timeline="this_quarter"), rules, NOW).score == 0
    assert qualify(contact(purchase_timeline="this_quarter", hs_seniority="vp"), rules,
                   NOW).score == 20


# -- numeric bands --------------------------------------------------------------------------------
@pytest.mark.parametrize(("employees", "points", "reason"), [
    ("5000", 25, "company size: 1000+"), ("1,000", 25, "company size: 1000+"),
    ("999", 15, "company size: 200-1000"), ("200", 15, "company size: 200-1000"),
    ("50", 3, "company size: other"), ("9", -5, "company size: <10"),
])
def test_bands_pick_the_band_holding_the_number_else_for_the_gaps(
        employees: str, points: float, reason: str) -> None:
    decision = qualify(contact(numemployees=employees), definition(SIZE), NOW)
    assert decision.dimensions["fit"] == points
    assert [hit.reason for hit in decision.fired] == [reason]


def test_bands_ignore_missing_values_and_non_numbers() -> None:
    rules = definition(SIZE)
    for value in (None, "", "lots", "nan"):
        assert not qualify(contact(numemployees=value), rules, NOW).fired


def test_a_table_can_decay() -> None:
    rules = definition(TIMELINE.replace(
        'label = "timeline"',
        'label = "timeline"\ndecay = { half_life_days = 7, timestamp = "recent_conversion_date" }'))
    decision = qualify(contact(purchase_timeline="this_quarter",
                               recent_conversion_date=days_ago(7)), rules, NOW)
    assert decision.score == 10 and decision.fired[0].reason == "timeline: this_quarter 7d ago"


def test_reachable_scores_count_table_points_and_negative_else() -> None:
    text = full(SIZE.replace("else = 3", "else = -50"),
                grades=GRADES.replace('name = "cold"\n', 'name = "cold"\nmin = -5\n'))
    found = problems_of(text)
    assert any("[grades[0].min]" in p and "scores down to -50 are reachable" in p
               for p in found), found


def test_explain_shows_the_value_that_scored() -> None:
    rules = definition(TIMELINE + SIZE)
    decision = qualify(contact(purchase_timeline="this_quarter", numemployees="300"), rules, NOW)
    text = decision_to_text(decision, rules)
    assert "timeline: this_quarter" in text and "company size: 200-1000" in text


# -- missing_values -------------------------------------------------------------------------------
def test_missing_values_are_absent_for_every_operator() -> None:
    conditions = {
        "equals": '{ property = "x", op = "equals", value = "select" }',
        "in": '{ property = "x", op = "in", values = ["Select", "a"] }',
        "not_in": '{ property = "x", op = "not_in", values = ["a"] }',
        "contains": '{ property = "x", op = "contains", value = "sel" }',
        "matches": '{ property = "x", op = "matches", pattern = "." }',
        "exists": '{ property = "x", op = "exists" }',
        "gte": '{ property = "n", op = "gte", value = 0 }',
        "between": '{ property = "n", op = "between", min = -1, max = 1 }',
    }
    criteria = "".join(criterion(op, "engagement", 1, cond) for op, cond in conditions.items())
    criteria += criterion("is_missing", "fit", 1, '{ property = "x", op = "missing" }')
    criteria += criterion("n_missing", "fit", 1, '{ property = "n", op = "missing" }')
    plain = definition(criteria)
    placeholders = definition(criteria, lists='missing_values = ["Select", " N/A "]')
    lead = contact(x=" SELECT ", n="n/a")
    assert {h.criterion for h in qualify(lead, plain, NOW).fired} == {
        "in", "not_in", "contains", "matches", "exists", "equals"}
    assert {h.criterion for h in qualify(lead, placeholders, NOW).fired} == {
        "is_missing", "n_missing"}
    real = contact(x="a", n="0")
    assert {h.criterion for h in qualify(real, placeholders, NOW).fired} == {
        "in", "matches", "exists", "gte", "between"}


def test_missing_values_in_tables_and_gate_reasons() -> None:
    rules = definition(TIMELINE, lists='missing_values = ["Select"]',
                       gates='[gates.timeline_known]\n'
                             'condition = { property = "purchase_timeline", op = "exists" }\n')
    decision = qualify(contact(purchase_timeline="select"), rules, NOW)
    assert not decision.fired  # not "else"
    assert decision.gates[0].reason.endswith("(purchase_timeline missing ('select'))")


def test_missing_values_change_the_hash_only_when_used() -> None:
    example = load_definition(EXAMPLE)
    assert example.hash == "c8f19b3f07248967"  # new language keys leave old hashes alone
    one = definition(TIMELINE, lists='missing_values = ["Select", "N/A"]')
    two = definition(TIMELINE, lists='missing_values = ["n/a", "select"]')
    assert one.hash == two.hash != definition(TIMELINE).hash


# -- handoff alternatives -------------------------------------------------------------------------
REFERRED = criterion("referred", "engagement", 5,
                     '{ property = "hs_analytics_source", op = "equals", value = "REFERRALS" }')
BIG = criterion("big", "fit", 30, '{ property = "numemployees", op = "gte", value = 1000 }')
EXEC = criterion("exec", "authority", 20, '{ property = "hs_seniority", op = "equals", '
                 'value = "vp" }')
URGENT = criterion("urgent", "urgency", 20, '{ property = "purchase_timeline", op = "exists" }')
HOT_OR_WARM_REFERRED = """
[handoff]
grades = ["hot"]

[[handoff.or]]
grades = ["warm"]
require_criteria = ["referred"]
"""


def test_hot_or_warm_and_referred() -> None:
    rules = definition(REFERRED + BIG + EXEC + URGENT, handoff=HOT_OR_WARM_REFERRED)
    hot = qualify(contact(numemployees="5000", hs_seniority="vp", purchase_timeline="now"),
                  rules, NOW)
    warm = dict(numemployees="5000", hs_seniority="vp")
    warm_referred = qualify(contact(hs_analytics_source="REFERRALS", **warm), rules, NOW)
    warm_only = qualify(contact(**warm), rules, NOW)
    cold_referred = qualify(contact(hs_analytics_source="REFERRALS"), rules, NOW)
    assert (hot.grade, hot.qualified) == ("hot", True)
    assert (warm_referred.grade, warm_referred.qualified) == ("warm", True)
    assert (warm_only.grade, warm_only.qualified) == ("warm", False)
    assert (cold_referred.grade, cold_referred.qualified) == ("cold", False)
    text = decision_to_text(warm_referred, rules)
    assert "\u2717 and grade hot" in text
    assert "\u2713 or grade warm and criterion referred fires" in text
    assert "criterion referred (referred) fired" in text
    assert "criterion referred (referred) did not fire" in decision_to_text(warm_only, rules)


def test_a_named_criterion_that_decayed_to_nothing_did_not_fire() -> None:
    referred = criterion("referred", "engagement", 1, '{ property = "hs_analytics_source", '
                         'op = "exists" }', decay='{ half_life_days = 1, timestamp = "d" }')
    rules = definition(referred + BIG + EXEC, handoff=HOT_OR_WARM_REFERRED)
    warm = dict(numemployees="5000", hs_seniority="vp", hs_analytics_source="x")
    assert qualify(contact(d=days_ago(0), **warm), rules, NOW).qualified
    assert not qualify(contact(d=days_ago(30), **warm), rules, NOW).qualified


def test_require_criteria_in_the_main_rule_and_gates_still_apply() -> None:
    handoff = '[handoff]\nmin_score = 0\nrequire_criteria = ["referred", "big"]\n'
    gate = ('[gates.has_email]\n'
            'condition = { property = "email", op = "exists" }\n')
    rules = definition(REFERRED + BIG, handoff=handoff, gates=gate)
    both = dict(hs_analytics_source="REFERRALS", numemployees="1000")
    assert qualify(contact(email="a@b.io", **both), rules, NOW).qualified
    assert not qualify(contact(**both), rules, NOW).qualified  # the gate holds every rule
    assert not qualify(contact(email="a@b.io", numemployees="1000"), rules, NOW).qualified


def test_alternatives_change_the_hash_not_their_order() -> None:
    base = definition(REFERRED + BIG)
    alt = definition(REFERRED + BIG, handoff=HOT_OR_WARM_REFERRED)
    swapped = definition(REFERRED + BIG, handoff=HOT_OR_WARM_REFERRED + """
[[handoff.or]]
min_score = 60
""")
    reordered = definition(REFERRED + BIG, handoff="""
[handoff]
grades = ["hot"]

[[handoff.or]]
min_score = 60

[[handoff.or]]
grades = ["warm"]
require_criteria = ["referred"]
""")
    assert len({base.hash, alt.hash, swapped.hash}) == 3
    assert swapped.hash == reordered.hash


def test_bad_alternatives_are_reported_with_their_keys() -> None:
    found = problems_of(full(REFERRED, handoff="""
[handoff]
grades = ["hot"]
[[handoff.or]]
grades = ["wram"]
require_any = ["urgncy"]
colour = 1
"""))
    assert any("[handoff.or[0].grades[0]]" in p and "did you mean 'warm'?" in p for p in found)
    assert any("[handoff.or[0].require_any[0]]" in p and "did you mean 'urgency'?" in p
               for p in found)
    assert any("[handoff.or[0].colour]" in p and "unknown key" in p for p in found)
    not_a_list = problems_of(full(REFERRED, handoff='[handoff]\ngrades = ["hot"]\nor = 3\n'))
    assert any("[handoff.or]" in p and "must be a list" in p for p in not_a_list)


@pytest.mark.parametrize(("table", "message"), [
    ('{ property = "x", values = {} }', "must list at least one value = points"),
    ('{ property = "x" }', "is required: a table of value = points"),
    ('{ property = "x", values = { "" = 3 } }', "a blank value can never match"),
    ('{ property = "x", values = { a = 1 }, normalize = "colour" }', "unknown normaliser"),
    ('{ property = "x", values = { a = 1 }, else = "no" }', "must be a number"),
    ('{ property = "Job Title", values = { a = 1 } }', "property = 'job_title'"),
])
def test_bad_points_by_value(table: str, message: str) -> None:
    found = problems_of(full(f'[criteria.t]\ndimension = "fit"\npoints_by_value = {table}\n'))
    assert any("[criteria.t.points_by_value" in p and message in p for p in found), found


@pytest.mark.parametrize(("bands", "message"), [
    ("[]", "must be a non-empty list"),
    ("[ { points = 3 } ]", "a band needs min and/or max"),
    ("[ { min = 5, max = 5, points = 3 } ]", "min (5) must be below max (5)"),
    ("[ { min = 5, points = 3 }, { max = 9, points = 1 } ]",
     "bands overlap: below 9 and 5 and above"),
    ("[ { min = 5 } ]", "is required"),
])
def test_bad_points_by_band(bands: str, message: str) -> None:
    found = problems_of(full('[criteria.t]\ndimension = "fit"\n'
                             f'points_by_band = {{ property = "x", bands = {bands} }}\n'))
    assert any("[criteria.t.points_by_band" in p and message in p for p in found), found


def test_two_tables_on_one_criterion() -> None:
    found = problems_of(full('[criteria.t]\ndimension = "fit"\n'
                             'points_by_value = { property = "x", values = { a = 1 } }\n'
                             'points_by_band = { property = "x", bands = [ { min = 1, '
                             'points = 1 } ] }\n'))
    assert any("give one of points_by_value / points_by_band, not both" in p for p in found)


# -- did you mean ---------------------------------------------------------------------------------
def test_unpulled_properties_are_reported_once_each_with_valid_suggestions() -> None:
    text = full(criterion("a", "fit", 1, '{ property = "jobtitel", op = "exists" }')
                + criterion("b", "fit", 1, '{ property = "jobtitel", op = "missing" }')
                + criterion("c", "fit", 1, '{ property = "colour", op = "exists" }'))
    found = problems_of(text, pulled_properties={"jobtitle", "Job Title", "color_"})
    assert len(found) == 2, found
    assert "criteria a and b read property 'jobtitel'" in found[0]
    assert "did you mean 'jobtitle'?" in found[0]
    # "Job Title" is a CSV header, not an internal name: never suggested
    assert "criterion c reads property 'colour'" in found[1] and "Job Title" not in found[1]


@settings(max_examples=200, deadline=None)
@given(word=st.text(min_size=1, max_size=12),
       choices=st.lists(st.text(min_size=1, max_size=12), max_size=20))
def test_did_you_mean_only_suggests_names_it_was_given(word: str, choices: list[str]) -> None:
    hint = did_you_mean(word, choices)
    if hint is None:
        return
    named = re.fullmatch(r"did you mean (.*)\?", hint, re.DOTALL)
    if named:
        assert eval(named.group(1)) in choices  # noqa: S307 - a repr we wrote
        assert eval(named.group(1)) != word  # noqa: S307
    else:
        assert hint.startswith("one of: ")


@given(st.text(max_size=30))
def test_internal_name_suggestions_are_valid_names(label: str) -> None:
    assert PROPERTY_NAME.fullmatch(internal_name(label))


# -- the generated code agrees with the rules stated plainly ------------------------------------
PLACEHOLDERS = definition(TIMELINE + SIZE + REFERRED + EXEC, lists='missing_values = ["Select"]',
                          handoff=HOT_OR_WARM_REFERRED)
TIMELINE_POINTS = {"this_quarter": 20.0, "next_quarter": 10.0, "this year": 5.0}
SIZE_BANDS = ((1000.0, float("inf"), 25.0), (200.0, 1000.0, 15.0), (float("-inf"), 10.0, -5.0))


def expected_timeline(value: str | None) -> float:
    text = value.strip() if value else ""
    if not text or text.casefold() == "select":
        return 0.0
    return TIMELINE_POINTS.get(text.casefold(), 1.0)


def expected_size(value: str | None) -> float:
    text = value.strip() if value else ""
    if not text or text.casefold() == "select":
        return 0.0
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return 0.0
    if number != number:
        return 0.0
    return next((p for low, high, p in SIZE_BANDS if low <= number < high), 3.0)


@settings(max_examples=300, deadline=None)
@given(timeline=st.one_of(st.none(), st.text(max_size=6), st.sampled_from(
           ["this_quarter", " NEXT_QUARTER ", "This Year", "Select", " select", "someday"])),
       size=st.one_of(st.none(), st.text(max_size=5), st.sampled_from(["Select", "1,200"]),
                      st.floats(-50, 5000, allow_nan=False).map(str)),
       referred=st.booleans(), vp=st.booleans())
def test_compiled_tables_and_alternatives_match_the_plain_rules(
        timeline: str | None, size: str | None, referred: bool, vp: bool) -> None:
    lead = contact(purchase_timeline=timeline, numemployees=size,
                   hs_analytics_source="REFERRALS" if referred else "Select",
                   hs_seniority="vp" if vp else "Select")
    decision = qualify(lead, PLACEHOLDERS, NOW)
    urgency = min(20.0, expected_timeline(timeline))
    fit = min(30.0, expected_size(size))
    assert decision.dimensions["urgency"] == urgency
    assert decision.dimensions["fit"] == fit
    score = urgency + fit + (5.0 if referred else 0.0) + (20.0 if vp else 0.0)
    assert decision.score == score
    grade = "cold" if score < 40 else "warm" if score < 70 else "hot"
    assert decision.grade == grade
    assert decision.qualified == (grade == "hot" or (grade == "warm" and referred))


def test_operator_aliases_suggest_real_operators() -> None:
    from connector.qualification.condition_parser import OPERATOR_ALIASES
    from connector.qualification.definition import OPERATORS

    assert set(OPERATOR_ALIASES.values()) <= set(OPERATORS)

"""Properties of the engine and the hash, over generated contacts and edits."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from connector.qualification import Definition, load_definition, parse_definition, qualify
from connector.qualification.definition import Criterion, Decay, Leaf
from connector.qualification.engine import decay_factor
from connector.records import Contact

from .builders import NOW, days_ago

EXAMPLE_PATH = Path(__file__).resolve().parents[2] / "mappings" / "qualification.toml"
EXAMPLE = load_definition(EXAMPLE_PATH)
EXAMPLE_TEXT = EXAMPLE_PATH.read_text()
TWIN = load_definition(EXAMPLE_PATH)  # same file, loaded and compiled separately


def one_of(*values: str | None) -> st.SearchStrategy[str | None]:
    return st.sampled_from(values)


dates = st.one_of(st.integers(-5, 900).map(lambda d: days_ago(d)),
                  st.floats(0, 60).map(days_ago), st.just("garbage"), st.none())
counts = st.one_of(st.integers(0, 40).map(str), st.just("n/a"), st.none())
PROPERTIES = {
    "email": one_of("jo@acme.io", "x@gmail.com", "a@leadbridge.io", "", None),
    "country": one_of("USA", "U.K.", "Germany", "Brasil", "", None),
    "hs_seniority": one_of("executive", "vp", "director", "manager", "employee", "student",
                           None),
    "jobtitle": st.one_of(one_of("VP Sales", "Intern", "Head of Ops", None), st.text(max_size=30)),
    "hs_role": one_of("operations", "sales", "hr", None),
    "numemployees": one_of("1-5", "50-100", "100-500", "1000+", None),
    "industry": one_of("COMPUTER_SOFTWARE", "RETAIL", None),
    "purchase_timeline": one_of("this_quarter", "next_quarter", "this_year", "no_timeline",
                                None),
    "budget_range": one_of("under_10k", "10k_50k", "over_100k", "unknown", None),
    "pain_point": st.one_of(st.text(max_size=80), st.none()),
    "recent_conversion_event_name": one_of("Demo request", "Pricing inquiry", "Ebook download",
                                           "Free trial signup", None),
    "recent_conversion_date": dates,
    "demo_requested": one_of("true", "false", None),
    "pricing_page_views": counts,
    "last_pricing_page_visit": dates,
    "hs_analytics_num_visits": counts,
    "hs_analytics_num_page_views": counts,
    "hs_analytics_last_visit_timestamp": dates,
    "hs_email_click": counts,
    "hs_email_last_click_date": dates,
    "hs_email_optout": one_of("true", "false", None),
    "lifecyclestage": one_of("lead", "customer", None),
}
contacts = st.fixed_dictionaries({}, optional=PROPERTIES).map(
    lambda props: Contact("c1", {"hs_object_id": "c1", **props}))


@settings(max_examples=150, deadline=None)
@given(contacts)
def test_qualify_is_deterministic(contact: Contact) -> None:
    first = qualify(contact, EXAMPLE, NOW)
    again = qualify(Contact(contact.id, dict(contact.properties)), EXAMPLE, NOW)
    fresh = qualify(contact, TWIN, NOW)
    assert first == again == fresh
    assert first.to_snapshot() == fresh.to_snapshot()
    assert first.summary() == fresh.summary()


@settings(max_examples=200, deadline=None)
@given(contacts, st.sampled_from([d.name for d in EXAMPLE.dimensions]),
       st.floats(0, 50, allow_nan=False), st.booleans(), st.integers(0, 400),
       st.integers(0, len(EXAMPLE.criteria)))
def test_adding_a_firing_positive_criterion_never_lowers_the_score(
        contact: Contact, dimension: str, points: float, decays: bool, age: int,
        position: int) -> None:
    props = {**contact.properties, "last_pricing_page_visit": days_ago(age)} if decays \
        else contact.properties
    lead = Contact(contact.id, props)
    extra = Criterion("extra", dimension, points, "extra",
                      Leaf("hs_object_id", "exists"),
                      Decay(7.0, "last_pricing_page_visit") if decays else None)
    criteria = EXAMPLE.criteria[:position] + (extra,) + EXAMPLE.criteria[position:]
    richer = replace(EXAMPLE, criteria=criteria)
    before, after = qualify(lead, EXAMPLE, NOW), qualify(lead, richer, NOW)
    assert after.score >= before.score
    assert after.fit_score >= before.fit_score
    assert after.engagement_score >= before.engagement_score
    assert all(after.dimensions[d] >= before.dimensions[d] for d in before.dimensions)
    assert after.qualified >= before.qualified or not all(g.passed for g in after.gates)


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 2000, allow_nan=False), st.floats(0, 2000, allow_nan=False),
       st.floats(0.5, 365, allow_nan=False))
def test_decay_never_increases_with_age(a: float, b: float, half_life: float) -> None:
    young, old = sorted((a, b))
    assert 0.0 <= decay_factor(old, half_life) <= decay_factor(young, half_life) <= 1.0


@settings(max_examples=100, deadline=None)
@given(contacts, st.integers(0, 400), st.integers(0, 400))
def test_a_later_behaviour_never_scores_less(contact: Contact, a: int, b: int) -> None:
    young, old = sorted((a, b))
    stamps = ("last_pricing_page_visit", "recent_conversion_date",
              "hs_analytics_last_visit_timestamp", "hs_email_last_click_date")

    def at(age: int) -> float:
        props = {**contact.properties, **{s: days_ago(age) for s in stamps}}
        return qualify(Contact(contact.id, props), EXAMPLE, NOW).score

    assert at(young) >= at(old)


EDITS = ("keep", "comment", "blank", "indent", "spaces")


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False),
       st.lists(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=20),
                min_size=1, max_size=5))
def test_hash_ignores_comments_and_whitespace(rng: random.Random, comments: list[str]) -> None:
    out: list[str] = []
    for line in EXAMPLE_TEXT.splitlines():
        edit, text = rng.choice(EDITS), rng.choice(comments)
        if edit == "comment":
            line = f"{line}  # {text}" if line.strip() else f"# {text}"
        elif edit == "blank":
            out.append(f"   # {text}")
            out.append("")
        elif edit == "indent" and line.strip():
            line = "    " + line
        elif edit == "spaces" and " = " in line and not line.lstrip().startswith("#"):
            line = line.replace(" = ", "   =  ", 1)
        out.append(line)
    assert parse_definition("\n".join(out)).hash == EXAMPLE.hash


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(EXAMPLE.criteria) - 1), st.floats(-30, 30, allow_nan=False),
       st.floats(1, 90, allow_nan=False))
def test_hash_changes_when_the_rules_change(index: int, points: float, half_life: float) -> None:
    target = EXAMPLE.criteria[index]
    changed: list[Definition] = []
    if points != target.points:
        changed.append(_with(index, replace(target, points=points)))
    if target.decay is not None and half_life != target.decay.half_life_days:
        changed.append(_with(index, replace(target, decay=Decay(half_life,
                                                                target.decay.timestamp))))
    changed.append(_with(index, replace(target, condition=Leaf("hs_object_id", "missing"))))
    for definition in changed:
        assert definition.hash != EXAMPLE.hash


def _with(index: int, criterion: Criterion) -> Definition:
    criteria = EXAMPLE.criteria[:index] + (criterion,) + EXAMPLE.criteria[index + 1:]
    return replace(EXAMPLE, criteria=criteria)

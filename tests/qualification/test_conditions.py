"""Every operator, normaliser and combinator against hand-written expectations."""

from __future__ import annotations

from typing import Any

import pytest

from connector.qualification.conditions import compile_condition
from connector.qualification.definition import Combinator, Leaf
from connector.qualification.facts import Facts, parse_number, parse_timestamp
from connector.qualification.normalize import country, domain, email_domain
from connector.qualification.reasons import describe_values, shown_properties

from .builders import NOW, days_ago

NOW_TS = NOW.timestamp()


def holds(leaf: Leaf | Combinator, **props: str | None) -> bool:
    return compile_condition(leaf)(Facts(props, NOW_TS))


def leaf(op: str, prop: str = "p", **operands: Any) -> Leaf:
    return Leaf(property=prop, op=op, **operands)


CASES: list[tuple[str, Leaf, str | None, bool]] = [
    # equals: strings compare trimmed and case-insensitively by default
    ("equals", leaf("equals", value="this_quarter"), "this_quarter", True),
    ("equals", leaf("equals", value="this_quarter"), " THIS_quarter ", True),
    ("equals", leaf("equals", value="this_quarter"), "next_quarter", False),
    ("equals", leaf("equals", value="Demo", ignore_case=False), "demo", False),
    ("equals", leaf("equals", value=True), "true", True),
    ("equals", leaf("equals", value=True), "false", False),
    ("equals", leaf("equals", value=3.0), "3", True),
    ("equals", leaf("equals", value=3.0), "3.0", True),
    ("equals", leaf("equals", value=3.0), "three", False),
    # in / not_in
    ("in", leaf("in", values=("vp", "executive")), "VP", True),
    ("in", leaf("in", values=("vp", "executive")), "director", False),
    ("not_in", leaf("not_in", values=("gmail.com",)), "acme.io", True),
    ("not_in", leaf("not_in", values=("gmail.com",)), "GMAIL.com", False),
    # matches: a search, case-insensitive unless told otherwise
    ("matches", leaf("matches", pattern=r"\b(vp|head of)\b"), "Head of Sales Ops", True),
    ("matches", leaf("matches", pattern=r"\bvp\b"), "MVP engineer", False),
    ("matches", leaf("matches", pattern=r"^VP", ignore_case=False), "vp sales", False),
    ("matches", leaf("matches", pattern="^.{10,}$"), "too short", False),
    # contains
    ("contains", leaf("contains", value="spreadsheet"), "We live in SpreadSheets", True),
    ("contains", leaf("contains", value="spreadsheet"), "we use a CRM", False),
    # exists / missing: blank counts as missing
    ("exists", leaf("exists"), "x", True),
    ("exists", leaf("exists"), "   ", False),
    ("missing", leaf("missing"), "   ", True),
    ("missing", leaf("missing"), "x", False),
    # gte / lte / between on numbers held as strings
    ("gte", leaf("gte", value=3.0), "3", True),
    ("gte", leaf("gte", value=3.0), "2.99", False),
    ("gte", leaf("gte", value=1000.0), "1,200", True),
    ("gte", leaf("gte", value=3.0), "many", False),
    ("lte", leaf("lte", value=3.0), "3", True),
    ("lte", leaf("lte", value=3.0), "4", False),
    ("between", leaf("between", low=10.0, high=20.0), "10", True),
    ("between", leaf("between", low=10.0, high=20.0), "20", True),
    ("between", leaf("between", low=10.0, high=20.0), "20.5", False),
    # within_days / older_than_days against NOW
    ("within_days", leaf("within_days", days=7.0), days_ago(6.9), True),
    ("within_days", leaf("within_days", days=7.0), days_ago(7), True),
    ("within_days", leaf("within_days", days=7.0), days_ago(7.1), False),
    ("within_days", leaf("within_days", days=7.0), days_ago(-3), True),  # future: age 0
    ("within_days", leaf("within_days", days=7.0), "not a date", False),
    ("older_than_days", leaf("older_than_days", days=30.0), days_ago(31), True),
    ("older_than_days", leaf("older_than_days", days=30.0), days_ago(30), False),
]


@pytest.mark.parametrize(("op", "condition", "value", "expected"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_operator(op: str, condition: Leaf, value: str | None, expected: bool) -> None:
    assert holds(condition, p=value) is expected


@pytest.mark.parametrize("op", ["equals", "in", "not_in", "matches", "contains", "gte", "lte",
                                "between", "within_days", "older_than_days"])
@pytest.mark.parametrize("value", [None, "", "  "])
def test_every_comparison_is_false_on_a_missing_value(op: str, value: str | None) -> None:
    by_op: dict[str, dict[str, Any]] = {
        "equals": {"value": "x"}, "in": {"values": ("x",)}, "not_in": {"values": ("x",)},
        "matches": {"pattern": ".*"}, "contains": {"value": ""}, "gte": {"value": 0.0},
        "lte": {"value": 0.0}, "between": {"low": 0.0, "high": 1.0},
        "within_days": {"days": 1.0}, "older_than_days": {"days": 0.0},
    }
    operands = by_op[op]
    assert holds(leaf(op, **operands), p=value) is False
    assert holds(leaf(op, **operands)) is False  # property absent altogether


def test_all_any_none_nest() -> None:
    vp = leaf("equals", "seniority", value="vp")
    demo = leaf("equals", "event", value="Demo request")
    student = leaf("matches", "title", pattern="intern")
    rule = Combinator("all", (Combinator("any", (vp, demo)), Combinator("none", (student,))))
    assert holds(rule, seniority="vp", title="VP Sales")
    assert holds(rule, event="demo request", title="Analyst")
    assert not holds(rule, seniority="vp", title="Sales intern")
    assert not holds(rule, seniority="manager", title="Manager")
    assert holds(Combinator("none", (vp, demo)))  # nothing known: none of them holds
    assert not holds(Combinator("any", (vp, demo)))


def test_country_normaliser_maps_spellings_to_one_code() -> None:
    for spelling in ("USA", "U.S.A.", "United States", "united  states of america", "US", "u.s."):
        assert country(spelling) == "US", spelling
    for spelling in ("UK", "U.K.", "United Kingdom", "England", "GB", "Great Britain"):
        assert country(spelling) == "GB", spelling
    assert country("Deutschland") == "DE"
    assert country("Atlantis") == "atlantis"  # unknown names are only cleaned
    territory = Leaf("country", "in", values=("United States", "UK"), normalize="country")
    assert holds(territory, country="U.S.")
    assert holds(territory, country="england")
    assert not holds(territory, country="Brasil")


def test_domain_normalisers() -> None:
    assert email_domain("Jo.Doe@Mail.ACME.io ") == "mail.acme.io"
    assert email_domain("acme.io") == "acme.io"  # hs_email_domain holds only the domain
    assert domain("https://www.Acme.io/about") == "acme.io"
    free = Leaf("email", "not_in", values=("gmail.com",), normalize="email_domain")
    assert holds(free, email="jo@acme.io")
    assert not holds(free, email="Jo@GMAIL.COM")
    assert not holds(free)  # no email: not a business email either


def test_timestamps_and_numbers_parse_as_hubspot_sends_them() -> None:
    iso = parse_timestamp("2026-11-02T09:14:07.123Z")
    assert iso == pytest.approx(1793610847.123)
    assert parse_timestamp("1793610847123") == pytest.approx(1793610847.123)  # epoch millis
    assert parse_timestamp("2026-11-02") == parse_timestamp("2026-11-02T00:00:00Z")
    assert parse_timestamp("2026-11-02T10:14:07.123+01:00") == pytest.approx(iso)
    assert parse_timestamp("yesterday") is None
    assert parse_number("12") == 12.0 and parse_number("1,234.5") == 1234.5
    assert parse_number("nan") is None and parse_number("n/a") is None


def test_facts_parse_each_date_once_per_contact() -> None:
    facts = Facts({"d": days_ago(2), "n": " 5 "}, NOW_TS)
    assert facts.age_days("d") == pytest.approx(2.0)
    assert facts.number("n") == 5.0
    facts.props = {"d": days_ago(9)}  # the cache answers, not the props
    assert facts.age_days("d") == pytest.approx(2.0)
    assert facts.age_days("absent") is None and facts.number("absent") is None


def test_describe_values_quotes_what_a_condition_read() -> None:
    gate = Combinator("all", (
        Leaf("email", "not_in", values=("gmail.com",), normalize="email_domain"),
        Leaf("country", "in", values=("US",), normalize="country"),
        Leaf("lifecyclestage", "exists"),
    ))
    text = describe_values(shown_properties(gate), {"email": "jo@gmail.com",
                                                    "country": "Brasil"})
    assert text == "email domain='gmail.com', country='Brasil' (BR), lifecyclestage missing"
    assert "jo@" not in text  # an address is quoted by its domain only

"""Loading: the example definition, derived properties, the content hash, every problem at once."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from connector.errors import ConfigError
from connector.qualification import load_definition, parse_definition
from connector.settings import DEFAULT_PULLED_PROPERTIES
from connector.toml_lines import key_lines, line_of

from .builders import criterion, definition

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "mappings" / "qualification.toml"


def test_example_loads_against_the_properties_the_pull_requests() -> None:
    example = load_definition(EXAMPLE, pulled_properties=set(DEFAULT_PULLED_PROPERTIES))
    config = tomllib.loads((ROOT / "config.example.toml").read_text())
    load_definition(EXAMPLE, pulled_properties=set(config["hubspot"]["properties"]))
    assert example.warnings == ()
    assert example.grade_names == ("cold", "warm", "hot")  # Handoff_Grade__c's picklist
    assert {d.kind for d in example.dimensions} == {"fit", "engagement"}
    assert {"last_pricing_page_visit", "recent_conversion_date", "email", "country",
            "hs_email_optout", "lifecyclestage"} <= example.properties
    assert example.properties <= set(DEFAULT_PULLED_PROPERTIES)
    assert example.handoff.grades == ("hot",)
    assert set(example.handoff.require_any) == {"authority", "urgency"}
    assert len(example.hash) == 16 and example.source == str(EXAMPLE)


def test_properties_cover_conditions_gates_and_decay_stamps() -> None:
    rules = definition(
        criterion("pricing", "engagement", 5, '{ any = [{ property = "pricing_page_views", '
                  'op = "gte", value = 1 }, { property = "demo_requested", op = "exists" }] }',
                  decay='{ half_life_days = 7, timestamp = "last_pricing_page_visit" }'),
        gates='[gates.optin]\ncondition = { none = [{ property = "hs_email_optout", '
              'op = "equals", value = true }] }\n')
    assert rules.properties == {"pricing_page_views", "demo_requested",
                                "last_pricing_page_visit", "hs_email_optout"}


def test_hash_ignores_comments_whitespace_key_order_and_the_label() -> None:
    text = EXAMPLE.read_text()
    base = parse_definition(text)
    stripped = "\n".join(line.split(" #")[0].rstrip() for line in text.splitlines()
                         if not line.lstrip().startswith("#"))
    assert parse_definition(stripped).hash == base.hash
    reordered = text.replace('dimension = "fit"\npoints = 12\n', 'points = 12\ndimension = "fit"\n')
    assert reordered != text and parse_definition(reordered).hash == base.hash
    relabelled = text.replace('version = "2026.11', 'version = "2026.12')
    assert parse_definition(relabelled).hash == base.hash
    swapped = text.replace('values = ["customer", "evangelist"]',
                           'values = ["evangelist", "customer"]')
    assert swapped != text and parse_definition(swapped).hash == base.hash
    for old, new in (('points = 12\n', 'points = 13\n'), ('= 65\n', '= 66\n'),
                     ('half_life_days = 14', 'half_life_days = 15'),
                     ('require_any = ["authority", "urgency"]', 'require_any = ["authority"]')):
        assert parse_definition(text.replace(old, new)).hash != base.hash, old


def test_every_problem_is_reported_at_once_with_file_line_and_key() -> None:
    text = """version = "broken"

[dimensions.fit]
kind = "fit"
cap = -1

[criteria.a]
dimension = "fitt"
points = 5
condition = { property = "x", op = "greater", value = 3 }

[criteria.b]
dimension = "fit"
points = 5
decay = { half_life_days = 0, timestamp = "y" }

[criteria.b.condition]
all = [
    { property = "z", op = "exists" },
    { property = "w", op = "matches", pattern = "[" },
]

[[grades]]
name = "cold"
max = 10

[[grades]]
name = "hot"
min = 12

[handoff]
grades = ["warm"]
"""
    with pytest.raises(ConfigError) as caught:
        parse_definition(text, file="rules.toml")
    found = {(p.key, p.line) for p in caught.value.problems}
    assert found == {
        ("dimensions.fit.cap", 5),
        ("criteria.a.dimension", 8),
        ("criteria.a.condition.op", 10),
        ("criteria.b.decay.half_life_days", 15),
        ("criteria.b.condition.all[1].pattern", 20),
        ("grades[1].min", 29),
        ("handoff.grades[0]", 32),
    }
    assert all(p.file == "rules.toml" for p in caught.value.problems)
    rendered = str(caught.value)
    assert "rules.toml:10: [criteria.a.condition.op] error: unknown operator 'greater'" in rendered


def test_pull_check_only_when_the_pull_is_known() -> None:
    text = ('version = "v"\n[dimensions.fit]\nkind = "fit"\n'
            + criterion("c", "fit", 5, '{ property = "shoe_size", op = "exists" }')
            + '[[grades]]\nname = "all"\n[handoff]\nmin_score = 1\n')
    assert parse_definition(text).properties == {"shoe_size"}
    with pytest.raises(ConfigError, match="criterion c reads property 'shoe_size' which the pull "
                       "does not request"):
        parse_definition(text, pulled_properties={"email"})


def test_warnings_do_not_stop_loading() -> None:
    rules = definition(criterion("nothing", "fit", 0, '{ property = "email", op = "exists" }')
                       + criterion("some", "fit", 5, '{ property = "email", op = "exists" }'),
                       handoff="[handoff]\nmin_score = 500\n")
    assert [(w.key, w.severity) for w in rules.warnings] == [
        ("criteria.nothing.points", "warning"), ("handoff.min_score", "warning")]


def test_labels_default_to_the_id_and_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    rules = definition(criterion("pricing_page", "fit", 5, '{ property = "email", op = "exists" }'))
    assert rules.criteria[0].label == "pricing page"
    with pytest.raises(ConfigError, match="cannot read the definition"):
        load_definition(tmp_path / "absent.toml")


def test_key_lines_follow_tables_arrays_and_inline_tables() -> None:
    text = """version = "x"  # a comment with = and [brackets]
[criteria.a]
points = 3
condition = { property = "p", op = "in", values = ["a", "b"] }
[criteria.b.condition]
any = [
  { property = "x", op = "exists" },  # ] }
  { property = "y", op = "matches", pattern = '(a|b)' },
]
[[grades]]
name = "cold"
[[grades]]
name = '''warm'''
"""
    tomllib.loads(text)
    lines = key_lines(text)
    assert lines["criteria.a.condition.op"] == 4
    assert lines["criteria.b.condition.any[1].pattern"] == 8
    assert lines["grades[1].name"] == 13
    assert line_of(lines, "criteria.b.condition.any[1].op") == 8
    assert line_of(lines, "criteria.a.condition.values[5]") == 4  # nearest written ancestor
    assert line_of(lines, "criteria") == 2  # only written through its children
    assert line_of(lines, "handoff") is None

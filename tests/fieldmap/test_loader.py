"""Loading: the example files, the model they become, line numbers, all problems at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from connector.errors import ConfigError
from connector.fieldmap import load_mapping, parse_mapping, validate_offline
from connector.fieldmap.defaults import DEFAULT_PULLED_PROPERTIES
from connector.toml_lines import key_lines, line_of
from tests.fieldmap.conftest import FEEDBACK_TOML, LEAD_TOML


def test_lead_example_model() -> None:
    m = load_mapping(LEAD_TOML, direction="lead", pulled_properties=DEFAULT_PULLED_PROPERTIES)
    assert m.target_object == "Lead" and m.direction == "lead" and m.phone_region == "US"
    assert {
        "Email",
        "LastName",
        "Company",
        "Handoff_Score__c",
        "Handoff_Grade__c",
        "Qualification_Version__c",
        "Handoff_Reasons__c",
        "Handoff_At__c",
    } <= m.targets
    assert {
        "decision.score",
        "decision.grade",
        "decision.version",
        "decision.summary",
        "decision.decided_at",
    } <= m.sources
    assert m.hubspot_sources <= DEFAULT_PULLED_PROPERTIES
    assert m.rule("company").default == "[not provided]"
    assert m.rule("lead_source").sync == "create_only"
    assert m.rule("phone").transforms[0].option("keep_invalid") is True


def test_feedback_example_model() -> None:
    m = load_mapping(FEEDBACK_TOML, direction="feedback")
    assert m.target_object == "contact"
    assert m.source_objects == {"Lead", "Opportunity"}
    assert {
        "Status",
        "IsConverted",
        "ConvertedDate",
        "Disqualification_Reason__c",
        "Id",
        "First_Touch_At__c",
    } <= m.source_fields("Lead")
    assert m.source_fields("Opportunity") == {"StageName", "Amount", "IsWon"}
    lifecycle = [r for r in m.rules if r.target == "lifecyclestage"]
    assert len(lifecycle) == 3 and all(r.forward_only for r in lifecycle)
    assert m.rule("first_touch").when is not None


def test_locations_follow_the_file() -> None:
    text = LEAD_TOML.read_text()
    lines = text.splitlines()
    m = load_mapping(LEAD_TOML, direction="lead")
    line = m.line_of("fields.company.target")
    assert line is not None and lines[line - 1] == 'target = "Company"'
    value_line = m.line_of("fields.industry.value_map.RETAIL")
    assert value_line is not None and lines[value_line - 1] == 'RETAIL = "Retail"'
    inline = m.line_of("fields.purchase_timeline.value_map.this_quarter")
    assert inline is not None and lines[inline - 1].startswith("value_map = { this_quarter")


def test_locate_handles_quoted_keys_and_multiline_arrays() -> None:
    text = (
        '[fields."lead status"]\nsource = [\n  "a",\n  "b = c",\n]\ntarget = "x"\n'
        '[fields.y.value_map]\n"Open - Not Contacted" = "NEW"\n'
    )
    located = key_lines(text)
    assert located["fields.lead status.source"] == 2
    assert located["fields.lead status.target"] == 6
    assert located["fields.y.value_map.Open - Not Contacted"] == 8
    assert line_of(located, "fields") == 1


def test_every_error_is_raised_at_once(tmp_path: Path) -> None:
    path = tmp_path / "lead.toml"
    path.write_text(
        '[mapping]\ndirection = "lead"\ntarget_object = "Lead"\n'
        '[fields.a]\nsource = "email"\ntarget = "Email"\nsync = "sometimes"\n'
        '[fields.b]\nsource = "nope"\ntarget = "Email"\ntransforms = ["zap"]\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_mapping(path, direction="lead", pulled_properties={"email"})
    keys = {(p.key, p.line) for p in caught.value.problems}
    assert keys == {
        ("fields.a.sync", 7),
        ("fields.b.source", 9),
        ("fields.b.target", 10),  # Email is also written by fields.a
        ("fields.b.transforms", 11),
    }
    assert all(p.file == str(path) for p in caught.value.problems)


def test_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[mapping]\ndirection = "lead"\ntarget = \n')
    [problem] = validate_offline(path, direction="lead")
    assert problem.line == 3 and "TOML syntax" in problem.message


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    [problem] = validate_offline(tmp_path / "nope.toml", direction="lead")
    assert "cannot read" in problem.message


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        (
            '[fields.a]\nsource = "email"\ntarget = "Email"\nunmapped = "skip"\n',
            "fields.a.unmapped",
        ),
        (
            '[fields.a]\nsource = "email"\ntarget = "Email"\ntransforms = ["join"]\n',
            "fields.a.transforms",
        ),
        (
            '[fields.a]\nsource = "email"\ntarget = "Email"\nrequired = true\nsync = "never"\n',
            "fields.a.required",
        ),
    ],
)
def test_questionable_but_valid_rules_are_warnings(fields: str, key: str) -> None:
    mapping, problems = parse_mapping(
        '[mapping]\ndirection = "lead"\ntarget_object = "Lead"\n' + fields,
        path="x.toml",
        direction="lead",
    )
    assert mapping is not None
    assert [(p.key, p.severity) for p in problems] == [(key, "warning")]


def test_pulled_properties_are_only_checked_when_given() -> None:
    text = (
        '[mapping]\ndirection = "lead"\ntarget_object = "Lead"\n[fields.a]\n'
        'source = "secret_prop"\ntarget = "Title"\n'
    )
    assert parse_mapping(text, path="x", direction="lead")[1] == []
    problems = parse_mapping(text, path="x", direction="lead", pulled_properties={"email"})[1]
    assert problems[0].key == "fields.a.source"


def test_decision_fields_need_not_be_pulled() -> None:
    text = (
        '[mapping]\ndirection = "lead"\ntarget_object = "Lead"\n[fields.a]\n'
        'source = "decision.summary"\ntarget = "Handoff_Reasons__c"\n'
    )
    assert parse_mapping(text, path="x", direction="lead", pulled_properties=set())[1] == []


def test_a_broken_rule_is_left_out_but_the_rest_of_the_mapping_loads() -> None:
    text = (
        '[mapping]\ndirection = "lead"\ntarget_object = "Lead"\n[fields.a]\n'
        'source = "email"\ntarget = "Email"\n[fields.b]\nsource = "x"\ntarget = "Title"\n'
        'sync = "bad"\n'
    )
    mapping, problems = parse_mapping(text, path="x", direction="lead")
    assert mapping is not None and [r.name for r in mapping.rules] == ["a"]
    assert [p.key for p in problems] == ["fields.b.sync"]


def test_mappings_are_hashable_values() -> None:
    first = load_mapping(LEAD_TOML, direction="lead")
    again = load_mapping(LEAD_TOML, direction="lead")
    assert first == again and hash(first) == hash(again)
    assert first.with_target_lengths({"Title": 128}) != first

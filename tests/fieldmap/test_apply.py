"""``apply``: sync rules, required, defaults, constants, value maps and their policies,
conditions, multi-source joins, transform failures, and the example mappings end to end."""

from __future__ import annotations

import pytest

from connector.fieldmap import Mapping, apply, bind_schema, load_mapping
from connector.fieldmap.defaults import DEFAULT_PULLED_PROPERTIES
from tests.fieldmap.conftest import FEEDBACK_TOML, LEAD_TOML, describes, mapping_from

HEAD = '[mapping]\ndirection = "lead"\ntarget_object = "Lead"\n'


def lead(fields: str) -> Mapping:
    return mapping_from(HEAD + fields, "lead")


def test_always_writes_on_create_and_update() -> None:
    m = lead('[fields.t]\nsource = "jobtitle"\ntarget = "Title"\nsync = "always"\n')
    assert apply(m, {"jobtitle": "CTO"}, None, is_create=True).payload == {"Title": "CTO"}
    current = {"Title": "Chief"}
    assert apply(m, {"jobtitle": "CTO"}, current, is_create=False).payload == {"Title": "CTO"}


def test_if_blank_fills_only_an_empty_target() -> None:
    m = lead('[fields.t]\nsource = "phone"\ntarget = "Phone"\nsync = "if_blank"\n')
    src = {"phone": "+1 415 555 2671"}
    assert apply(m, src, None, is_create=True).payload == {"Phone": "+1 415 555 2671"}
    assert apply(m, src, {"Phone": None}, is_create=False).payload == {"Phone": "+1 415 555 2671"}
    assert apply(m, src, {"Phone": "  "}, is_create=False).payload == {"Phone": "+1 415 555 2671"}
    assert apply(m, src, {"Phone": "+33 1 23"}, is_create=False).payload == {}


def test_if_blank_without_current_values_on_update_sends_nothing_and_warns() -> None:
    m = lead('[fields.t]\nsource = "phone"\ntarget = "Phone"\nsync = "if_blank"\n')
    result = apply(m, {"phone": "123"}, None, is_create=False)
    assert result.payload == {}
    assert "if_blank needs the current values" in result.warnings[0]


def test_create_only_writes_on_create_only() -> None:
    m = lead('[fields.s]\ntarget = "LeadSource"\nconstant = "Web"\nsync = "create_only"\n')
    assert apply(m, {}, None, is_create=True).payload == {"LeadSource": "Web"}
    assert apply(m, {}, {"LeadSource": None}, is_create=False).payload == {}


def test_never_writes_nothing() -> None:
    m = lead('[fields.t]\nsource = "jobtitle"\ntarget = "Title"\nsync = "never"\nrequired = true\n')
    result = apply(m, {"jobtitle": "CTO"}, None, is_create=True)
    assert result.payload == {} and result.ok


def test_blank_values_are_never_sent() -> None:
    m = lead('[fields.t]\nsource = "jobtitle"\ntarget = "Title"\ntransforms = ["trim"]\n')
    for blank in (None, "", "   "):
        assert apply(m, {"jobtitle": blank}, {"Title": "CTO"}, is_create=False).payload == {}


def test_default_fills_a_blank_value() -> None:
    m = lead('[fields.c]\nsource = "company"\ntarget = "Company"\ndefault = "[not provided]"\n')
    assert apply(m, {"company": " "}, None, is_create=True).payload == {"Company": "[not provided]"}
    assert apply(m, {"company": "Acme"}, None, is_create=True).payload == {"Company": "Acme"}


def test_required_missing_on_create_is_a_record_error() -> None:
    m = lead('[fields.l]\nsource = "lastname"\ntarget = "LastName"\nrequired = true\n')
    result = apply(m, {"lastname": None}, None, is_create=True)
    assert not result.ok
    assert result.errors[0].field == "LastName"
    assert result.errors[0].code == "REQUIRED_FIELD_MISSING"
    assert apply(m, {"lastname": None}, {}, is_create=False).ok  # updates keep Salesforce's


def test_constant_is_sent_whatever_the_source() -> None:
    m = lead('[fields.s]\ntarget = "LeadSource"\nconstant = "Web"\n')
    assert apply(m, {}, None, is_create=True).payload == {"LeadSource": "Web"}


VALUE_MAP = (
    '[fields.p]\nsource = "purchase_timeline"\ntarget = "Purchase_Timeline__c"\n'
    'value_map = { this_quarter = "This Quarter", next_quarter = "Next Quarter" }\n'
)


def test_value_map_maps_known_values() -> None:
    m = lead(VALUE_MAP)
    assert apply(m, {"purchase_timeline": "this_quarter"}, None, is_create=True).payload == {
        "Purchase_Timeline__c": "This Quarter"
    }


def test_unmapped_error_dead_letters_the_record() -> None:
    m = lead(VALUE_MAP + 'unmapped = "error"\n')
    result = apply(m, {"purchase_timeline": "someday"}, None, is_create=True)
    assert result.errors[0].code == "UNMAPPED_VALUE"
    assert "someday" in result.errors[0].message


def test_unmapped_default_uses_the_default() -> None:
    m = lead(VALUE_MAP + 'unmapped = "default"\ndefault = "No Timeline"\n')
    result = apply(m, {"purchase_timeline": "someday"}, None, is_create=True)
    assert result.payload == {"Purchase_Timeline__c": "No Timeline"} and result.ok


def test_unmapped_skip_leaves_the_field_out_with_a_note() -> None:
    m = lead(VALUE_MAP + 'unmapped = "skip"\n')
    result = apply(m, {"purchase_timeline": "someday"}, None, is_create=True)
    assert result.payload == {} and result.ok
    assert "someday" in result.notes[0]


def test_value_map_outputs_keep_their_toml_types() -> None:
    m = lead(
        '[fields.n]\nsource = "numemployees"\ntarget = "NumberOfEmployees"\n'
        'value_map = { "1-5" = 5, "1000+" = 1001 }\n'
    )
    assert apply(m, {"numemployees": "1000+"}, None, is_create=True).payload == {
        "NumberOfEmployees": 1001
    }


def test_several_sources_joined() -> None:
    m = lead(
        '[fields.n]\nsource = ["firstname", "lastname"]\ntarget = "Description"\n'
        'transforms = [{ name = "join", separator = " " }]\n'
    )
    src = {"firstname": "Jane", "lastname": "Doe"}
    assert apply(m, src, None, is_create=True).payload == {"Description": "Jane Doe"}
    assert apply(m, {"lastname": "Doe"}, None, is_create=True).payload == {"Description": "Doe"}


def test_split_then_value_map_then_joined_as_multi_select() -> None:
    m = lead(
        '[fields.r]\nsource = "hs_role"\ntarget = "Description"\ntransforms = ["split"]\n'
        'value_map = { it = "IT", sales = "Sales" }\nunmapped = "skip"\n'
    )
    result = apply(m, {"hs_role": "it;sales;other"}, None, is_create=True)
    assert result.payload == {"Description": "IT;Sales"}


def test_a_failing_transform_skips_the_field_with_a_warning() -> None:
    m = lead('[fields.p]\nsource = "phone"\ntarget = "Phone"\ntransforms = ["phone"]\n')
    result = apply(m, {"phone": "call me"}, None, is_create=True)
    assert result.payload == {} and result.ok
    assert result.warnings[0].startswith("Phone: phone:")


def test_keep_invalid_sends_the_value_unchanged() -> None:
    m = lead(
        '[fields.p]\nsource = "phone"\ntarget = "Phone"\n'
        'transforms = [{ name = "phone", keep_invalid = true }]\n'
    )
    result = apply(m, {"phone": "call me"}, None, is_create=True)
    assert result.payload == {"Phone": "call me"}
    assert "kept the value" in result.warnings[0]


def test_a_failing_transform_on_a_required_field_is_a_record_error() -> None:
    m = lead(
        '[fields.e]\nsource = "email"\ntarget = "Email"\ntransforms = ["email"]\nrequired = true\n'
    )
    result = apply(m, {"email": "not-an-email"}, None, is_create=True)
    assert result.errors[0].code == "TRANSFORM_FAILED"


def test_a_failing_transform_falls_back_to_the_default() -> None:
    m = lead(
        '[fields.c]\nsource = "country"\ntarget = "Country"\n'
        'transforms = ["country_code"]\ndefault = "Unknown"\n'
    )
    result = apply(m, {"country": "Atlantis"}, None, is_create=True)
    assert result.payload == {"Country": "Unknown"}
    assert "default used" in result.warnings[0]


def test_truncate_uses_the_bound_target_length() -> None:
    m = lead('[fields.t]\nsource = "jobtitle"\ntarget = "Title"\ntransforms = ["truncate"]\n')
    bound = bind_schema(m, salesforce_describes=describes())
    result = apply(bound, {"jobtitle": "x" * 200}, None, is_create=True)
    assert result.payload == {"Title": "x" * 128}
    assert result.warnings == ("Title: truncated from 200 to 128 characters",)


def test_values_outside_a_checked_picklist_are_record_errors() -> None:
    """Unrestricted in Salesforce, checked by the connector: a value outside the options
    dead-letters the record (nothing of it is sent); blank values are still just not sent."""
    m = lead(
        '[fields.s]\nsource = "hs_lead_status"\ntarget = "Status"\n'
        '[fields.t]\nsource = "jobtitle"\ntarget = "Title"\n'
    ).with_target_options({"Status": frozenset({"Open - Not Contacted", "Working - Contacted"})})
    good = apply(m, {"hs_lead_status": "Working - Contacted", "jobtitle": "CTO"}, None,
                 is_create=True)
    assert good.ok and good.payload == {"Status": "Working - Contacted", "Title": "CTO"}
    bad = apply(m, {"hs_lead_status": "Qualified", "jobtitle": "CTO"}, None, is_create=True)
    assert not bad.ok and "Status" not in bad.payload
    assert [(e.field, e.code) for e in bad.errors] == [("Status", "INVALID_PICKLIST_VALUE")]
    assert "'Qualified' is not a value of the Status picklist" in bad.errors[0].message
    blank = apply(m, {"hs_lead_status": "", "jobtitle": "CTO"}, None, is_create=True)
    assert blank.ok and blank.payload == {"Title": "CTO"}


FEEDBACK_HEAD = '[mapping]\ndirection = "feedback"\n'


def test_when_condition_gates_a_rule() -> None:
    m = mapping_from(
        FEEDBACK_HEAD + '[fields.a]\nsource = "Opportunity.Amount"\n'
        'target = "sales_amount_won"\n'
        'when = { source = "Opportunity.IsWon", equals = true }\n',
        "feedback",
    )
    won = apply(m, {"Opportunity.Amount": 1200.5, "Opportunity.IsWon": True}, {}, is_create=False)
    lost = apply(m, {"Opportunity.Amount": 1200.5, "Opportunity.IsWon": False}, {}, is_create=False)
    assert won.payload == {"sales_amount_won": "1200.5"}
    assert lost.payload == {}


def test_feedback_values_are_sent_as_hubspot_strings() -> None:
    m = mapping_from(
        FEEDBACK_HEAD + '[fields.c]\nsource = "Lead.IsConverted"\n'
        'target = "sales_converted"\n[fields.a]\nsource = "Opportunity.Amount"\n'
        'target = "sales_amount_won"\n',
        "feedback",
    )
    result = apply(
        m, {"Lead.IsConverted": False, "Opportunity.Amount": 25000.0}, {}, is_create=False
    )
    assert result.payload == {"sales_converted": "false", "sales_amount_won": "25000"}


# -- the example mappings end to end ---------------------------------------------------------


def test_example_lead_mapping_builds_a_lead_with_its_handoff_receipt() -> None:
    m = load_mapping(LEAD_TOML, direction="lead", pulled_properties=DEFAULT_PULLED_PROPERTIES)
    m = bind_schema(m, salesforce_describes=describes())
    source = {
        "email": " Jane.Doe@Acme.IO ",
        "firstname": "jane",
        "lastname": "Doe",
        "company": "Acme",
        "jobtitle": "VP Sales",
        "phone": "(415) 555-2671",
        "country": "U.K.",
        "industry": "COMPUTER_SOFTWARE",
        "numemployees": "100-500",
        "annualrevenue": "1,200,000",
        "purchase_timeline": "this_quarter",
        "budget_range": "50k_100k",
        "pain_point": " Our reps lose leads ",
        "decision.qualified": "true",
        "decision.grade": "hot",
        "decision.score": "72.5",
        "decision.version": "2026.11",
        "decision.summary": "demo request; pricing page x3",
        "decision.decided_at": "2026-11-02T09:14:07.123Z",
        "decision.hash": "abc",
    }
    result = apply(m, source, None, is_create=True)
    assert result.ok and result.warnings == ()
    assert result.payload == {
        "Email": "jane.doe@acme.io",
        "FirstName": "jane",
        "LastName": "Doe",
        "Company": "Acme",
        "Title": "VP Sales",
        "Phone": "+14155552671",
        "Country": "United Kingdom",
        "Industry": "Technology",
        "NumberOfEmployees": 500,
        "AnnualRevenue": 1200000,
        "LeadSource": "Web",
        "Purchase_Timeline__c": "This Quarter",
        "Budget_Range__c": "50k-100k",
        "Description": "Our reps lose leads",
        "Handoff_Score__c": 72.5,
        "Handoff_Grade__c": "hot",
        "Rating": "Hot",
        "Qualification_Version__c": "2026.11",
        "Handoff_Reasons__c": "demo request; pricing page x3",
        "Handoff_At__c": "2026-11-02T09:14:07.123+0000",
    }


def test_example_lead_mapping_dead_letters_an_unknown_grade() -> None:
    m = load_mapping(LEAD_TOML, direction="lead")
    source = {
        "email": "a@b.io",
        "decision.grade": "lukewarm",
        "decision.score": "50",
        "decision.version": "v",
        "decision.decided_at": "2026-11-02T09:14:07.123Z",
    }
    result = apply(m, source, None, is_create=True)
    assert [e.code for e in result.errors] == ["UNMAPPED_VALUE"]
    assert result.errors[0].field == "Handoff_Grade__c"


def test_example_lead_mapping_on_update_keeps_what_sales_owns() -> None:
    m = load_mapping(LEAD_TOML, direction="lead")
    source = {
        "email": "a@b.io",
        "phone": "+1 415 555 2671",
        "decision.grade": "warm",
        "decision.score": "50",
        "decision.version": "v",
        "decision.decided_at": "2026-11-02T09:14:07.123Z",
    }
    current = {"Phone": "+33 1 23 45 67 89", "Rating": "Cold", "LeadSource": "Phone Inquiry"}
    payload = apply(m, source, current, is_create=False).payload
    assert "Phone" not in payload and "Rating" not in payload and "LeadSource" not in payload
    assert payload["Handoff_Grade__c"] == "warm"


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (None, "customer"),
        ("lead", "customer"),
        ("opportunity", "customer"),
        ("customer", None),
        ("evangelist", None),
        ("other", "customer"),
    ],
)
def test_example_feedback_lifecycle_only_moves_forward(
    current: str | None, expected: str | None
) -> None:
    m = load_mapping(FEEDBACK_TOML, direction="feedback")
    source = {
        "Lead.Status": "Closed - Converted",
        "Lead.IsConverted": True,
        "Opportunity.IsWon": True,
        "Opportunity.Amount": 5000,
    }
    result = apply(m, source, {"lifecyclestage": current}, is_create=False)
    assert result.payload.get("lifecyclestage") == expected
    if current == "evangelist":
        assert any("backwards" in n for n in result.notes)


def test_example_feedback_rejection_with_reason() -> None:
    m = load_mapping(FEEDBACK_TOML, direction="feedback")
    source = {
        "Lead.Id": "00Q000000000001AAA",
        "Lead.Status": "Closed - Not Converted",
        "Lead.Disqualification_Reason__c": "No Budget",
        "Lead.IsConverted": False,
        "Lead.First_Touch_At__c": "2026-11-20T10:00:00.000+0000",
        "Lead.Handoff_Score__c": 71.0,
        "Lead.Handoff_Grade__c": "hot",
    }
    current = {"lifecyclestage": "marketingqualifiedlead", "sales_first_touch_at": None}
    result = apply(m, source, current, is_create=False)
    assert result.ok
    assert result.payload == {
        "sf_lead_id": "00Q000000000001AAA",
        "handoff_score": "71",
        "handoff_grade": "hot",
        "sales_lead_status": "Closed - Not Converted",
        "hs_lead_status": "UNQUALIFIED",
        "sales_disqualification_reason": "No Budget",
        "sales_first_touch_at": "2026-11-20T10:00:00.000Z",
        "sales_converted": "false",
    }


def test_example_feedback_first_touch_is_kept_once_set() -> None:
    m = load_mapping(FEEDBACK_TOML, direction="feedback")
    source = {
        "Lead.Status": "Working - Contacted",
        "Lead.First_Touch_At__c": "2026-11-21T10:00:00.000+0000",
    }
    current = {"lifecyclestage": "lead", "sales_first_touch_at": "2026-11-20T10:00:00.000Z"}
    payload = apply(m, source, current, is_create=False).payload
    assert "sales_first_touch_at" not in payload
    assert payload["lifecyclestage"] == "salesqualifiedlead"
    untouched = {
        "Lead.Status": "Open - Not Contacted",
        "Lead.First_Touch_At__c": "2026-11-21T10:00:00.000+0000",
    }
    assert (
        "sales_first_touch_at"
        not in apply(m, untouched, {"sales_first_touch_at": None}, is_create=False).payload
    )

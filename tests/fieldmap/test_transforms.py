"""Every transform, with hypothesis for the round trips and the length guarantee."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connector import datetimes
from connector.fieldmap.countries import COUNTRIES, country_code, country_name
from connector.fieldmap.model import TransformSpec
from connector.fieldmap.transforms import (
    TRANSFORMS,
    TransformContext,
    TransformFailed,
    parse_boolean,
    parse_number,
    run_transform,
    utf16_len,
)

#: no per-example deadline: the test machines are shared and loaded
relaxed = settings(deadline=None)


def run(
    name: str,
    value: object,
    *,
    target_length: int | None = None,
    default_region: str | None = None,
    **options: object,
) -> object:
    ctx = TransformContext("Field__c", target_length, default_region)
    spec = TransformSpec(name, tuple(sorted(options.items())))  # type: ignore[arg-type]
    return run_transform(spec, value, ctx)


def run_ctx(
    name: str, value: object, target_length: int | None = None, **options: object
) -> tuple[object, list[str]]:
    ctx = TransformContext("Field__c", target_length, None)
    spec = TransformSpec(name, tuple(sorted(options.items())))  # type: ignore[arg-type]
    return run_transform(spec, value, ctx), ctx.warnings


# -- text ------------------------------------------------------------------------------------


def test_trim_lower_upper_title() -> None:
    assert run("trim", "  Acme \t  Corp \n") == "Acme Corp"
    assert run("lower", "ACME Corp") == "acme corp"
    assert run("upper", "acme") == "ACME"
    assert run("title", "jane o'neil") == "Jane O'Neil"


def test_string_transforms_apply_to_each_element_of_a_list() -> None:
    assert run("trim", [" a ", "b  "]) == ["a", "b"]


def test_truncate_to_target_length_records_a_warning() -> None:
    value, warnings = run_ctx("truncate", "x" * 300, 255)
    assert value == "x" * 255
    assert warnings == ["Field__c: truncated from 300 to 255 characters"]


def test_truncate_explicit_length_wins_and_short_values_pass_silently() -> None:
    assert run_ctx("truncate", "abcdef", 255)[0] == "abcdef"
    assert run("truncate", "abcdef", target_length=255, length=3) == "abc"
    assert run_ctx("truncate", "abc", 3) == ("abc", [])


def test_truncate_without_any_length_keeps_the_value_and_says_so() -> None:
    value, warnings = run_ctx("truncate", "abc")
    assert value == "abc"
    assert "no length" in warnings[0]


def test_truncate_counts_utf16_units_like_salesforce() -> None:
    value, _ = run_ctx("truncate", "ab😀cd", 3)
    assert value == "ab"  # the emoji is two UTF-16 units: it does not fit in the third
    assert utf16_len("😀") == 2


@relaxed
@given(st.text(), st.integers(min_value=1, max_value=300))
def test_truncate_never_exceeds_the_target_length(text: str, limit: int) -> None:
    value, warnings = run_ctx("truncate", text, limit)
    assert isinstance(value, str)
    assert utf16_len(value) <= limit
    assert text.startswith(value.rstrip()) or text.startswith(value)
    assert bool(warnings) == (utf16_len(text) > limit)


def test_max_length_fails_instead_of_cutting() -> None:
    assert run("max_length", "a@b.io", target_length=80) == "a@b.io"
    with pytest.raises(TransformFailed, match="longer than 5"):
        run("max_length", "abcdef", target_length=5)


# -- phone and email -------------------------------------------------------------------------


def test_phone_to_e164_with_default_region() -> None:
    assert run("phone", "(415) 555-2671", region="US") == "+14155552671"
    assert run("phone", "+44 20 7946 0958") == "+442079460958"
    assert run("phone", "030 901820", region="DE") == "+4930901820"


def test_phone_option_region_overrides_the_mapping_region() -> None:
    assert run("phone", "020 7946 0958", default_region="US", region="GB") == "+442079460958"


@pytest.mark.parametrize("bad", ["call me", "12", "555-CALL-NOW-PLEASE-NOW"])
def test_phone_rejects_what_is_not_a_number(bad: str) -> None:
    with pytest.raises(TransformFailed):
        run("phone", bad, region="US")


def test_email_is_normalised_and_validated_without_dns() -> None:
    assert run("email", "  Jane.Doe@ACME.io ") == "jane.doe@acme.io"
    assert run("email", "jane@nonexistent-domain-for-tests.example") == (
        "jane@nonexistent-domain-for-tests.example"
    )
    with pytest.raises(TransformFailed):
        run("email", "jane@")


# -- countries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("U.K.", "GB"),
        ("uk", "GB"),
        ("England", "GB"),
        ("Deutschland", "DE"),
        ("the Netherlands", "NL"),
        ("Österreich", "AT"),
        ("  france ", "FR"),
        ("de", "DE"),
    ],
)
def test_country_code_from_names_and_aliases(typed: str, code: str) -> None:
    assert run("country_code", typed) == code


def test_country_name_from_code_or_alias() -> None:
    assert run("country_name", "DE") == "Germany"
    assert run("country_name", "USA") == "United States"
    with pytest.raises(TransformFailed):
        run("country_name", "Atlantis")


def test_every_alias_belongs_to_one_country() -> None:
    from connector.fieldmap.countries import _fold

    owner: dict[str, str] = {}
    for code, names in COUNTRIES.items():
        for alias in (code, *names):
            assert owner.setdefault(_fold(alias), code) == code, alias


@relaxed
@given(st.sampled_from(sorted(COUNTRIES)))
def test_country_code_round_trip(code: str) -> None:
    assert country_code(country_name(code)) == code
    assert country_name(country_code(country_name(code))) == country_name(code)


@relaxed
@given(st.sampled_from([(c, a) for c, names in COUNTRIES.items() for a in names]))
def test_every_alias_maps_to_its_code(pair: tuple[str, str]) -> None:
    code, alias = pair
    assert country_code(alias) == code
    assert country_code(alias.upper()) == code


# -- dates and datetimes ---------------------------------------------------------------------


def test_hubspot_iso_and_epoch_ms_to_salesforce_datetime() -> None:
    assert run("sf_datetime", "2026-11-02T09:14:07.123Z") == "2026-11-02T09:14:07.123+0000"
    assert run("sf_datetime", "1795946400000") == "2026-11-29T10:00:00.000+0000"
    assert run("sf_datetime", 1795946400000) == "2026-11-29T10:00:00.000+0000"
    assert run("sf_datetime", "2026-11-29T11:00:00+01:00") == "2026-11-29T10:00:00.000+0000"
    assert run("sf_datetime", "2026-11-29") == "2026-11-29T00:00:00.000+0000"


def test_salesforce_date_from_hubspot_values_is_the_utc_day() -> None:
    assert run("sf_date", "2026-11-29T23:30:00.000Z") == "2026-11-29"
    assert run("sf_date", "2026-11-29T23:30:00.000-0200") == "2026-11-30"
    assert run("sf_date", "1795910400000") == "2026-11-29"


def test_salesforce_datetime_and_date_to_hubspot() -> None:
    assert run("hs_datetime", "2026-11-29T10:00:00.000+0000") == "2026-11-29T10:00:00.000Z"
    assert run("hs_datetime", "2026-11-29T10:00:00.000+0000", format="epoch_ms") == (
        "1795946400000"
    )
    assert run("hs_date", "2026-11-29") == "2026-11-29"
    assert run("hs_date", "2026-11-29T10:00:00.000+0000") == "2026-11-29"


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "", True])
def test_unparseable_dates_fail(bad: object) -> None:
    with pytest.raises(TransformFailed):
        run("sf_datetime", bad)


moments = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))


@relaxed
@given(moments)
def test_datetime_round_trip_hubspot_salesforce_hubspot(moment: datetime) -> None:
    hubspot = datetimes.to_hubspot_datetime(moment)
    salesforce = datetimes.to_salesforce_datetime(hubspot)
    assert datetimes.parse_instant(salesforce) == moment
    assert datetimes.to_hubspot_datetime(salesforce) == hubspot


@relaxed
@given(moments)
def test_epoch_ms_round_trip(moment: datetime) -> None:
    epoch = datetimes.to_hubspot_datetime(moment, epoch_ms=True)
    assert datetimes.parse_instant(epoch) == moment
    assert datetimes.to_salesforce_datetime(epoch) == datetimes.to_salesforce_datetime(moment)


@relaxed
@given(st.dates(min_value=date(1971, 1, 1), max_value=date(9998, 12, 31)))
def test_date_round_trip(day: date) -> None:
    assert datetimes.to_hubspot_date(datetimes.to_salesforce_date(day.isoformat())) == (
        day.isoformat()
    )


@relaxed
@given(moments, st.integers(min_value=-12 * 60, max_value=14 * 60))
def test_offsets_are_normalised_to_utc(moment: datetime, minutes: int) -> None:
    from datetime import timezone

    local = moment.astimezone(timezone(timedelta(minutes=minutes)))
    assert datetimes.to_salesforce_datetime(local.isoformat()) == (
        datetimes.to_salesforce_datetime(moment)
    )


# -- numbers, booleans, join, split ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("42", 42),
        (" 1,200,000 ", 1200000),
        ("72.5", 72.5),
        ("-3", -3),
        ("1e3", 1000),
        (12.0, 12),
        ("0.10", 0.1),
    ],
)
def test_number_parsing(text: object, number: float) -> None:
    assert run("number", text) == number
    assert type(run("number", text)) is type(number)


@pytest.mark.parametrize("bad", ["abc", "1,2", "nan", "inf", True, ""])
def test_number_rejects_non_numbers(bad: object) -> None:
    with pytest.raises(TransformFailed):
        parse_number(bad)


@relaxed
@given(
    st.one_of(
        st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
    )
)
def test_number_round_trips_through_text(number: float) -> None:
    assert parse_number(repr(number)) == number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("1", True),
        ("on", True),
        ("false", False),
        ("No", False),
        ("0", False),
        (False, False),
    ],
)
def test_boolean_parsing(text: object, value: bool) -> None:
    assert parse_boolean(text) is value


def test_boolean_rejects_other_values() -> None:
    with pytest.raises(TransformFailed):
        run("boolean", "maybe")


def test_join_skips_blank_values() -> None:
    assert run("join", ["Jane", None, " ", "Doe"]) == "Jane Doe"
    assert run("join", ["a", "b"], separator=", ") == "a, b"


def test_split_then_join() -> None:
    parts = run("split", "a; b;;c")
    assert parts == ["a", "b", "c"]
    assert run("join", parts, separator=";") == "a;b;c"
    assert run("split", "x|y", separator="|") == ["x", "y"]


@relaxed
@given(st.lists(st.text(alphabet="abcxyz ", min_size=1).map(str.strip).filter(bool), max_size=6))
def test_split_inverts_join(items: list[str]) -> None:
    assert run("split", run("join", items, separator=";")) == items


def test_registry_documents_every_transform() -> None:
    assert set(TRANSFORMS) == {
        "trim",
        "lower",
        "upper",
        "title",
        "truncate",
        "max_length",
        "phone",
        "email",
        "country_code",
        "country_name",
        "number",
        "boolean",
        "sf_date",
        "sf_datetime",
        "hs_date",
        "hs_datetime",
        "join",
        "split",
    }
    assert all(t.summary for t in TRANSFORMS.values())

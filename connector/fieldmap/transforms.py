"""The transform registry: every step a rule's ``transforms`` chain may name, with its options.

Each transform is a pure function ``(value, spec, ctx) -> value``. A value it cannot handle
raises ``TransformFailed``; ``apply`` turns that into a warning (field skipped), a record error
(``required`` fields), or keeps the value unchanged when the step says ``keep_invalid = true``.
String transforms apply to each element of a list (after ``split`` or with several sources).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from connector import datetimes
from connector.fieldmap.countries import COUNTRIES, country_code, country_name
from connector.fieldmap.model import Direction, TransformSpec
from connector.fieldmap.values import (
    TransformFailed,
    as_text,
    parse_boolean,
    parse_number,
    utf16_len,
)

Kind = Literal["text", "number", "bool", "date", "datetime"]
HUBSPOT_TEXT_LIMIT = 65_536


@dataclass
class TransformContext:
    """What a step may know besides the value: the target's length and the default region."""

    target: str
    target_length: int | None = None
    phone_region: str | None = None
    warnings: list[str] = field(default_factory=list)


TransformFunc = Callable[[object, TransformSpec, TransformContext], object]


@dataclass(frozen=True)
class TransformDef:
    """A registered transform. ``kind`` is what it produces (None: the input's kind);
    ``max_length`` bounds its output; ``direction`` restricts it to one mapping direction."""

    name: str
    func: TransformFunc
    summary: str
    options: dict[str, type] = field(default_factory=dict)
    kind: Kind | None = None
    max_length: int | None = None
    elementwise: bool = True
    direction: Direction | None = None
    uses_target_length: bool = False


def _length(spec: TransformSpec, ctx: TransformContext) -> int | None:
    explicit = spec.option("length")
    return int(explicit) if isinstance(explicit, int) else ctx.target_length


def _truncate(value: object, spec: TransformSpec, ctx: TransformContext) -> object:
    text = as_text(value)
    limit = _length(spec, ctx)
    if limit is None:
        ctx.warnings.append(f"{ctx.target}: truncate has no length (bind the live schema)")
        return text
    if utf16_len(text) <= limit:
        return text
    cut, used = [], 0
    for char in text:
        size = utf16_len(char)
        if used + size > limit:
            break
        cut.append(char)
        used += size
    ctx.warnings.append(f"{ctx.target}: truncated from {utf16_len(text)} to {limit} characters")
    return "".join(cut).rstrip()


def _max_length(value: object, spec: TransformSpec, ctx: TransformContext) -> object:
    text = as_text(value)
    limit = _length(spec, ctx)
    if limit is not None and utf16_len(text) > limit:
        raise TransformFailed(f"{utf16_len(text)} characters, longer than {limit}")
    return text


def _phone(value: object, spec: TransformSpec, ctx: TransformContext) -> object:
    text = as_text(value).strip()
    region = spec.option("region") or ctx.phone_region
    try:
        number = phonenumbers.parse(text, str(region) if region else None)
    except phonenumbers.NumberParseException as exc:
        raise TransformFailed(f"{text!r} is not a phone number ({exc})") from exc
    if not phonenumbers.is_possible_number(number):
        raise TransformFailed(f"{text!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(value: object, spec: TransformSpec, ctx: TransformContext) -> object:
    try:
        info = validate_email(as_text(value).strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise TransformFailed(str(exc)) from exc
    return info.normalized.lower()


def _country(convert: Callable[[str], str]) -> TransformFunc:
    def run(value: object, spec: TransformSpec, ctx: TransformContext) -> object:
        try:
            return convert(as_text(value))
        except LookupError as exc:
            raise TransformFailed(str(exc)) from exc

    return run


def _dates(convert: Callable[[object], str]) -> TransformFunc:
    def run(value: object, spec: TransformSpec, ctx: TransformContext) -> object:
        try:
            return convert(value)
        except datetimes.DateParseError as exc:
            raise TransformFailed(str(exc)) from exc

    return run


def _hs_datetime(value: object, spec: TransformSpec, ctx: TransformContext) -> object:
    epoch = spec.option("format", "iso") == "epoch_ms"
    try:
        return datetimes.to_hubspot_datetime(value, epoch_ms=epoch)
    except datetimes.DateParseError as exc:
        raise TransformFailed(str(exc)) from exc


def _join(value: object, spec: TransformSpec, ctx: TransformContext) -> object:
    separator = str(spec.option("separator", " "))
    items = value if isinstance(value, list) else [value]
    return separator.join(as_text(v).strip() for v in items if v is not None and as_text(v).strip())


def _split(value: object, spec: TransformSpec, ctx: TransformContext) -> object:
    separator = str(spec.option("separator", ";"))
    items = value if isinstance(value, list) else [value]
    return [p.strip() for v in items for p in as_text(v).split(separator) if p.strip()]


def _text(func: Callable[[str], str]) -> TransformFunc:
    return lambda value, spec, ctx: func(as_text(value))


_REGISTRY: tuple[TransformDef, ...] = (
    TransformDef("trim", _text(lambda s: " ".join(s.split())), "strip, collapse inner spaces"),
    TransformDef("lower", _text(str.lower), "lower case"),
    TransformDef("upper", _text(str.upper), "upper case"),
    TransformDef("title", _text(str.title), "Title Case"),
    TransformDef(
        "truncate",
        _truncate,
        "cut to the target's length (or `length`), with a warning",
        {"length": int},
        kind="text",
        uses_target_length=True,
    ),
    TransformDef(
        "max_length",
        _max_length,
        "fail if longer than the target's length (or `length`)",
        {"length": int},
        kind="text",
        uses_target_length=True,
    ),
    TransformDef(
        "phone",
        _phone,
        "E.164 (`region` for national numbers)",
        {"region": str},
        kind="text",
        max_length=16,
    ),
    TransformDef("email", _email, "validated, normalised, lower case", kind="text", max_length=254),
    TransformDef(
        "country_code",
        _country(country_code),
        "name or alias -> ISO alpha-2",
        kind="text",
        max_length=2,
    ),
    TransformDef(
        "country_name",
        _country(country_name),
        "ISO code or alias -> English name",
        kind="text",
        max_length=max(len(names[0]) for names in COUNTRIES.values()),
    ),
    TransformDef(
        "number", lambda v, s, c: parse_number(v), "parse a number", kind="number", max_length=24
    ),
    TransformDef(
        "boolean",
        lambda v, s, c: parse_boolean(v),
        "parse true/false/yes/no/1/0",
        kind="bool",
        max_length=5,
    ),
    TransformDef(
        "sf_date",
        _dates(datetimes.to_salesforce_date),
        "HubSpot ISO / epoch ms -> Salesforce date",
        kind="date",
        max_length=10,
        direction="lead",
    ),
    TransformDef(
        "sf_datetime",
        _dates(datetimes.to_salesforce_datetime),
        "HubSpot ISO / epoch ms -> Salesforce datetime",
        kind="datetime",
        max_length=28,
        direction="lead",
    ),
    TransformDef(
        "hs_date",
        _dates(datetimes.to_hubspot_date),
        "Salesforce date -> HubSpot date",
        kind="date",
        max_length=10,
        direction="feedback",
    ),
    TransformDef(
        "hs_datetime",
        _hs_datetime,
        "Salesforce datetime -> HubSpot ISO (or epoch ms)",
        {"format": str},
        kind="datetime",
        max_length=24,
        direction="feedback",
    ),
    TransformDef(
        "join",
        _join,
        "several values -> one string (`separator`, default space)",
        {"separator": str},
        kind="text",
        elementwise=False,
    ),
    TransformDef(
        "split",
        _split,
        "one string -> list (`separator`, default ';')",
        {"separator": str},
        elementwise=False,
    ),
)
TRANSFORMS: dict[str, TransformDef] = {t.name: t for t in _REGISTRY}
#: Options every step accepts.
COMMON_OPTIONS: dict[str, type] = {"keep_invalid": bool}
OPTION_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("hs_datetime", "format"): ("iso", "epoch_ms")
}


def run_transform(spec: TransformSpec, value: object, ctx: TransformContext) -> object:
    """Run one step; lists go element by element unless the step works on whole lists."""
    definition = TRANSFORMS[spec.name]
    if isinstance(value, list) and definition.elementwise:
        return [definition.func(v, spec, ctx) for v in value if v is not None]
    return definition.func(value, spec, ctx)

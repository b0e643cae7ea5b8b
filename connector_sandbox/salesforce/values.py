"""Coercion and validation of one incoming field value against its describe metadata.

``coercer_for(field)`` compiles a function that turns a JSON value into the stored form (strings
for text, canonical strings for dates and datetimes, bool, int or float) or raises ``BadValue``
carrying the per-record error Salesforce would report (``STRING_TOO_LONG``,
``INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST``, ``INVALID_EMAIL_ADDRESS``,
``INVALID_TYPE_ON_FIELD_IN_RECORD``, ``NUMBER_OUTSIDE_VALID_RANGE``, ``MALFORMED_ID``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .api_errors import RecordIssue
from .ids import to18
from .schema import FieldDef
from .sftime import canonical_date, canonical_datetime

Coercer = Callable[[Any], Any]

# local part @ labels joined by dots, each label alphanumeric runs joined by hyphen runs (so it
# starts and ends alphanumeric); possessive quantifiers, so a mismatch never backtracks
EMAIL_RE = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]++@[A-Za-z0-9]++(?:-++[A-Za-z0-9]++)*+"
    r"(?:\.[A-Za-z0-9]++(?:-++[A-Za-z0-9]++)*+)++")


class BadValue(Exception):
    def __init__(self, issue: RecordIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _bad(fdef: FieldDef, code: str, text: str) -> BadValue:
    return BadValue(RecordIssue(code, f"{fdef.label}: {text}", (fdef.name,)))


def _as_text(fdef: FieldDef, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    raise _bad(fdef, "INVALID_TYPE_ON_FIELD_IN_RECORD", f"value not of required type: {value}")


def _text(fdef: FieldDef) -> Coercer:
    length = fdef.length

    def coerce(value: Any) -> Any:
        text = value if type(value) is str else _as_text(fdef, value)
        if not text:
            return None
        if len(text) > length:
            raise _bad(fdef, "STRING_TOO_LONG",
                       f"data value too large: {text[:60]} (max length={length})")
        return text
    return coerce


def _email(fdef: FieldDef) -> Coercer:
    base = _text(fdef)
    length = fdef.length
    valid = EMAIL_RE.fullmatch

    def coerce(value: Any) -> Any:
        if type(value) is str and 0 < len(value) <= length and valid(value):
            return value
        text = base(value)
        if text is not None and not EMAIL_RE.fullmatch(text):
            raise _bad(fdef, "INVALID_EMAIL_ADDRESS", f"invalid email address: {text}")
        return text
    return coerce


def _picklist(fdef: FieldDef) -> Coercer:
    base = _text(fdef)
    allowed = fdef.active_values

    def coerce(value: Any) -> Any:
        if value in allowed:
            return value
        text = base(value)
        if text is not None and text not in allowed:
            raise _bad(fdef, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                       f"bad value for restricted picklist field: {text}")
        return text
    return coerce if fdef.restricted_picklist else base


def _reference(fdef: FieldDef) -> Coercer:
    def coerce(value: Any) -> Any:
        if value is None or value == "":
            return None
        full = to18(value) if isinstance(value, str) else None
        if full is None:
            raise _bad(fdef, "MALFORMED_ID", f"id value of incorrect type: {value}")
        return full
    return coerce


def _boolean(fdef: FieldDef) -> Coercer:
    def coerce(value: Any) -> Any:
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise _bad(fdef, "INVALID_TYPE_ON_FIELD_IN_RECORD", f"value not of required type: {value}")
    return coerce


def _number(fdef: FieldDef) -> Coercer:
    integral = fdef.type == "int"
    digits = fdef.digits if integral else fdef.precision - fdef.scale
    bound = 10 ** digits
    scale = fdef.scale

    def slow(value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise _bad(fdef, "INVALID_TYPE_ON_FIELD_IN_RECORD",
                       f"value not of required type: {value}")
        try:
            number = float(value)
        except ValueError:
            raise _bad(fdef, "INVALID_TYPE_ON_FIELD_IN_RECORD",
                       f"value not of required type: {value}") from None
        if number != number or abs(number) >= bound:
            raise _bad(fdef, "NUMBER_OUTSIDE_VALID_RANGE",
                       f"value outside of valid range on numeric field: {value}")
        if integral:
            if not number.is_integer():
                raise _bad(fdef, "INVALID_TYPE_ON_FIELD_IN_RECORD",
                           f"value not of required type: {value}")
            return int(number)
        return round(number, scale)

    def coerce(value: Any) -> Any:
        kind = type(value)
        if kind is int and -bound < value < bound:
            return value if integral else float(value)  # an integer needs no rounding
        if kind is float and not integral and -bound < value < bound:
            return round(value, scale)
        return slow(value)
    return coerce


def _temporal(fdef: FieldDef, convert: Callable[[str], str]) -> Coercer:
    def coerce(value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return convert(value)
            except ValueError:
                pass
        raise _bad(fdef, "INVALID_TYPE_ON_FIELD_IN_RECORD", f"value not of required type: {value}")
    return coerce


def coercer_for(fdef: FieldDef) -> Coercer:
    kind = fdef.type
    if kind == "email":
        return _email(fdef)
    if kind == "picklist":
        return _picklist(fdef)
    if kind in ("reference", "id"):
        return _reference(fdef)
    if kind == "boolean":
        return _boolean(fdef)
    if kind in ("int", "double", "currency", "percent"):
        return _number(fdef)
    if kind == "date":
        return _temporal(fdef, canonical_date)
    if kind == "datetime":
        return _temporal(fdef, canonical_datetime)
    return _text(fdef)

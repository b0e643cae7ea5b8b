"""Plain values: text as HubSpot writes it, lengths as Salesforce counts them, and the number
and boolean parsing the ``number`` / ``boolean`` transforms use."""

from __future__ import annotations

import math
import re


class TransformFailed(ValueError):
    """The value cannot go through this step (an unparseable phone, date, number...)."""


def as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def utf16_len(text: str) -> int:
    """Salesforce counts lengths in UTF-16 code units (Java strings)."""
    return len(text.encode("utf-16-le")) // 2


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(value: object) -> int | float:
    """``"1,234.50"`` -> 1234.5; integral values come back as ``int``."""
    if isinstance(value, bool):
        raise TransformFailed(f"{value!r} is not a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = as_text(value).strip().replace("_", "")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError as exc:
            raise TransformFailed(f"{value!r} is not a number") from exc
    if not math.isfinite(number):
        raise TransformFailed(f"{value!r} is not a finite number")
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


_TRUE = {"true", "yes", "y", "1", "on", "t", "checked"}
_FALSE = {"false", "no", "n", "0", "off", "f", "unchecked"}


def parse_boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise TransformFailed(f"{value!r} is not a boolean")

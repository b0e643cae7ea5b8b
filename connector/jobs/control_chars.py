"""Control characters never leave the connector: C0/C1 controls (NUL included, tab, newline and
carriage return kept), DEL and lone surrogates are stripped from every text value read from one
system before any of it is written to the other (a pulled contact, a Salesforce disposition).
Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0/C1 control characters (NUL included) except tab, newline and carriage return, DEL, and
lone surrogates: nothing Salesforce stores or a JSON encoder can send as text."""


def strip_control(value: str) -> str:
    return _CONTROL.sub("", value)


def clean_values(values: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """``values`` with control characters stripped from every text value, and how many values
    were changed."""
    changed = 0
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str) and _CONTROL.search(value):
            value = strip_control(value)
            changed += 1
        out[name] = value
    return out, changed

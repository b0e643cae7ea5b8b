"""Would Salesforce reject this payload? One mapped record checked against the object's describe,
the way Salesforce checks it, so a dry run can say which records would be dead-lettered and why
(without writing anything). Pure.

Checked: the field exists, is createable (insert) or updateable (update), text fits its length,
a restricted picklist value is active, numbers, booleans and emails have the right shape, and
fields required on create get a value. Not checked (only Salesforce knows): validation rules,
duplicate rules, triggers. Codes are Salesforce's own, as the dead letters will carry them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from connector.errors import RecordError
from connector.fieldmap.schema import FieldInfo

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TEXT_TYPES = frozenset({"string", "textarea", "phone", "url", "email", "picklist",
                         "multipicklist", "combobox", "encryptedstring"})
Issue = tuple[str, str, str]
"""(code, message, field)"""


def predict_rejection(payload: Mapping[str, Any], fields: Mapping[str, FieldInfo], *,
                      create: bool) -> RecordError | None:
    """The error Salesforce would return for ``payload`` (insert when ``create``), else None.
    ``fields``: ``index_salesforce(describe)``. An empty describe predicts nothing."""
    if not fields:
        return None
    by_lower = {name.lower(): info for name, info in fields.items()}
    issues: list[Issue] = []
    denied: list[str] = []
    given: set[str] = set()
    for key, value in payload.items():
        if key == "attributes" or (key == "Id" and not create):
            continue
        info = fields.get(key) or by_lower.get(key.lower())
        if info is None:
            issues.append(("INVALID_FIELD", f"No such column '{key}'", key))
            continue
        if not (info.createable if create else info.updateable):
            denied.append(info.name)
            continue
        if _blank(value):
            if info.required_on_create and not create:
                issues.append(("REQUIRED_FIELD_MISSING",
                               f"Required fields are missing: [{info.name}]", info.name))
            continue
        given.add(info.name)
        issue = value_issue(info, value)
        if issue is not None:
            issues.append(issue)
    if create:
        missing = [n for n, i in fields.items() if i.required_on_create and n not in given]
        if missing:
            issues.insert(0, ("REQUIRED_FIELD_MISSING",
                              f"Required fields are missing: [{', '.join(missing)}]",
                              ",".join(missing)))
    if denied:
        issues.insert(0, ("INVALID_FIELD_FOR_INSERT_UPDATE",
                          f"Unable to create/update fields: {', '.join(denied)}",
                          ",".join(denied)))
    if not issues:
        return None
    names = tuple(dict.fromkeys(f for _, _, joined in issues for f in joined.split(",") if f))
    return RecordError(issues[0][0], "; ".join(message for _, message, _ in issues), names)


def value_issue(info: FieldInfo, value: Any) -> Issue | None:
    """The problem of one non-blank value for one field, or None."""
    name = info.name
    if info.kind == "number":
        ok = (isinstance(value, int | float) and not isinstance(value, bool)
              and math.isfinite(value)) or (isinstance(value, str) and _numeric(value))
        return None if ok else ("INVALID_TYPE_ON_FIELD_IN_RECORD",
                                f"{name}: value not of required type: {value!r}", name)
    if info.kind == "bool":
        ok = isinstance(value, bool) or (isinstance(value, str)
                                         and value.lower() in ("true", "false"))
        return None if ok else ("INVALID_TYPE_ON_FIELD_IN_RECORD",
                                f"{name}: value not of required type: {value!r}", name)
    if info.type_label not in _TEXT_TYPES:
        return None  # dates, references, ids: Salesforce's parsers decide
    text = value if isinstance(value, str) else str(value)
    if info.length is not None and len(text) > info.length:
        return ("STRING_TOO_LONG", f"{name}: data value too large: {text[:40]!r} "
                                   f"(max length={info.length})", name)
    if info.restricted and info.options is not None:
        values = text.split(";") if info.type_label == "multipicklist" else [text]
        bad = [v for v in values if v not in info.options]
        if bad:
            return ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    f"{name}: bad value for restricted picklist field: {bad[0]!r}", name)
    if info.type_label == "email" and not _EMAIL.fullmatch(text):
        return ("INVALID_EMAIL_ADDRESS", f"{name}: invalid email address: {text!r}", name)
    return None


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _numeric(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False

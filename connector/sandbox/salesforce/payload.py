"""Turn one record's JSON payload into typed field changes, checked against describe.

The fast path is a single loop over the payload with one table lookup per key: plain text that
fits is taken as is, values equal to what an updated record already holds are skipped, anything
else goes through the field's coercer (``values.py``). Only when that fails does the slow path
run, collecting every problem the way Salesforce reports them (unknown field, not writable,
bad value), so the common case stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .api_errors import RecordIssue, RecordRejected
from .schema import FieldDef, SObjectDef
from .values import BadValue, Coercer, coercer_for

DROP = "\x00drop"  # keys that are accepted and ignored: attributes, Id on updates
_PLAIN_TEXT = frozenset({"string", "textarea", "phone", "url", "combobox"})
# canonical name, max length of plain text (else 0), restricted picklist values (else
# empty), coercer
Entry = tuple[str, int, frozenset[str], Coercer]
_NONE: frozenset[str] = frozenset()


def _identity(value: Any) -> Any:
    return value


class PayloadReader:
    def __init__(self) -> None:
        self._fields: dict[str, dict[str, tuple[FieldDef, Coercer]]] = {}
        self._tables: dict[tuple[str, bool, bool], dict[str, Entry]] = {}

    def fields(self, sobject: SObjectDef) -> dict[str, tuple[FieldDef, Coercer]]:
        """Field name (exact and lower-case) -> (definition, coercer)."""
        cached = self._fields.get(sobject.name)
        if cached is None:
            cached = {}
            for fdef in sobject.fields:
                entry = (fdef, coercer_for(fdef))
                cached[fdef.name] = cached[fdef.name.lower()] = entry
            self._fields[sobject.name] = cached
        return cached

    def _table(self, sobject: SObjectDef, create: bool, system: bool) -> dict[str, Entry]:
        key = (sobject.name, create, system)
        table = self._tables.get(key)
        if table is None:
            table = {"attributes": (DROP, 0, _NONE, _identity)}
            for fdef in sobject.fields:
                coerce = self.fields(sobject)[fdef.name][1]
                if fdef.name == "Id":
                    if system or not create:
                        table["Id"] = table["id"] = (DROP, 0, _NONE, _identity)
                elif system or (fdef.createable if create else fdef.updateable):
                    plain = fdef.length if fdef.type in _PLAIN_TEXT or (
                        fdef.type == "picklist" and not fdef.restricted_picklist) else 0
                    allowed = fdef.active_values if fdef.restricted_picklist else _NONE
                    entry = (fdef.name, plain, allowed, coerce)
                    table[fdef.name] = table[fdef.name.lower()] = entry
            self._tables[key] = table
        return table

    def changes(self, sobject: SObjectDef, payload: Mapping[str, Any], old: Mapping[str, Any]
                | None, system: bool) -> dict[str, Any]:
        """Typed changes (canonical names); raises ``RecordRejected`` with every problem."""
        table = self._table(sobject, old is None, system)
        changes: dict[str, Any] = {}
        try:
            if old is None:
                for key, value in payload.items():
                    name, plain, allowed, coerce = table[key]
                    if type(value) is str and (0 < len(value) <= plain or value in allowed):
                        changes[name] = value
                    else:
                        changes[name] = coerce(value)
            else:
                held = old.get
                for key, value in payload.items():
                    name, plain, allowed, coerce = table[key]
                    if type(value) is str and (0 < len(value) <= plain or value in allowed):
                        changes[name] = value
                    else:
                        stored = held(name)
                        if value is None or value != stored or type(value) is not type(stored):
                            changes[name] = coerce(value)
        except (KeyError, BadValue):
            return self._slowly(sobject, payload, old is None, system)
        changes.pop(DROP, None)
        return changes

    def _slowly(self, sobject: SObjectDef, payload: Mapping[str, Any], create: bool,
                system: bool) -> dict[str, Any]:
        fields = self.fields(sobject)
        changes: dict[str, Any] = {}
        issues: list[RecordIssue] = []
        denied: list[str] = []
        for key, value in payload.items():
            entry = fields.get(key) or fields.get(key.lower())
            if entry is None:
                if key != "attributes":
                    issues.append(RecordIssue(
                        "INVALID_FIELD", f"No such column '{key}' on sobject of type "
                        f"{sobject.name}", ()))
                continue
            fdef, coerce = entry
            if fdef.name == "Id":
                if create and not system:
                    issues.append(RecordIssue("INVALID_FIELD",
                                              "cannot specify Id in an insert call", ("Id",)))
                continue
            if not system and not (fdef.createable if create else fdef.updateable):
                denied.append(fdef.name)
                continue
            try:
                changes[fdef.name] = coerce(value)
            except BadValue as bad:
                issues.append(bad.issue)
        if denied:
            issues.insert(0, RecordIssue(
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                f"Unable to create/update fields: {', '.join(denied)}. Please check the security "
                "settings of this field and verify that it is read/write for your profile or "
                "permission set.", tuple(denied)))
        if issues:
            raise RecordRejected(issues)
        return changes

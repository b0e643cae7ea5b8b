"""Turn one record's JSON payload into typed field changes, checked against describe.

The fast path reads a payload with a function generated for its *shape* (sObject, insert or
update, system context, and the payload's keys in order): straight-line code, one block per
key, in which plain text that fits is taken as is, values equal to what an updated record
already holds are skipped, and anything else goes through the field's coercer (``values.py``).
A batch of 200 records from one client nearly always shares one shape, so the generated
function is reused; shapes beyond ``MAX_SHAPES`` use the same logic as a loop over a table.
Only when a value fails does the slow path run, collecting every problem the way Salesforce
reports them (unknown field, not writable, bad value), so the common case stays cheap.

The generated source holds only field names that describe knows (they are identifiers) and
indexes into the function's constants, never a value from a request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .api_errors import RecordIssue, RecordRejected
from .schema import FieldDef, SObjectDef
from .values import BadValue, Coercer, coercer_for

DROP = "\x00drop"  # keys that are accepted and ignored: attributes, Id on updates
_PLAIN_TEXT = frozenset({"string", "textarea", "phone", "url", "combobox"})
# canonical name, max length of plain text (else 0), restricted picklist values (else
# empty), coercer
Entry = tuple[str, int, frozenset[str], Coercer]
Reader = Callable[[Mapping[str, Any], Callable[[str], Any] | None], dict[str, Any]]
_NONE: frozenset[str] = frozenset()
MAX_SHAPES = 256


def _identity(value: Any) -> Any:
    return value


class PayloadReader:
    def __init__(self) -> None:
        self._fields: dict[str, dict[str, tuple[FieldDef, Coercer]]] = {}
        self._tables: dict[tuple[str, bool, bool], dict[str, Entry]] = {}
        self._readers: dict[tuple[str, bool, bool, tuple[str, ...]], Reader | None] = {}

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
        create = old is None
        shape = (sobject.name, create, system, tuple(payload))
        try:
            reader = self._readers[shape]
        except KeyError:
            reader = self._reader(sobject, shape)
        if reader is not None:
            try:
                return reader(payload, None if old is None else old.get)
            except BadValue:
                return self._slowly(sobject, payload, create, system)
        return self._looped(sobject, payload, old, system)

    def _reader(self, sobject: SObjectDef,
                shape: tuple[str, bool, bool, tuple[str, ...]]) -> Reader | None:
        """Generate (and cache) the reader of one payload shape; None when a key is unknown
        (the slow path reports it) or the cache is full."""
        if len(self._readers) >= MAX_SHAPES:
            return None
        _, create, system, keys = shape
        table = self._table(sobject, create, system)
        if not all(key in table and key.isidentifier() for key in keys):
            self._readers[shape] = None
            return None
        self._readers[shape] = reader = _generate(table, keys, create)
        return reader

    def _looped(self, sobject: SObjectDef, payload: Mapping[str, Any], old: Mapping[str, Any]
                | None, system: bool) -> dict[str, Any]:
        """What a generated reader does, as a loop over the table (shapes beyond the cache)."""
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


def _generate(table: Mapping[str, Entry], keys: tuple[str, ...], create: bool) -> Reader:
    """Straight-line Python for one payload shape. Per key: the value, the fast test (text
    that fits, or an allowed value of a restricted picklist), else the coercer. On an insert
    the changes are built as one dict display (sized once); on an update a value equal (and of
    the same type) to the stored one is left out of the changes."""
    lines = ["def read(p, held):"]
    if not create:
        lines.append("    c = {}")
    constants: dict[str, Any] = {}
    built: list[str] = []
    for i, key in enumerate(keys):
        name, plain, allowed, coerce = table[key]
        if name == DROP:
            continue
        constants[f"coerce{i}"], constants[f"allowed{i}"] = coerce, allowed
        tests = []
        if plain:
            tests.append(f"0 < len(v{i}) <= {int(plain)}")
        if allowed:
            tests.append(f"v{i} in allowed{i}")
        lines.append(f"    v{i} = p[{key!r}]")
        fast = f"type(v{i}) is str and ({' or '.join(tests)})" if tests else ""
        if create:
            if fast:
                lines.append(f"    if not ({fast}):")
                lines.append(f"        v{i} = coerce{i}(v{i})")
            else:
                lines.append(f"    v{i} = coerce{i}(v{i})")
            built.append(f"{name!r}: v{i}")
            continue
        if fast:
            lines.append(f"    if {fast}:")
            lines.append(f"        c[{name!r}] = v{i}")
            lines.append("    else:")
            indent = "        "
        else:
            indent = "    "
        lines.append(f"{indent}s = held({name!r})")
        lines.append(f"{indent}if v{i} is None or v{i} != s or type(v{i}) is not type(s):")
        lines.append(f"{indent}    c[{name!r}] = coerce{i}(v{i})")
    lines.append(f"    return {{{', '.join(built)}}}" if create else "    return c")
    namespace: dict[str, Any] = dict(constants)
    exec(compile("\n".join(lines), "<salesforce-sandbox payload reader>", "exec"),  # noqa: S102
         namespace)
    reader: Reader = namespace["read"]
    return reader

"""Create / update / upsert with Salesforce's save semantics, one batch at a time.

Every record of a batch is first planned against the state before the batch (field types and
permissions, required fields, references, validation rules, unique external ids, the Lead email
duplicate rule; records of one batch are not compared with each other by duplicate rules, as in
Salesforce), then the accepted plans are committed together with one timestamp. With
``all_or_none`` nothing is committed when any record fails, and the others report
``ALL_OR_NONE_OPERATION_ROLLED_BACK``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .api_errors import ROLLED_BACK, RecordIssue, RecordRejected
from .catalog import OPPORTUNITY_STAGES
from .config import RuntimeSettings
from .ids import IdFactory, to18, type_of_id
from .payload import PayloadReader
from .schema import FieldDef, SObjectDef
from .store import OrgStore, Row

DUPLICATE_MESSAGE = ("You're creating a duplicate record. We recommend you use an existing "
                     "record instead.")
_DIGITS = {ch: i for i, ch in enumerate(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")}


@dataclass(frozen=True)
class WriteContext:
    user_id: str
    version: str
    auto_assign: bool = False
    duplicate_rule: bool = True
    allow_duplicate_save: bool = False
    system: bool = False
    """May write read-only fields and audit fields (lead conversion, seeding)."""


@dataclass(slots=True)
class Operation:
    kind: str  # create | update | upsert
    sobject: SObjectDef
    payload: Mapping[str, Any]
    record_id: str | None = None
    external: tuple[FieldDef, str] | None = None
    error: RecordIssue | None = None
    """A problem found before planning (e.g. no id on an update): the record just fails."""


@dataclass(slots=True)
class SaveResult:
    id: str | None
    success: bool
    errors: list[RecordIssue] = field(default_factory=list)
    created: bool | None = None

    def as_dict(self, *, with_created: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "success": self.success,
                               "errors": [e.as_dict() for e in self.errors]}
        if with_created:
            out["created"] = bool(self.created) if self.success else False
        return out


def results_json(results: Sequence[SaveResult], *, with_created: bool = False
                 ) -> list[dict[str, Any]]:
    """A collection's response body: ``SaveResult.as_dict`` of each, in one pass (200 records
    per call on the upsert path, so no method call per record when it succeeded)."""
    if with_created:
        return [{"id": r.id, "success": True, "errors": [], "created": bool(r.created)}
                if r.success else r.as_dict(with_created=True) for r in results]
    return [{"id": r.id, "success": True, "errors": []} if r.success else r.as_dict()
            for r in results]


@dataclass(slots=True)
class _Plan:
    sobject: SObjectDef
    meta: _Meta
    row: Row
    old: Row | None
    changes: dict[str, Any]


@dataclass(frozen=True)
class _Meta:
    required: tuple[str, ...]
    non_nillable: frozenset[str]
    references: tuple[FieldDef, ...]
    """Reference fields an API user may write (the others change only in system context)."""
    system_references: tuple[FieldDef, ...]
    unique: tuple[str, ...]
    has_owner: bool
    defaults: dict[str, Any]
    derived: bool
    """Has fields computed from others (Name, IsWon / IsClosed / Probability)."""


@dataclass
class _Batch:
    duplicate_rule: bool
    """The Lead email duplicate rule applies to this batch (org setting and request headers)."""
    unique_seen: set[tuple[str, str, str]] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)


def _reject(code: str, message: str, fields: tuple[str, ...] = ()) -> RecordRejected:
    return RecordRejected([RecordIssue(code, message, fields)])


class WriteEngine:
    def __init__(self, store: OrgStore, ids: IdFactory, settings: RuntimeSettings,
                 reps: Callable[[], Sequence[str]]) -> None:
        self.store = store
        self.ids = ids
        self.settings = settings
        self.reps = reps
        self.reader = PayloadReader()
        self._metas: dict[str, _Meta] = {}

    def save(self, ops: Sequence[Operation], ctx: WriteContext, now: str, *,
             all_or_none: bool = False) -> list[SaveResult]:
        batch = _Batch(ctx.duplicate_rule and not ctx.allow_duplicate_save
                       and self.settings.lead_email_duplicate_rule)
        plans: list[_Plan | None] = []
        results: list[SaveResult] = []
        plan_one = self.plan
        for op in ops:
            try:
                plan = plan_one(op, ctx, batch)
            except RecordRejected as rejected:
                plans.append(None)
                results.append(SaveResult(op.record_id, False, rejected.issues))
                continue
            plans.append(plan)
            results.append(SaveResult(None, True, [], plan.old is None))
        if all_or_none and any(p is None for p in plans):
            for result in results:
                if result.success:
                    result.success, result.errors = False, [ROLLED_BACK]
                result.id = None
            return results
        commit = self.commit
        for maybe, result in zip(plans, results, strict=True):
            if maybe is not None:
                result.id = commit(maybe, ctx, now)
        return results

    def meta(self, sobject: SObjectDef) -> _Meta:
        meta = self._metas.get(sobject.name)
        if meta is None:
            meta = _Meta(
                required=tuple(f.name for f in sobject.required_fields),
                non_nillable=frozenset(f.name for f in sobject.fields
                                       if not f.nillable and f.type != "boolean"),
                references=tuple(f for f in sobject.fields if f.type == "reference"
                                 and (f.createable or f.updateable)),
                system_references=tuple(f for f in sobject.fields if f.type == "reference"),
                unique=tuple(f.name for f in sobject.external_id_fields if f.unique),
                has_owner=sobject.field("OwnerId") is not None,
                defaults={f.name: f.default_value for f in sobject.fields
                          if f.default_value is not None},
                derived=sobject.name in ("Lead", "Contact", "Opportunity"))
            self._metas[sobject.name] = meta
        return meta

    # -- planning -------------------------------------------------------------------------
    def plan(self, op: Operation, ctx: WriteContext, batch: _Batch) -> _Plan:
        if op.error is not None:
            raise RecordRejected([op.error])
        sobject, old = op.sobject, None
        free: str | None = None
        """A unique field already known to be held by no live record (the upsert's key)."""
        if op.kind == "update":
            old = self._existing(sobject, op.record_id or "")
        elif op.kind == "upsert":
            assert op.external is not None
            ext, value = op.external
            matches = self.store.matching(sobject.name, ext.name, value)
            if len(matches) > 1:
                raise _reject("DUPLICATE_EXTERNAL_ID", f"{ext.name}: more than one record found "
                              f"for external id field: {[r['Id'] for r in matches]}", (ext.name,))
            if matches:
                old = matches[0]
            else:
                free = ext.name
        if self.settings.lock_failures > 0:
            self.settings.lock_failures -= 1
            target = old["Id"] if old is not None else "a parent record"
            raise _reject("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this "
                          f"record or 1 records: {target}")
        if old is not None:
            if old["Id"] in batch.touched:
                raise _reject("DUPLICATE_VALUE", f"Duplicate id in list: {old['Id']}")
            if old.get("IsConverted") and not ctx.system:
                raise _reject("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
        changes = self.reader.changes(sobject, op.payload, old, ctx.system)
        meta = self.meta(sobject)
        if old is None:
            row = {**meta.defaults, **changes}  # one merge in C (a default org has many)
        else:
            row = dict(old)
            row.update(changes)
        if meta.derived:
            self._derive(sobject.name, row, changes)
        self._check(sobject, meta, row, old, changes, ctx, batch, free)
        if old is not None:
            batch.touched.add(old["Id"])
        return _Plan(sobject, meta, row, old, changes)

    def _existing(self, sobject: SObjectDef, record_id: str) -> Row:
        full = to18(record_id) if isinstance(record_id, str) else None
        if full is None:
            raise _reject("MALFORMED_ID", f"malformed id {record_id}")
        row = self.store.get(sobject.name, full) if type_of_id(full) == sobject.name else None
        if row is None:
            raise _reject("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
        if row.get("IsDeleted"):
            raise _reject("ENTITY_IS_DELETED", "entity is deleted")
        return row

    @staticmethod
    def _derive(name: str, row: Row, changes: dict[str, Any]) -> None:
        if name in ("Lead", "Contact") and ("FirstName" in changes or "LastName" in changes):
            first, last = row.get("FirstName"), row.get("LastName")
            row["Name"] = f"{first} {last}" if first and last else (first or last)
        elif name == "Opportunity" and changes.get("StageName") in OPPORTUNITY_STAGES:
            probability, closed, won = OPPORTUNITY_STAGES[changes["StageName"]]
            row["IsClosed"], row["IsWon"] = closed, won
            if "Probability" not in changes:
                row["Probability"] = float(probability)

    def _check(self, sobject: SObjectDef, meta: _Meta, row: Row, old: Row | None,
               changes: dict[str, Any], ctx: WriteContext, batch: _Batch,
               free: str | None = None) -> None:
        issues: list[RecordIssue] = []
        if None in changes.values() or None in map(row.get, meta.required):
            missing = [name for name in meta.required if row.get(name) is None]
            missing += [n for n, v in changes.items() if v is None and n not in missing
                        and n in meta.non_nillable]
            if missing:
                issues.append(RecordIssue("REQUIRED_FIELD_MISSING",
                                          f"Required fields are missing: [{', '.join(missing)}]",
                                          tuple(missing)))
        for fdef in meta.system_references if ctx.system else meta.references:
            value = changes.get(fdef.name)
            if value is not None:
                target = self.store.by_id(value)
                if (target is None or target.get("IsDeleted")
                        or type_of_id(value) not in fdef.reference_to):
                    issues.append(RecordIssue("INVALID_CROSS_REFERENCE_KEY",
                                              f"{fdef.label}: invalid cross reference id",
                                              (fdef.name,)))
        for rule in self.settings.validation_rules:
            if rule.active and rule.sobject == sobject.name \
                    and rule.error_condition(MappingProxyType(row)):
                where = (rule.error_field,) if rule.error_field else ()
                issues.append(RecordIssue("FIELD_CUSTOM_VALIDATION_EXCEPTION",
                                          rule.error_message, where))
        if issues:
            raise RecordRejected(issues)
        for name in meta.unique:
            value = row.get(name)
            if value is not None and (old is None or old.get(name) != value):
                self._check_unique(sobject.name, name, value, old, batch, name == free)
        if batch.duplicate_rule and "Email" in changes and sobject.name == "Lead":
            self._check_duplicates(row, old, ctx)

    def _check_unique(self, sobject: str, name: str, value: str, old: Row | None,
                      batch: _Batch, free: bool = False) -> None:
        key = (sobject, name, value.casefold())
        holder = None if free else self.store.other_holder(
            sobject, name, value, old["Id"] if old is not None else None)
        if holder is not None or key in batch.unique_seen:
            raise _reject("DUPLICATE_VALUE", f"duplicate value found: {name} duplicates value on "
                          f"record with id: {holder or '<unknown>'}")
        batch.unique_seen.add(key)

    def _check_duplicates(self, row: Row, old: Row | None, ctx: WriteContext) -> None:
        email = row.get("Email")
        before = (old.get("Email") or "") if old is not None else ""
        if not email or before.casefold() == email.casefold():
            return
        exclude = old["Id"] if old is not None else None
        if self.store.other_holder("Lead", "Email", email, exclude) is None:
            return
        matches = [r["Id"] for r in self.store.matching("Lead", "Email", email)
                   if r["Id"] != exclude]
        records = [{"additionalInformation": [], "fieldDiffs": [], "matchConfidence": 100.0,
                    "record": {"attributes": {"type": "Lead", "url": f"/services/data/v"
                                              f"{ctx.version}/sobjects/Lead/{i}"}, "Id": i}}
                   for i in matches]
        result = {"allowSave": True, "duplicateRule": "Standard_Lead_Duplicate_Rule",
                  "duplicateRuleEntityType": "Lead", "errorMessage": DUPLICATE_MESSAGE,
                  "matchResults": [{"entityType": "Lead", "errors": [],
                                    "matchEngine": "ExactMatchEngine", "matchRecords": records,
                                    "rule": "Standard_Lead_Match_Rule_v1_0", "size": len(records),
                                    "success": True}]}
        raise RecordRejected([RecordIssue("DUPLICATES_DETECTED", DUPLICATE_MESSAGE, (),
                                          {"duplicateResult": result})])

    # -- commit ---------------------------------------------------------------------------
    def commit(self, plan: _Plan, ctx: WriteContext, now: str) -> str:
        row, name = plan.row, plan.sobject.name
        if plan.old is None:
            if not row.get("Id"):
                row["Id"] = self.ids.new(name)
            row["IsDeleted"] = False
            if not (ctx.system and row.get("CreatedDate")):
                row["CreatedDate"] = now
            row.setdefault("CreatedById", ctx.user_id)
            if not row.get("OwnerId") and plan.meta.has_owner:
                row["OwnerId"] = ctx.user_id
        if ctx.auto_assign and name == "Lead":
            reps = self.reps()
            if reps:
                row["OwnerId"] = reps[_sequence(row["Id"]) % len(reps)]
        if not (ctx.system and "SystemModstamp" in plan.changes):
            row["LastModifiedDate"] = row["SystemModstamp"] = now
            row["LastModifiedById"] = ctx.user_id
        self.store.put(name, row, plan.old)
        return str(row["Id"])


def _sequence(record_id: str) -> int:
    """The creation counter inside an id: the assignment rule's round-robin position."""
    number = 0
    for ch in record_id[6:15]:
        number = number * 62 + _DIGITS[ch]
    return number - 1

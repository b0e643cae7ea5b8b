"""REST handlers of sObject Collections under ``/composite/sobjects``: create, update, upsert
(through an external id, an idLookup field such as ``Email``, or ``Id``), delete and retrieve,
up to 200 records a call with per-record results and ``allOrNone``. The upsert path is the
connector's hot path (see ``docs/sandbox.md``, Throughput): keep it lean."""

from __future__ import annotations

import re
from typing import Any

from .api_errors import ROLLED_BACK, ApiError, RecordIssue
from .dml import Operation, results_json
from .ids import to18, type_of_id
from .rest_records import Handler, RestHandlers, as_object, full_record
from .schema import SObjectDef
from .wire import Request, Response

MAX_COLLECTION = 200
_NO_TYPE = "Must send a concrete entity type."
_NO_ATTRIBUTES = RecordIssue(
    "JSON_PARSER_ERROR", "Each sObject in records must have an attributes map with its type", ())


class CollectionRoutes(RestHandlers):
    def routes(self) -> list[tuple[str, dict[str, Handler]]]:
        return [
            (r"/composite/sobjects/?",
             {"POST": self.collection_create, "PATCH": self.collection_update,
              "DELETE": self.collection_delete}),
            (r"/composite/sobjects/(?P<obj>\w+)/?", {"GET": self.collection_retrieve}),
            (r"/composite/sobjects/(?P<obj>\w+)/(?P<field>\w+)/?",
             {"PATCH": self.collection_upsert}),
        ]

    def records(self, req: Request) -> tuple[bool, list[dict[str, Any]]]:
        body = as_object(req.json())
        records = body.get("records")
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ApiError(400, "JSON_PARSER_ERROR", "records must be a list of sObjects")
        if len(records) > MAX_COLLECTION:
            raise ApiError(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more "
                           f"than {MAX_COLLECTION} records into this call")
        return bool(body.get("allOrNone", False)), records

    def typed(self, record: dict[str, Any], expected: SObjectDef | None = None) -> SObjectDef:
        attributes = record.get("attributes")
        name = attributes.get("type") if isinstance(attributes, dict) else None
        if not name:
            if expected is not None:
                return expected
            raise ApiError(400, "INVALID_TYPE", _NO_TYPE)
        sobject = self.org.catalog.get(str(name))
        if sobject is None or (expected is not None and sobject is not expected):
            raise ApiError(400, "INVALID_TYPE", f"sObject type '{name}' is not supported here")
        return sobject

    @property
    def any_type(self) -> SObjectDef:
        """What an operation that fails before planning names as its type (never read)."""
        return self.org.catalog.objects[0]

    def collection_create(self, req: Request, m: re.Match[str]) -> Response:
        all_or_none, records = self.records(req)
        ops = []
        for record in records:
            if not isinstance(record.get("attributes"), dict):
                ops.append(Operation("create", self.any_type, record,
                                     error=_NO_ATTRIBUTES))
                continue
            sobject = self.typed(record)
            self.writable(sobject, "insert")
            ops.append(Operation("create", sobject, record))
        results = self.save(ops, self.context(req), all_or_none)
        return Response.json(200, results_json(results))

    def collection_update(self, req: Request, m: re.Match[str]) -> Response:
        all_or_none, records = self.records(req)
        ops = []
        for record in records:
            record_id = record.get("id") or record.get("Id")
            if not isinstance(record.get("attributes"), dict):
                ops.append(Operation("update", self.any_type, record,
                                     str(record_id or "") or None, error=_NO_ATTRIBUTES))
                continue
            sobject = self.typed(record)
            self.writable(sobject, "update")
            missing = None if record_id else RecordIssue(
                "MISSING_ARGUMENT", "Id not specified in an update call", ())
            ops.append(Operation("update", sobject, record, str(record_id or ""), error=missing))
        results = self.save(ops, self.context(req), all_or_none)
        return Response.json(200, results_json(results))

    def collection_delete(self, req: Request, m: re.Match[str]) -> Response:
        """``DELETE /composite/sobjects?ids=...&allOrNone=``: one DeleteResult per id."""
        ids = [i.strip() for i in req.query.get("ids", "").split(",") if i.strip()]
        if not ids:
            raise ApiError(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [ids]",
                           ["ids"])
        if len(ids) > MAX_COLLECTION:
            raise ApiError(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more "
                           f"than {MAX_COLLECTION} records into this call")
        all_or_none = req.query.get("allOrNone", "").lower() == "true"
        results: list[dict[str, Any]] = []
        doomed: list[tuple[str, str]] = []
        with self.org.lock:
            for raw in ids:
                issue, target = self._deletable(raw, {i for _, i in doomed})
                if issue is not None:
                    results.append({"id": None, "success": False, "errors": [issue.as_dict()]})
                else:
                    assert target is not None
                    doomed.append(target)
                    results.append({"id": target[1], "success": True, "errors": []})
            if all_or_none and len(doomed) < len(ids):
                for result in results:
                    if result["success"]:
                        result.update(id=None, success=False, errors=[ROLLED_BACK.as_dict()])
                return Response.json(200, results)
            for sobject, record_id in doomed:
                self.org.delete(sobject, record_id)
        return Response.json(200, results)

    def _deletable(self, raw: str, doomed: set[str]
                   ) -> tuple[RecordIssue | None, tuple[str, str] | None]:
        full = to18(raw)
        if full is None:
            return RecordIssue("MALFORMED_ID", f"malformed id {raw}", ()), None
        kind = type_of_id(full)
        sobject = self.org.catalog.get(kind) if kind else None
        row = self.org.store.get(sobject.name, full) if sobject is not None else None
        if sobject is None or row is None:
            return RecordIssue("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id",
                               ()), None
        if not sobject.deletable:
            return RecordIssue("INVALID_TYPE_FOR_OPERATION",
                               f"entity type {sobject.name} does not support delete", ()), None
        if row.get("IsDeleted") or full in doomed:
            return RecordIssue("ENTITY_IS_DELETED", "entity is deleted", ()), None
        return None, (sobject.name, full)

    def collection_upsert(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        fdef = self.lookup_field(sobject, m["field"])
        if fdef is None:
            raise ApiError(400, "INVALID_FIELD", f"Field name provided, {m['field']} is not an "
                           f"External ID or indexed field for {sobject.name}")
        all_or_none, records = self.records(req)
        if fdef.type == "id":
            return self.collection_upsert_by_id(req, sobject, records, all_or_none)
        name, lower = fdef.name, fdef.name.lower()
        keys: list[str | None] = []
        seen: dict[str, int] = {}
        untyped: set[int] = set()
        for record in records:
            attributes = record.get("attributes")
            if attributes.__class__ is not dict or attributes.get("type") != sobject.name:
                if attributes.__class__ is not dict:
                    untyped.add(len(keys))
                else:
                    self.typed(record, sobject)
            raw = record.get(name)
            if raw is None:
                raw = next((v for k, v in record.items() if k.lower() == lower), None)
            if raw is None or raw == "":
                keys.append(None)
            else:
                text = raw if type(raw) is str else str(raw)
                keys.append(text)
                folded = text.casefold()
                seen[folded] = seen.get(folded, 0) + 1
        ops = []
        repeated = len(seen) < len(records)
        for i, (record, key) in enumerate(zip(records, keys, strict=True)):
            error = None
            if untyped and i in untyped:
                error = _NO_ATTRIBUTES
            elif key is None:
                error = RecordIssue("MISSING_ARGUMENT", f"{name} not specified", ())
            elif repeated and seen[key.casefold()] > 1:
                error = RecordIssue("DUPLICATE_EXTERNAL_ID",
                                    f"Duplicate external id specified: {key}", (name,))
            ops.append(Operation("upsert", sobject, record, None, (fdef, key or ""), error))
        results = self.save(ops, self.context(req), all_or_none)
        return Response.json(200, results_json(results, with_created=True))

    def collection_upsert_by_id(self, req: Request, sobject: SObjectDef,
                                records: list[dict[str, Any]], all_or_none: bool) -> Response:
        """Upsert through ``Id``: a record with an Id updates it, one without is created."""
        ops = []
        for record in records:
            record_id = record.get("Id", record.get("id"))
            if not isinstance(record.get("attributes"), dict):
                ops.append(Operation("create", sobject, record, error=_NO_ATTRIBUTES))
            elif record_id:
                self.typed(record, sobject)
                ops.append(Operation("update", sobject, record, str(record_id)))
            else:
                self.typed(record, sobject)
                fields = {k: v for k, v in record.items() if k.lower() != "id"}
                ops.append(Operation("create", sobject, fields))
        results = self.save(ops, self.context(req), all_or_none)
        return Response.json(200, results_json(results, with_created=True))

    def collection_retrieve(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        ids = [i.strip() for i in req.query.get("ids", "").split(",") if i.strip()]
        fields = self.field_list(sobject, req)
        if not ids or not fields:
            raise ApiError(400, "MISSING_ARGUMENT", "ids and fields are required")
        if len(ids) > 2000:
            raise ApiError(400, "EXCEEDED_ID_LIMIT", "too many ids")
        out: list[dict[str, Any] | None] = []
        with self.org.lock:
            for raw in ids:
                full = to18(raw)
                row = self.org.store.get(sobject.name, full) if full else None
                ok = row is not None and not row.get("IsDeleted")
                out.append(full_record(sobject, row, req.version, fields) if ok and row else None)
        return Response.json(200, out)

"""REST handlers that read and write records: single-record create / read / update / upsert /
delete under ``/sobjects`` and sObject Collections under ``/composite/sobjects``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .api_errors import ApiError, RecordIssue, not_found
from .dml import Operation, SaveResult, WriteContext, results_json
from .ids import to18, type_of_id
from .schema import FieldDef, SObjectDef
from .store import Row
from .wire import Request, Response

if TYPE_CHECKING:
    from .simulator import SalesforceSimulator

Handler = Callable[[Request, re.Match[str]], Response]
MAX_COLLECTION = 200
_NO_TYPE = "Must send a concrete entity type."


def record_url(version: str, sobject: str, record_id: str) -> str:
    return f"/services/data/v{version}/sobjects/{sobject}/{record_id}"


def full_record(sobject: SObjectDef, row: Row, version: str,
                fields: list[FieldDef] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"attributes": {"type": sobject.name,
                                          "url": record_url(version, sobject.name, row["Id"])}}
    for fdef in fields or sobject.fields:
        out[fdef.name] = row.get(fdef.name)
    return out


def _as_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError(400, "JSON_PARSER_ERROR",
                       "Cannot deserialize instance of sObject from a non-object JSON value")
    return value


class RecordRoutes:
    def __init__(self, sim: SalesforceSimulator) -> None:
        self.sim = sim
        self.org = sim.org

    def routes(self) -> list[tuple[str, dict[str, Handler]]]:
        return [
            (r"/sobjects/(?P<obj>\w+)/(?P<id>[^/]+)/?",
             {"GET": self.get, "PATCH": self.update, "DELETE": self.delete}),
            (r"/sobjects/(?P<obj>\w+)/(?P<field>[^/]+)/(?P<value>.+)",
             {"GET": self.get_by_external, "PATCH": self.upsert}),
            (r"/sobjects/(?P<obj>\w+)/?", {"POST": self.create}),
            (r"/composite/sobjects/?",
             {"POST": self.collection_create, "PATCH": self.collection_update}),
            (r"/composite/sobjects/(?P<obj>\w+)/?", {"GET": self.collection_retrieve}),
            (r"/composite/sobjects/(?P<obj>\w+)/(?P<field>\w+)/?",
             {"PATCH": self.collection_upsert}),
        ]

    # -- helpers --------------------------------------------------------------------------
    def sobject(self, name: str) -> SObjectDef:
        found = self.org.catalog.get(name)
        if found is None:
            raise not_found()
        return found

    def context(self, req: Request) -> WriteContext:
        assign = req.headers.get("sforce-auto-assign", "TRUE").strip().upper() != "FALSE"
        dup = req.headers.get("sforce-duplicate-rule-header", "").replace(" ", "").lower()
        return WriteContext(user_id=req.user_id, version=req.version, auto_assign=assign,
                            allow_duplicate_save="allowsave=true" in dup)

    def save(self, ops: list[Operation], ctx: WriteContext,
             all_or_none: bool = False) -> list[SaveResult]:
        with self.org.lock:
            return self.org.engine.save(ops, ctx, self.org.now(), all_or_none=all_or_none)

    def existing(self, sobject: SObjectDef, raw_id: str) -> Row:
        full = to18(raw_id)
        if full is None:
            raise not_found()
        row = self.org.store.get(sobject.name, full) if type_of_id(full) == sobject.name else None
        if row is None:
            raise not_found()
        if row.get("IsDeleted"):
            raise ApiError(404, "ENTITY_IS_DELETED", "entity is deleted")
        return row

    def writable(self, sobject: SObjectDef, verb: str) -> None:
        if not (sobject.createable if verb == "insert" else sobject.updateable):
            raise ApiError(400, "INVALID_TYPE_FOR_OPERATION",
                           f"entity type {sobject.name} does not support {verb}")

    @staticmethod
    def failed(result: SaveResult) -> Response:
        return Response.json(400, [e.as_api_item() for e in result.errors])

    def external_field(self, sobject: SObjectDef, name: str) -> FieldDef | None:
        fdef = sobject.field(name)
        return fdef if fdef is not None and fdef.external_id else None

    # -- single records -------------------------------------------------------------------
    def create(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        self.writable(sobject, "insert")
        payload = _as_object(req.json())
        result = self.save([Operation("create", sobject, payload)], self.context(req))[0]
        if not result.success:
            return self.failed(result)
        return Response.json(201, {"id": result.id, "success": True, "errors": []})

    def get(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        with self.org.lock:
            row = self.existing(sobject, m["id"])
        return Response.json(200, full_record(sobject, row, req.version,
                                              self.field_list(sobject, req)))

    def field_list(self, sobject: SObjectDef, req: Request) -> list[FieldDef] | None:
        names = [n.strip() for n in req.query.get("fields", "").split(",") if n.strip()]
        fields = []
        for name in names:
            fdef = sobject.field(name)
            if fdef is None:
                raise ApiError(400, "INVALID_FIELD",
                               f"No such column '{name}' on sobject of type {sobject.name}")
            fields.append(fdef)
        return fields or None

    def update(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        self.writable(sobject, "update")
        payload = _as_object(req.json())
        with self.org.lock:
            row = self.existing(sobject, m["id"])
            result = self.save([Operation("update", sobject, payload, row["Id"])],
                               self.context(req))[0]
        return self.failed(result) if not result.success else Response(204)

    def delete(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        with self.org.lock:
            row = self.existing(sobject, m["id"])
            self.org.delete(sobject.name, row["Id"])
        return Response(204)

    def get_by_external(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        fdef = self.external_field(sobject, m["field"])
        if fdef is None:
            raise not_found()
        with self.org.lock:
            matches = self.org.store.matching(sobject.name, fdef.name, m["value"])
        if not matches:
            raise not_found()
        if len(matches) > 1:
            return Response.json(300, [record_url(req.version, sobject.name, r["Id"])
                                       for r in matches])
        return Response.json(200, full_record(sobject, matches[0], req.version,
                                              self.field_list(sobject, req)))

    def upsert(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        fdef = self.external_field(sobject, m["field"])
        if fdef is None:
            raise not_found("Provided external ID field does not exist or is not accessible: "
                            f"{m['field']}")
        value = m["value"]
        payload = dict(_as_object(req.json()))
        for key in [k for k in payload if k.lower() == fdef.name.lower()]:
            if str(payload.pop(key)).casefold() != value.casefold():
                raise ApiError(400, "INVALID_FIELD", f"{fdef.name}: the value in the request "
                               "body does not match the external id in the URL")
        payload[fdef.name] = value
        with self.org.lock:
            matches = self.org.store.matching(sobject.name, fdef.name, value)
            if len(matches) > 1:
                return Response.json(300, [record_url(req.version, sobject.name, r["Id"])
                                           for r in matches])
            if not matches and req.query.get("updateOnly", "").lower() == "true":
                raise not_found()
            self.writable(sobject, "update" if matches else "insert")
            op = Operation("upsert", sobject, payload, external=(fdef, value))
            result = self.save([op], self.context(req))[0]
        if not result.success:
            return self.failed(result)
        body: dict[str, Any] = {"id": result.id, "success": True, "errors": [],
                                "created": bool(result.created)}
        if result.created:
            return Response.json(201, body)
        return Response.json(200, body) if float(req.version) >= 46.0 else Response(204)

    # -- collections ----------------------------------------------------------------------
    def records(self, req: Request) -> tuple[bool, list[dict[str, Any]]]:
        body = _as_object(req.json())
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

    def collection_create(self, req: Request, m: re.Match[str]) -> Response:
        all_or_none, records = self.records(req)
        ops = []
        for record in records:
            sobject = self.typed(record)
            self.writable(sobject, "insert")
            ops.append(Operation("create", sobject, record))
        results = self.save(ops, self.context(req), all_or_none)
        return Response.json(200, results_json(results))

    def collection_update(self, req: Request, m: re.Match[str]) -> Response:
        all_or_none, records = self.records(req)
        ops = []
        for record in records:
            sobject = self.typed(record)
            self.writable(sobject, "update")
            record_id = record.get("id") or record.get("Id")
            missing = None if record_id else RecordIssue(
                "MISSING_ARGUMENT", "Id not specified in an update call", ())
            ops.append(Operation("update", sobject, record, str(record_id or ""), error=missing))
        results = self.save(ops, self.context(req), all_or_none)
        return Response.json(200, results_json(results))

    def collection_upsert(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        fdef = self.external_field(sobject, m["field"])
        if fdef is None:
            raise ApiError(400, "INVALID_FIELD", f"Field name provided, {m['field']} is not an "
                           f"External ID or indexed field for {sobject.name}")
        all_or_none, records = self.records(req)
        name, lower = fdef.name, fdef.name.lower()
        keys: list[str | None] = []
        seen: dict[str, int] = {}
        for record in records:
            attributes = record.get("attributes")
            if attributes is not None and (attributes.__class__ is not dict
                                           or attributes.get("type") != sobject.name):
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
        for record, key in zip(records, keys, strict=True):
            error = None
            if key is None:
                error = RecordIssue("MISSING_ARGUMENT", f"{name} not specified", ())
            elif repeated and seen[key.casefold()] > 1:
                error = RecordIssue("DUPLICATE_EXTERNAL_ID",
                                    f"Duplicate external id specified: {key}", (name,))
            ops.append(Operation("upsert", sobject, record, None, (fdef, key or ""), error))
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

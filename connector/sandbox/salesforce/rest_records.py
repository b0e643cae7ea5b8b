"""REST handlers that read and write records: single-record create / read / update / upsert /
delete under ``/sobjects`` and sObject Collections under ``/composite/sobjects``.

Records are addressed by ``Id`` or by any field describe marks ``idLookup`` (external ids,
``Email`` on Lead and Contact, ``Name`` on Account and Opportunity, ``Username``):
``/sobjects/{obj}/{field}/{value}`` reads (GET), upserts (PATCH, ``?updateOnly=true`` never
creates) and deletes (DELETE); several matches answer 300 with the records' URLs. With ``Id``
as the field an upsert only updates, and ``POST /sobjects/{obj}/Id`` creates. Every 201 carries
a ``Location`` header."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .api_errors import ROLLED_BACK, ApiError, RecordIssue, not_found
from .dml import Operation, SaveResult, WriteContext, results_json
from .ids import to18, type_of_id
from .schema import FieldDef, SObjectDef, compound_address
from .store import Row
from .wire import Request, Response

if TYPE_CHECKING:
    from .simulator import SalesforceSimulator

Handler = Callable[[Request, re.Match[str]], Response]
MAX_COLLECTION = 200
_NO_TYPE = "Must send a concrete entity type."
_NO_ATTRIBUTES = RecordIssue(
    "JSON_PARSER_ERROR", "Each sObject in records must have an attributes map with its type", ())


def record_url(version: str, sobject: str, record_id: str) -> str:
    return f"/services/data/v{version}/sobjects/{sobject}/{record_id}"


def full_record(sobject: SObjectDef, row: Row, version: str,
                fields: list[FieldDef] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"attributes": {"type": sobject.name,
                                          "url": record_url(version, sobject.name, row["Id"])}}
    for fdef in fields or sobject.fields:
        out[fdef.name] = compound_address(row, fdef.name) if fdef.type == "address" \
            else row.get(fdef.name)
    return out


def created(version: str, sobject: str, body: dict[str, Any]) -> Response:
    """201 Created with the new record's ``Location``, as Salesforce answers every create."""
    response = Response.json(201, body)
    response.headers.append((b"location", record_url(version, sobject, body["id"]).encode()))
    return response


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
             {"GET": self.get, "PATCH": self.update, "DELETE": self.delete,
              "POST": self.create_through_id}),
            (r"/sobjects/(?P<obj>\w+)/(?P<field>[^/]+)/(?P<value>.+)",
             {"GET": self.get_by_external, "PATCH": self.upsert,
              "DELETE": self.delete_by_external}),
            (r"/sobjects/(?P<obj>\w+)/?", {"POST": self.create}),
            (r"/composite/sobjects/?",
             {"POST": self.collection_create, "PATCH": self.collection_update,
              "DELETE": self.collection_delete}),
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

    def lookup_field(self, sobject: SObjectDef, name: str) -> FieldDef | None:
        """``name`` when it may address records: ``Id``, an external id or an idLookup field."""
        fdef = sobject.field(name)
        return fdef if fdef is not None and (fdef.external_id or fdef.is_id_lookup) else None

    def find(self, sobject: SObjectDef, fdef: FieldDef, value: str) -> list[Row]:
        """The live records whose ``fdef`` is ``value`` (call under the org lock)."""
        if fdef.type == "id":
            full = to18(value)
            row = self.org.store.get(sobject.name, full) \
                if full and type_of_id(full) == sobject.name else None
            return [row] if row is not None and not row.get("IsDeleted") else []
        return self.org.store.matching(sobject.name, fdef.name, value)

    @staticmethod
    def several(version: str, sobject: SObjectDef, rows: list[Row]) -> Response:
        """300 Multiple Choices: the URLs of the records that match."""
        return Response.json(300, [record_url(version, sobject.name, r["Id"]) for r in rows])

    # -- single records -------------------------------------------------------------------
    def create(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        self.writable(sobject, "insert")
        payload = _as_object(req.json())
        result = self.save([Operation("create", sobject, payload)], self.context(req))[0]
        if not result.success:
            return self.failed(result)
        return created(req.version, sobject.name, {"id": result.id, "success": True,
                                                   "errors": []})

    def create_through_id(self, req: Request, m: re.Match[str]) -> Response:
        """``POST /sobjects/{obj}/Id``: a create addressed through the Id field."""
        if m["id"].lower() != "id":
            raise ApiError(405, "METHOD_NOT_ALLOWED", "HTTP Method 'POST' not allowed. Allowed "
                           "are DELETE,GET,HEAD,PATCH")
        sobject = self.sobject(m["obj"])
        payload = dict(_as_object(req.json()))
        for key in [k for k in payload if k.lower() == "id"]:
            if payload.pop(key) is not None:
                raise ApiError(400, "INVALID_FIELD", "cannot specify Id in an insert call",
                               ["Id"])
        self.writable(sobject, "insert")
        result = self.save([Operation("create", sobject, payload)], self.context(req))[0]
        if not result.success:
            return self.failed(result)
        return created(req.version, sobject.name, {"id": result.id, "success": True,
                                                   "errors": [], "created": True})

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
        fdef = self.lookup_field(sobject, m["field"])
        if fdef is None:
            raise not_found()
        with self.org.lock:
            matches = self.find(sobject, fdef, m["value"])
        if not matches:
            raise not_found()
        if len(matches) > 1:
            return self.several(req.version, sobject, matches)
        return Response.json(200, full_record(sobject, matches[0], req.version,
                                              self.field_list(sobject, req)))

    def delete_by_external(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        fdef = self.lookup_field(sobject, m["field"])
        if fdef is None:
            raise not_found()
        if not sobject.deletable:
            raise ApiError(400, "INVALID_TYPE_FOR_OPERATION",
                           f"entity type {sobject.name} does not support delete")
        with self.org.lock:
            matches = self.find(sobject, fdef, m["value"])
            if len(matches) > 1:
                return self.several(req.version, sobject, matches)
            if not matches:
                raise not_found()
            self.org.delete(sobject.name, matches[0]["Id"])
        return Response(204)

    def upsert(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        fdef = self.lookup_field(sobject, m["field"])
        if fdef is None:
            raise not_found("Provided external ID field does not exist or is not accessible: "
                            f"{m['field']}")
        value = m["value"]
        payload = dict(_as_object(req.json()))
        for key in [k for k in payload if k.lower() == fdef.name.lower()]:
            if str(payload.pop(key)).casefold() != value.casefold():
                raise ApiError(400, "INVALID_FIELD", f"{fdef.name}: the value in the request "
                               "body does not match the external id in the URL")
        if fdef.type != "id":
            payload[fdef.name] = value
        with self.org.lock:
            matches = self.find(sobject, fdef, value)
            if len(matches) > 1:
                return self.several(req.version, sobject, matches)
            if not matches and (fdef.type == "id"
                                or req.query.get("updateOnly", "").lower() == "true"):
                raise not_found()  # an Id names a record: upsert through it only updates
            self.writable(sobject, "update" if matches else "insert")
            if fdef.type == "id":
                op = Operation("update", sobject, payload, matches[0]["Id"])
            else:
                op = Operation("upsert", sobject, payload, external=(fdef, value))
            result = self.save([op], self.context(req))[0]
        if not result.success:
            return self.failed(result)
        body: dict[str, Any] = {"id": result.id, "success": True, "errors": [],
                                "created": bool(result.created)}
        if result.created:
            return created(req.version, sobject.name, body)
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

"""REST handlers that read and write records: single-record create / read / update / upsert /
delete under ``/sobjects`` (sObject Collections are in ``rest_collections.py``).

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

from .api_errors import ApiError, not_found
from .dml import Operation, SaveResult, WriteContext
from .ids import to18, type_of_id
from .schema import FieldDef, SObjectDef, compound_address
from .store import Row
from .wire import Request, Response

if TYPE_CHECKING:
    from .simulator import SalesforceSimulator

Handler = Callable[[Request, re.Match[str]], Response]


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


def as_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError(400, "JSON_PARSER_ERROR",
                       "Cannot deserialize instance of sObject from a non-object JSON value")
    return value


class RestHandlers:
    """What the single-record and the collection handlers share."""

    def __init__(self, sim: SalesforceSimulator) -> None:
        self.sim = sim
        self.org = sim.org

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


class RecordRoutes(RestHandlers):
    def routes(self) -> list[tuple[str, dict[str, Handler]]]:
        return [
            (r"/sobjects/(?P<obj>\w+)/(?P<id>[^/]+)/?",
             {"GET": self.get, "PATCH": self.update, "DELETE": self.delete,
              "POST": self.create_through_id}),
            (r"/sobjects/(?P<obj>\w+)/(?P<field>[^/]+)/(?P<value>.+)",
             {"GET": self.get_by_external, "PATCH": self.upsert,
              "DELETE": self.delete_by_external}),
            (r"/sobjects/(?P<obj>\w+)/?", {"POST": self.create}),
        ]

    # -- single records -------------------------------------------------------------------
    def create(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        self.writable(sobject, "insert")
        payload = as_object(req.json())
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
        payload = dict(as_object(req.json()))
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

    def update(self, req: Request, m: re.Match[str]) -> Response:
        sobject = self.sobject(m["obj"])
        self.writable(sobject, "update")
        payload = as_object(req.json())
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
        payload = dict(as_object(req.json()))
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

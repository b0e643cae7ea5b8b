"""Bind a parsed SOQL query to the org's schema (``soql_run`` executes the result).

Binding resolves every field path (``Owner.Name`` walks ``relationshipName``), checks each
literal against its field's type (``INVALID_FIELD`` on a mismatch, as Salesforce reports it) and
compiles the WHERE clause into one Python predicate. Equality / IN on an indexed field (Id, an
external id, Email) is answered from the org's indexes instead of a scan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from .api_errors import ApiError, invalid_field, invalid_type, malformed_query, no_such_column
from .catalog import Catalog
from .ids import to18
from .schema import FieldDef, SObjectDef, compound_address
from .sftime import day_start, format_datetime
from .soql_parse import LIKE_PERCENT, LIKE_UNDERSCORE, BoolOp, Comparison, Condition, Literal, Not
from .soql_parse import Query as ParsedQuery

Row = dict[str, Any]
Accessor = Callable[[Row], Any]
Predicate = Callable[[Row], bool]
_TEXT = frozenset({"string", "textarea", "phone", "url", "email", "picklist", "combobox"})
_NUMBER = frozenset({"int", "double", "currency", "percent"})
_TYPE_WORD = {"datetime": "dateTime", "date": "date", "boolean": "boolean", "int": "integer",
              "double": "double", "currency": "double", "percent": "double", "id": "id",
              "reference": "id"}


class QuerySource(Protocol):
    catalog: Catalog

    def rows(self, sobject: str) -> Iterable[Row]: ...

    def lookup(self, sobject: str, field: str, values: list[str]) -> list[Row] | None: ...

    def by_id(self, record_id: str) -> Row | None: ...


@dataclass(frozen=True)
class Column:
    path: tuple[str, ...]  # canonical names: relationship names, then the field name
    field: FieldDef
    accessor: Accessor
    hops: tuple[str, ...]  # reference field names walked for each relationship


@dataclass
class BoundQuery:
    sobject: SObjectDef
    count_only: bool
    columns: list[Column]
    predicate: Predicate | None
    order: list[tuple[Accessor, bool, bool, bool]]  # accessor, descending, nulls_first, fold
    limit: int | None
    offset: int | None
    index_plan: tuple[str, list[str]] | None


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


class Binder:
    def __init__(self, source: QuerySource, now: datetime) -> None:
        self.source = source
        self.now = now

    def bind(self, query: ParsedQuery) -> BoundQuery:
        sobject = self.source.catalog.get(query.sobject)
        if sobject is None:
            raise invalid_type(query.sobject)
        columns, seen = [], set()
        for name in query.fields:
            column = self.resolve(sobject, name)
            key = ".".join(column.path).lower()
            if key in seen:
                raise malformed_query(f"duplicate field selected: {name}")
            seen.add(key)
            columns.append(column)
        predicate = self.condition(sobject, query.where) if query.where else None
        order = []
        for item in query.order:
            column = self.resolve(sobject, item.field)
            if not column.field.filterable:
                raise invalid_field(
                    f"field '{column.field.name}' can not be sorted in a query call")
            order.append((column.accessor, item.descending, item.nulls_first,
                          column.field.type in _TEXT))
        plan = self.index_plan(sobject, query.where)
        return BoundQuery(sobject, query.count_only, columns, predicate, order, query.limit,
                          query.offset, plan)

    # -- fields ---------------------------------------------------------------------------
    def resolve(self, sobject: SObjectDef, name: str) -> Column:
        parts = name.split(".")
        if len(parts) > 1 and parts[0].lower() == sobject.name.lower() \
                and parts[0].lower() not in sobject.by_relationship:
            parts = parts[1:]
        current, path, hops = [sobject], [], []
        for rel in parts[:-1]:
            ref = current[0].by_relationship.get(rel.lower())
            if ref is None:
                raise invalid_field(
                    f"Didn't understand relationship '{rel}' in field path. If you are attempting "
                    "to use a custom relationship, be sure to append the '__r' after the custom "
                    "relationship name. Please reference your WSDL or the describe call for the "
                    "appropriate names.")
            path.append(ref.relationship_name or rel)
            hops.append(ref.name)
            targets = [self.source.catalog.get(t) for t in ref.reference_to]
            current = [t for t in targets if t is not None]
            if not current:
                raise invalid_field(no_such_column(parts[-1], ref.reference_to[0]))
        fdefs = [obj.field(parts[-1]) for obj in current]
        fdef = fdefs[0]
        if fdef is None or any(f is None for f in fdefs):
            raise invalid_field(no_such_column(parts[-1], current[0].name))
        path.append(fdef.name)
        if fdef.type == "address":
            if hops:
                raise invalid_field(no_such_column(parts[-1], current[0].name))
            name = fdef.name
            return Column(tuple(path), fdef, lambda row: compound_address(row, name), ())
        return Column(tuple(path), fdef, self._accessor(tuple(hops), fdef.name), tuple(hops))

    def _accessor(self, hops: tuple[str, ...], name: str) -> Accessor:
        if not hops:
            return lambda row: row.get(name)
        by_id = self.source.by_id

        def walk(row: Row) -> Any:
            current: Row | None = row
            for hop in hops:
                ref = current.get(hop) if current is not None else None
                current = by_id(ref) if ref else None
            return current.get(name) if current is not None else None
        return walk

    # -- conditions -----------------------------------------------------------------------
    def condition(self, sobject: SObjectDef, cond: Condition) -> Predicate:
        if isinstance(cond, BoolOp):
            parts = [self.condition(sobject, c) for c in cond.items]
            if cond.op == "AND":
                return lambda row: all(p(row) for p in parts)
            return lambda row: any(p(row) for p in parts)
        if isinstance(cond, Not):
            inner = self.condition(sobject, cond.item)
            return lambda row: not inner(row)
        return self.comparison(sobject, cond)

    def comparison(self, sobject: SObjectDef, cmp: Comparison) -> Predicate:
        column = self.resolve(sobject, cmp.field)
        fdef, get = column.field, column.accessor
        if not fdef.filterable:
            raise invalid_field(f"field '{fdef.name}' can not be filtered in a query call")
        op = cmp.op
        if op in ("IN", "NOTIN"):
            values = {self.value(fdef, lit, allow_null=True) for lit in cmp.values}
            if fdef.type in _TEXT:
                if op == "IN":
                    return lambda row: _fold(get(row)) in values
                return lambda row: _fold(get(row)) not in values
            if op == "IN":
                return lambda row: get(row) in values
            return lambda row: get(row) not in values
        lit = cmp.values[0]
        if op == "LIKE":
            if fdef.type not in _TEXT or lit.kind != "string":
                raise ApiError(400, "INVALID_QUERY_FILTER_OPERATOR",
                               f"invalid operator on field '{fdef.name}': LIKE")
            regex = _like_regex(lit.value)
            return lambda row: (v := get(row)) is not None and regex.fullmatch(v) is not None
        if lit.kind == "null":
            if op == "=":
                return lambda row: get(row) is None
            if op == "!=":
                return lambda row: get(row) is not None
            raise malformed_query(f"invalid operator {op} with null on field '{fdef.name}'")
        if lit.kind == "dateliteral":
            return self.date_range(fdef, get, op, lit)
        if fdef.type == "boolean" and op not in ("=", "!="):
            raise ApiError(400, "INVALID_QUERY_FILTER_OPERATOR",
                           f"invalid operator on boolean field '{fdef.name}': {op}")
        value = self.value(fdef, lit, allow_null=False)
        fold = fdef.type in _TEXT
        return _compare(get, op, value, fold)

    def value(self, fdef: FieldDef, lit: Literal, *, allow_null: bool) -> Any:
        kind, ftype = lit.kind, fdef.type
        if kind == "null" and allow_null:
            return None
        if ftype in _TEXT and kind == "string":
            return lit.value.replace(LIKE_PERCENT, "%").replace(LIKE_UNDERSCORE, "_").casefold()
        if ftype in ("id", "reference") and kind == "string":
            full = to18(lit.value)
            if full is None:
                raise ApiError(400, "INVALID_QUERY_FILTER_OPERATOR",
                               f"invalid ID field: {lit.value}")
            return full
        if ftype in _NUMBER and kind == "number":
            return lit.value
        if (ftype == "boolean" and kind == "bool") or (ftype == kind == "date"):
            return lit.value
        if ftype == kind == "datetime":
            return lit.value
        word = _TYPE_WORD.get(ftype, "string")
        if ftype in _TEXT or ftype in ("id", "reference"):
            raise invalid_field(f"value of filter criterion for field '{fdef.name}' must be of "
                                "type string and should be enclosed in quotes")
        hint = " and should not be enclosed in quotes" if kind == "string" else ""
        raise invalid_field(
            f"value of filter criterion for field '{fdef.name}' must be of type {word}{hint}")

    def date_range(self, fdef: FieldDef, get: Accessor, op: str, lit: Literal) -> Predicate:
        if fdef.type not in ("date", "datetime"):
            raise invalid_field(f"value of filter criterion for field '{fdef.name}' must be of "
                                f"type {_TYPE_WORD.get(fdef.type, 'string')}")
        name, n = lit.value
        today = day_start(self.now)
        starts = {"TODAY": (0, 1), "YESTERDAY": (-1, 0), "TOMORROW": (1, 2),
                  "LAST_N_DAYS": (-n, 1), "NEXT_N_DAYS": (1, n + 1)}
        lo_days, hi_days = starts[name]
        lo, hi = today + timedelta(days=lo_days), today + timedelta(days=hi_days)
        if fdef.type == "date":
            low, high = lo.date().isoformat(), hi.date().isoformat()
        else:
            low, high = format_datetime(lo), format_datetime(hi)
        tests: dict[str, Callable[[Any], bool]] = {
            "=": lambda v: low <= v < high, "!=": lambda v: not low <= v < high,
            "<": lambda v: v < low, "<=": lambda v: v < high,
            ">": lambda v: v >= high, ">=": lambda v: v >= low,
        }
        test = tests[op]
        if op == "!=":
            return lambda row: (v := get(row)) is None or test(v)
        return lambda row: (v := get(row)) is not None and test(v)

    # -- planning -------------------------------------------------------------------------
    def index_plan(self, sobject: SObjectDef,
                   cond: Condition | None) -> tuple[str, list[str]] | None:
        candidates = cond.items if isinstance(cond, BoolOp) and cond.op == "AND" else (cond,)
        for item in candidates:
            if not isinstance(item, Comparison) or item.op not in ("=", "IN") or "." in item.field:
                continue
            fdef = sobject.field(item.field)
            if fdef is None or not (fdef.type == "id" or fdef.external_id or fdef.name == "Email"):
                continue
            lits = item.values
            if any(lit.kind != "string" for lit in lits):
                continue
            return fdef.name, [lit.value for lit in lits]
        return None


def _compare(get: Accessor, op: str, value: Any, fold: bool) -> Predicate:
    if op == "=":
        if fold:
            return lambda row: (v := get(row)) is not None and v.casefold() == value
        return lambda row: get(row) == value
    if op == "!=":
        if fold:
            return lambda row: (v := get(row)) is None or v.casefold() != value
        return lambda row: get(row) != value
    ops: dict[str, Callable[[Any, Any], bool]] = {
        "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
    test = ops[op]
    if fold:
        return lambda row: (v := get(row)) is not None and test(v.casefold(), value)
    return lambda row: (v := get(row)) is not None and test(v, value)


def _like_regex(pattern: str) -> re.Pattern[str]:
    out = []
    for ch in pattern:
        if ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        elif ch == LIKE_PERCENT:
            out.append("%")
        elif ch == LIKE_UNDERSCORE:
            out.append("_")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)

"""Run a bound SOQL query: candidate rows from an index or a scan, the compiled predicate,
ORDER BY (nulls first / last, text case-insensitive), OFFSET / LIMIT, and rendering of result
records as the REST API returns them (``attributes`` and nested parent records)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .ids import type_of_id
from .soql_bind import Accessor, Binder, BoundQuery, QuerySource, Row
from .soql_parse import parse as parse_soql


def execute(bound: BoundQuery, source: QuerySource, *, include_deleted: bool) -> list[Row]:
    """The matching rows, ordered and limited (snapshots: rows are never mutated in place)."""
    rows: Iterable[Row] | None = None
    if bound.index_plan is not None:
        rows = source.lookup(bound.sobject.name, *bound.index_plan)
    if rows is None:
        rows = source.rows(bound.sobject.name)
    pred = bound.predicate
    result = [r for r in rows if (include_deleted or not r.get("IsDeleted"))
              and (pred is None or pred(r))]
    for accessor, descending, nulls_first, fold in reversed(bound.order):
        null_rank = 2 if nulls_first == descending else 0

        def key(row: Row, get: Accessor = accessor, fold: bool = fold,
                null_rank: int = null_rank) -> tuple[Any, ...]:
            value = get(row)
            if value is None:
                return (null_rank,)
            return (1, value.casefold() if fold else value)
        result.sort(key=key, reverse=descending)
    start = bound.offset or 0
    end = None if bound.limit is None else start + bound.limit
    return result[start:end] if (start or end is not None) else result


def render(bound: BoundQuery, row: Row, version: str, source: QuerySource) -> Row:
    """One query result record as the REST API returns it (``attributes`` + selected fields)."""
    name = bound.sobject.name
    out: Row = {"attributes": {"type": name,
                               "url": f"/services/data/v{version}/sobjects/{name}/{row['Id']}"}}
    for column in bound.columns:
        if len(column.path) == 1:
            out[column.field.name] = column.accessor(row) if column.field.type == "address" \
                else row.get(column.field.name)
            continue
        target: Row | None = out
        current: Row | None = row
        for rel, hop in zip(column.path[:-1], column.hops, strict=True):
            assert target is not None
            ref = current.get(hop) if current is not None else None
            current = source.by_id(ref) if ref else None
            if current is None:
                target.setdefault(rel, None)
                target = None
                break
            nested = target.get(rel)
            if nested is None:
                kind = type_of_id(current["Id"]) or ""
                nested = {"attributes": {
                    "type": kind,
                    "url": f"/services/data/v{version}/sobjects/{kind}/{current['Id']}"}}
                target[rel] = nested
            target = nested
        if target is not None and current is not None:
            target[column.field.name] = current.get(column.field.name)
    return out


def prepare(text: str, source: QuerySource, now: datetime) -> BoundQuery:
    return Binder(source, now).bind(parse_soql(text))

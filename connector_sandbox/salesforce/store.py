"""In-memory tables of the org with the indexes the hot paths need.

Rows are plain dicts of canonical field name -> stored value and are never mutated once stored:
a write replaces the row (copy-on-write), so a query's cached result list is a true snapshot for
``nextRecordsUrl`` paging. Indexes: by Id (the table itself), by every external id field and by
Email (Lead, Contact), keyed case-insensitively as Salesforce matches them. An index entry is
the one record id holding that value, or, once several hold it, an insertion-ordered dict of
them (most values have one holder, and a string costs far less than a dict per value).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .catalog import Catalog
from .ids import to18, type_of_id

Row = dict[str, Any]
Holders = str | dict[str, None]
EMAIL_INDEXED = ("Lead", "Contact")


def _ids(holders: Holders) -> Iterable[str]:
    return (holders,) if isinstance(holders, str) else holders


class OrgStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.tables: dict[str, dict[str, Row]] = {o.name: {} for o in catalog.objects}
        self._indexed: dict[str, tuple[str, ...]] = {}
        for obj in catalog.objects:
            names = [f.name for f in obj.external_id_fields]
            if obj.name in EMAIL_INDEXED:
                names.append("Email")
            self._indexed[obj.name] = tuple(names)
        self._index: dict[tuple[str, str], dict[str, Holders]] = {
            (obj, name): {} for obj, names in self._indexed.items() for name in names}

    def clear(self) -> None:
        for table in self.tables.values():
            table.clear()
        for index in self._index.values():
            index.clear()

    # -- reads ----------------------------------------------------------------------------
    def rows(self, sobject: str) -> Iterable[Row]:
        return list(self.tables[sobject].values())

    def by_id(self, record_id: str) -> Row | None:
        kind = type_of_id(record_id)
        table = self.tables.get(kind) if kind else None
        if table is None:
            return None
        row = table.get(record_id)
        if row is None and len(record_id) == 15:
            full = to18(record_id)
            row = table.get(full) if full else None
        return row

    def get(self, sobject: str, record_id: str) -> Row | None:
        return self.tables[sobject].get(record_id)

    def indexed(self, sobject: str, field: str) -> bool:
        return field == "Id" or field in self._indexed.get(sobject, ())

    def lookup(self, sobject: str, field: str, values: list[str]) -> list[Row] | None:
        """Rows whose ``field`` equals one of ``values`` (case-insensitive); None if unindexed."""
        table = self.tables[sobject]
        if field == "Id":
            full = (to18(v) for v in values)
            found = (table.get(f) for f in dict.fromkeys(full) if f)
            return [r for r in found if r is not None]
        index = self._index.get((sobject, field))
        if index is None:
            return None
        ids: dict[str, None] = {}
        for value in values:
            holders = index.get(value.casefold())
            if holders is not None:
                for record_id in _ids(holders):
                    ids[record_id] = None
        return [table[i] for i in ids]

    def matching(self, sobject: str, field: str, value: str) -> list[Row]:
        """Live (not deleted) rows whose ``field`` equals ``value`` (case-insensitively): from
        the index, or a scan for a field without one (idLookup fields such as Name)."""
        index = self._index.get((sobject, field))
        table = self.tables[sobject]
        if index is None:
            folded = value.casefold()
            return [r for r in table.values() if not r.get("IsDeleted")
                    and isinstance(r.get(field), str) and r[field].casefold() == folded]
        holders = index.get(value.casefold())
        if holders is None:
            return []
        return [table[i] for i in _ids(holders) if not table[i].get("IsDeleted")]

    def other_holder(self, sobject: str, field: str, value: str,
                     exclude: str | None) -> str | None:
        """The id of a live row other than ``exclude`` whose indexed ``field`` is ``value``."""
        holders = self._index[(sobject, field)].get(value.casefold())
        if holders is None:
            return None
        table = self.tables[sobject]
        for record_id in _ids(holders):
            if record_id != exclude and not table[record_id].get("IsDeleted"):
                return record_id
        return None

    def count(self, sobject: str) -> int:
        return sum(1 for r in self.tables[sobject].values() if not r.get("IsDeleted"))

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    # -- writes ---------------------------------------------------------------------------
    def put(self, sobject: str, row: Row, old: Row | None) -> None:
        record_id = row["Id"]
        for name in self._indexed[sobject]:
            before = old.get(name) if old is not None else None
            after = row.get(name)
            if before == after:
                continue
            index = self._index[(sobject, name)]
            if before is not None:
                key = before.casefold()
                holders = index.get(key)
                if holders == record_id:
                    del index[key]
                elif isinstance(holders, dict):
                    holders.pop(record_id, None)
                    if len(holders) == 1:
                        index[key] = next(iter(holders))
            if after is not None:
                key = after.casefold()
                holders = index.get(key)
                if holders is None:
                    index[key] = record_id
                elif isinstance(holders, str):
                    if holders != record_id:
                        index[key] = {holders: None, record_id: None}
                else:
                    holders[record_id] = None
        self.tables[sobject][record_id] = row

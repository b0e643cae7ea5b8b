"""Exported contacts from ``.jsonl`` or ``.csv`` files, streamed one row at a time.

- JSON lines: each line is ``{"id": ..., "properties": {...}}`` (HubSpot's shape) or a flat
  object of properties; the id is ``id``, else ``hs_object_id``.
- CSV: the header holds property names; the id column is ``hs_object_id``, ``id`` or
  HubSpot's export header ``Record ID``. Empty cells are missing values.

Values become strings as HubSpot returns them (``12`` -> ``"12"``, ``true`` -> ``"true"``).
A bad row never stops the stream: it is yielded as a ``BadRow`` with its line number.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connector.qualification.facts import parse_timestamp
from connector.records import Contact

ID_COLUMNS = ("hs_object_id", "id", "Record ID")


@dataclass(frozen=True)
class BadRow:
    line: int
    message: str


def read_contacts(path: str | os.PathLike[str]) -> Iterator[Contact | BadRow]:
    """Contacts (or bad rows) from ``path``, by its suffix: ``.csv`` or JSON lines."""
    if Path(path).suffix.lower() == ".csv":
        return _read_csv(path)
    return _read_jsonl(path)


def properties_in(path: str | os.PathLike[str]) -> frozenset[str]:
    """Every property name the file holds: the CSV header, or the keys of every JSON line (one
    streamed pass; bad lines are skipped here and reported when the contacts are read)."""
    if Path(path).suffix.lower() == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            try:
                return frozenset(name.strip() for name in next(csv.reader(handle)))
            except (StopIteration, csv.Error):
                return frozenset()
    names: set[str] = set()
    with open(path, encoding="utf-8-sig") as handle:
        for line in handle:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict):
                nested = row.get("properties")
                names.update(str(k) for k in (nested if isinstance(nested, dict) else row))
    names.discard("properties")
    return frozenset(names)


def _read_jsonl(path: str | os.PathLike[str]) -> Iterator[Contact | BadRow]:
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield BadRow(number, f"not valid JSON: {exc.msg} (column {exc.colno})")
                continue
            yield _from_json(row, number)


def _from_json(row: Any, number: int) -> Contact | BadRow:
    if not isinstance(row, dict):
        return BadRow(number, f"expected a JSON object, got {type(row).__name__}")
    nested = row.get("properties")
    raw: dict[str, Any] = nested if isinstance(nested, dict) else row
    properties = {str(k): _as_text(v) for k, v in raw.items() if k != "properties"}
    ident = row.get("id", properties.get("hs_object_id"))
    if ident is None or str(ident).strip() == "":
        return BadRow(number, "no contact id (an 'id' or 'hs_object_id' value)")
    return _contact(str(ident).strip(), properties)


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) and not value.is_integer() else \
            str(int(value))
    return json.dumps(value, sort_keys=True)


def _read_csv(path: str | os.PathLike[str]) -> Iterator[Contact | BadRow]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadRow(1, f"unreadable CSV header: {exc}")
            return
        id_column = next((header.index(c) for c in ID_COLUMNS if c in header), None)
        if id_column is None:
            yield BadRow(1, "no id column: expected one of " + ", ".join(ID_COLUMNS))
            return
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield BadRow(reader.line_num, f"unreadable CSV row: {exc}")
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                yield BadRow(reader.line_num, f"{len(cells)} cells for {len(header)} columns")
                continue
            ident = cells[id_column].strip()
            if not ident:
                yield BadRow(reader.line_num, f"empty id ({header[id_column]})")
                continue
            yield _contact(ident, {k: (v if v != "" else None) for k, v in zip(header, cells,
                                                                                 strict=True)})


def _contact(ident: str, properties: Mapping[str, str | None]) -> Contact:
    modified = properties.get("lastmodifieddate")
    updated_at = None
    if modified:
        stamp = parse_timestamp(modified)
        if stamp is not None:
            updated_at = datetime.fromtimestamp(stamp, tz=UTC)
    return Contact(id=ident, properties=dict(properties), updated_at=updated_at)

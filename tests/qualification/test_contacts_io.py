"""Reading exported contacts: both JSON-lines shapes, CSV, and bad rows that do not stop."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from connector.qualification.contacts_io import BadRow, read_contacts
from connector.records import Contact


def test_jsonl_accepts_hubspot_and_flat_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "1", "properties": {"email": "a@acme.io", "pricing_page_views": 3,
                                              "demo_requested": True, "city": None},
                    "archived": False}),
        "",
        json.dumps({"hs_object_id": "2", "email": "b@acme.io", "annualrevenue": 1.5e6,
                    "score": 2.25, "lastmodifieddate": "2026-11-02T09:14:07.123Z"}),
        json.dumps({"id": 3, "email": "c@acme.io"}),
    ]) + "\n")
    rows = list(read_contacts(path))
    assert rows[0] == Contact("1", {"email": "a@acme.io", "pricing_page_views": "3",
                                    "demo_requested": "true", "city": None})
    assert isinstance(rows[1], Contact) and rows[1].id == "2"
    assert rows[1].properties["annualrevenue"] == "1500000"
    assert rows[1].properties["score"] == "2.25"
    assert rows[1].updated_at == datetime(2026, 11, 2, 9, 14, 7, 123000, tzinfo=UTC)
    assert isinstance(rows[2], Contact) and rows[2].id == "3"


def test_bad_json_rows_are_reported_with_their_line_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "1"}\n{oops\n[1, 2]\n{"email": "no-id@acme.io"}\n{"id": "5"}\n')
    rows = list(read_contacts(path))
    assert [type(r).__name__ for r in rows] == ["Contact", "BadRow", "BadRow", "BadRow",
                                                "Contact"]
    bad = [r for r in rows if isinstance(r, BadRow)]
    assert [b.line for b in bad] == [2, 3, 4]
    assert "not valid JSON" in bad[0].message
    assert "expected a JSON object" in bad[1].message
    assert "no contact id" in bad[2].message


def test_csv_uses_the_header_as_property_names(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("\ufeffhs_object_id,email,country,pain_point\n"
                    '11,a@acme.io,USA,"manual work, every day"\n'
                    "12,,Germany,\n"
                    "13,c@acme.io\n"
                    ",d@acme.io,France,\n"
                    "\n"
                    "15,e@acme.io,UK,x\n")
    rows = list(read_contacts(path))
    assert rows[0] == Contact("11", {"hs_object_id": "11", "email": "a@acme.io",
                                     "country": "USA", "pain_point": "manual work, every day"})
    assert rows[1] == Contact("12", {"hs_object_id": "12", "email": None, "country": "Germany",
                                     "pain_point": None})
    assert rows[2] == BadRow(4, "2 cells for 4 columns")
    assert rows[3] == BadRow(5, "empty id (hs_object_id)")
    assert isinstance(rows[4], Contact) and rows[4].id == "15"


def test_csv_id_column_may_be_id_or_record_id(tmp_path: Path) -> None:
    for column in ("id", "Record ID"):
        path = tmp_path / "c.csv"
        path.write_text(f"{column},email\n7,a@acme.io\n")
        (row,) = read_contacts(path)
        assert isinstance(row, Contact) and row.id == "7"
    path.write_text("email\na@acme.io\n")
    assert list(read_contacts(path)) == [BadRow(1, "no id column: expected one of "
                                                   "hs_object_id, id, Record ID")]


def test_reading_is_lazy(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "1"}\n')
    stream = read_contacts(path)
    assert iter(stream) is stream  # a generator: rows are read as they are consumed
    with path.open("a") as handle:
        handle.write('{"id": "2"}\n')
    assert [c.id for c in stream if isinstance(c, Contact)] == ["1", "2"]

"""Rendering problems grouped by file (rich and JSON) and the exit code policy."""

from __future__ import annotations

import json

from rich.console import Console

from connector.commands._problems_view import group_by_file, render, to_json
from connector.errors import Problem
from connector.fieldmap import exit_code_for

PROBLEMS = [
    Problem(
        "mappings/lead.toml",
        "fields.title.transforms",
        "can exceed",
        "warning",
        40,
        'add "truncate"',
    ),
    Problem(
        "mappings/feedback.toml",
        "fields.sf_lead_id.target",
        "does not exist yet",
        "error",
        15,
        "run `connector setup`",
    ),
    Problem("mappings/lead.toml", "fields.company.target", "no field", "error", 30, "fix"),
]


def test_exit_codes() -> None:
    assert exit_code_for([]) == 0
    assert exit_code_for([PROBLEMS[0]]) == 1
    assert exit_code_for(PROBLEMS) == 2


def test_grouped_by_file_and_sorted_by_line() -> None:
    groups = group_by_file(PROBLEMS)
    assert list(groups) == ["mappings/lead.toml", "mappings/feedback.toml"]
    assert [p.line for p in groups["mappings/lead.toml"]] == [30, 40]


def test_rich_rendering_shows_file_key_line_message_and_fix() -> None:
    console = Console(record=True, width=200)
    render(
        PROBLEMS,
        console,
        notes=["offline only"],
        checked=["mappings/lead.toml", "mappings/feedback.toml", "mappings/q.toml"],
    )
    text = console.export_text()
    assert text.index("mappings/lead.toml") < text.index("mappings/feedback.toml")
    for fragment in (
        "fields.company.target",
        "30",
        "no field",
        "run `connector setup`",
        "mappings/q.toml  ok",
        "note: offline only",
        "2 error(s), 1 warning(s)",
    ):
        assert fragment in text


def test_json_output() -> None:
    body = json.loads(to_json(PROBLEMS, notes=["n"], checked=["mappings/q.toml"]))
    assert body["summary"] == {"errors": 2, "warnings": 1, "exit_code": 2}
    assert [f["file"] for f in body["files"]] == [
        "mappings/lead.toml",
        "mappings/feedback.toml",
        "mappings/q.toml",
    ]
    first = body["files"][0]["problems"][0]
    assert first == {
        "file": "mappings/lead.toml",
        "key": "fields.company.target",
        "line": 30,
        "severity": "error",
        "message": "no field",
        "suggestion": "fix",
    }
    assert body["notes"] == ["n"]

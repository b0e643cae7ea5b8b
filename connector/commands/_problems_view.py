"""Problems rendered for people (rich, grouped by file) and for machines (JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from connector.errors import Problem
from connector.problems import exit_code_for

_STYLE = {"error": "bold red", "warning": "yellow"}


def group_by_file(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    """Problems per file, files in first-seen order, each file's problems by line then key."""
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.file, []).append(problem)
    for items in groups.values():
        items.sort(key=lambda p: (p.line or 0, p.key, p.severity))
    return groups


def summary(problems: Sequence[Problem]) -> dict[str, int]:
    errors = sum(1 for p in problems if p.severity == "error")
    return {
        "errors": errors,
        "warnings": len(problems) - errors,
        "exit_code": exit_code_for(problems),
    }


def render(
    problems: Sequence[Problem],
    console: Console,
    *,
    notes: Sequence[str] = (),
    checked: Sequence[str] = (),
) -> None:
    """A table per file with severity, key, line, message and fix; then notes and a summary."""
    for file, items in group_by_file(problems).items():
        counts = summary(items)
        console.print(
            Text.assemble(
                (file, "bold"),
                f"  {counts['errors']} error(s), {counts['warnings']} warning(s)",
            )
        )
        table = Table(show_header=True, header_style="dim", box=None, pad_edge=False)
        for column in ("severity", "key", "line", "problem", "fix"):
            table.add_column(column, overflow="fold")
        for p in items:
            table.add_row(
                Text(p.severity, style=_STYLE[p.severity]),
                p.key or "-",
                "" if p.line is None else str(p.line),
                p.message,
                p.suggestion or "",
            )
        console.print(table)
        console.print()
    clean = [c for c in checked if c not in {p.file for p in problems}]
    for file in clean:
        console.print(Text.assemble((file, "bold"), ("  ok", "green")))
    for note in notes:
        console.print(Text(f"note: {note}", style="dim"))
    counts = summary(problems)
    style = "red" if counts["errors"] else "yellow" if counts["warnings"] else "green"
    console.print(
        Text(f"{counts['errors']} error(s), {counts['warnings']} warning(s)", style=style)
    )


def to_json(
    problems: Sequence[Problem], *, notes: Sequence[str] = (), checked: Sequence[str] = ()
) -> str:
    """``{"summary": {...}, "files": [{"file", "problems": [...]}], "notes": [...]}``."""
    groups = group_by_file(problems)
    files = [{"file": f, "problems": [p.as_dict() for p in items]} for f, items in groups.items()]
    files += [{"file": f, "problems": []} for f in checked if f not in groups]
    body = {"summary": summary(problems), "files": files, "notes": list(notes)}
    return json.dumps(body, indent=2)

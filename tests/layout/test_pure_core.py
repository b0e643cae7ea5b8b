"""The pure core stays pure: qualification and field mapping hold no CLI or terminal code (that
lives in ``commands/``), and no module guards the import of a module that exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = re.compile(r"^\s*(from|import) (rich|argparse)\b", re.MULTILINE)
GUARD = re.compile(r"except \(?(ImportError|ModuleNotFoundError)|import_module\(\"connector")


def sources(folder: str) -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
            for p in (ROOT / folder).rglob("*.py")}


def test_no_cli_or_rich_code_in_the_pure_core() -> None:
    core = {**sources("connector/qualification"), **sources("connector/fieldmap")}
    assert [name for name, text in core.items() if CLI.search(text)] == []
    assert CLI.search("from rich.table import Table\n") and CLI.search("import argparse\n")


def test_no_import_guards_for_modules_that_exist() -> None:
    """The one guard left is for what may really be absent: the ``[sandbox]`` extra."""
    guarded = [name for name, text in {**sources("connector"), **sources("tests")}.items()
               if GUARD.search(text) and not name.endswith("test_pure_core.py")]
    assert guarded == ["connector/sandbox_extra.py"]
    assert GUARD.search("except ImportError:") and GUARD.search('import_module("connector.x")')

"""What the ``qualify`` and ``shadow`` commands share: finding the definition, the pull's
properties, ``--now``, and a contact stream that reports bad rows and goes on."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from connector.errors import ConfigError, Problem
from connector.qualification.contacts_io import BadRow, read_contacts
from connector.qualification.definition import Definition
from connector.qualification.loader import load_definition
from connector.records import Contact
from connector.settings import load_settings, parse_datetime


def definition_for(path: str | None, config: str | None, *, err: TextIO | None = None
                   ) -> Definition:
    """Load ``path`` (default: the one config.toml names) against the properties the pull
    requests; print warnings to ``err``; raise ``ConfigError`` with every problem."""
    settings = load_settings(config)
    file = Path(path) if path else settings.path(settings.mappings.qualification)
    definition = load_definition(file, pulled_properties=set(settings.hubspot.properties))
    for warning in definition.warnings:
        print(warning.render(), file=err or sys.stderr)
    return definition


def parse_now(text: str | None) -> datetime:
    """``--now``: an ISO-8601 instant; the clock is read here, at the edge, when it is absent."""
    if not text:
        return datetime.now(UTC)
    try:
        return parse_datetime(text)
    except ValueError:
        raise ConfigError([Problem("<command line>", "--now",
                                   f"not an ISO-8601 date or datetime: {text!r}",
                                   suggestion="--now 2026-11-02T09:00:00Z")]) from None


def check_input(path: str) -> Path:
    file = Path(path)
    if not file.is_file():
        raise ConfigError([Problem(path, "--input", "no such file",
                                   suggestion="a .jsonl or .csv export of contacts")])
    return file


def contacts_from(path: Path, on_bad_row: Callable[[BadRow], None]) -> Iterator[Contact]:
    """The contacts in ``path``; each bad row goes to ``on_bad_row`` and the stream goes on."""
    for item in read_contacts(path):
        if isinstance(item, BadRow):
            on_bad_row(item)
        else:
            yield item


def bad_row_printer(path: Path, err: TextIO | None = None) -> Callable[[BadRow], None]:
    def report(row: BadRow) -> None:
        print(f"{path}:{row.line}: skipped: {row.message}", file=err or sys.stderr)

    return report

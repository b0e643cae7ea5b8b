"""What the ``qualify`` and ``shadow`` commands share: finding the definition, the pull's
properties (offline without a config file: the input file's), ``--now``, and a contact stream
that reports bad rows and goes on."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from connector.errors import ConfigError, Problem
from connector.qualification.contacts_io import BadRow, properties_in, read_contacts
from connector.qualification.definition import Definition
from connector.qualification.loader import CONFIG_PULL, PullSource, load_definition
from connector.records import Contact
from connector.settings import load_settings, parse_datetime

DEFAULTS = "<defaults>"  # ``Settings.source`` when no config file was found


@dataclass(frozen=True)
class Pull:
    """The properties a definition may read, and where that list comes from (for the fix)."""

    properties: frozenset[str]
    source: PullSource


def pull_for(config: str | None, pulled_option: str | None, input_path: str | None) -> Pull:
    """``--pulled-properties`` when given; else the ``[hubspot] properties`` of a config file;
    offline without a config file, the properties the ``--input`` file holds; else the
    default pull."""
    if pulled_option is not None:
        names = frozenset(n.strip() for n in pulled_option.replace(" ", ",").split(",")
                          if n.strip())
        if not names:
            raise ConfigError([Problem("<command line>", "--pulled-properties",
                                       "names no property",
                                       suggestion="--pulled-properties email,jobtitle")])
        return Pull(names, PullSource("add it to --pulled-properties",
                                      "which --pulled-properties does not list"))
    settings = load_settings(config)
    if settings.source == DEFAULTS and input_path is not None:
        source = check_input(input_path)
        return Pull(properties_in(source), PullSource(
            f"export it in {source.name}, or list the properties with --pulled-properties",
            f"which no contact in {source.name} holds: it is missing for every one of them",
            "warning"))
    return Pull(frozenset(settings.hubspot.properties), CONFIG_PULL)


def definition_for(path: str | None, config: str | None, *, err: TextIO | None = None,
                   pull: Pull | None = None) -> Definition:
    """Load ``path`` (default: the one config.toml names) against the properties the pull
    requests (``pull``, default: config.toml's); print warnings to ``err``; raise
    ``ConfigError`` with every problem."""
    settings = load_settings(config)
    file = Path(path) if path else settings.path(settings.mappings.qualification)
    pull = pull or Pull(frozenset(settings.hubspot.properties), CONFIG_PULL)
    definition = load_definition(file, pulled_properties=pull.properties,
                                 pulled_from=pull.source)
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

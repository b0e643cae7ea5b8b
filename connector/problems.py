"""Collecting problems while reading a TOML file (config, definition, mapping): each with its
key, line, severity and a fix; ``did_you_mean`` for the fix of a misspelt name. The one copy of
these for ``settings``, ``qualification`` and ``fieldmap``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from connector.errors import EXIT_CONFIG, EXIT_OK, EXIT_WARNINGS, Problem, Severity
from connector.toml_lines import key_lines, line_of


def close_match(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The choice closest to ``word`` (never ``word`` itself: a name that exists but is not
    allowed where it stands is no suggestion), or None."""
    matches = difflib.get_close_matches(word, sorted({c for c in choices if c != word}), n=1,
                                        cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """``"did you mean 'transforms'?"`` for a close match; else the choices when they are few."""
    options = sorted(set(choices))
    match = close_match(word, options)
    if match is not None:
        return f"did you mean {match!r}?"
    return f"one of: {', '.join(options)}" if 0 < len(options) <= 12 else None


@dataclass
class Collector:
    """Problems of one file, each with its key, line, severity and a fix. Lines come from
    ``locations`` (key path -> line), or from ``text``, scanned once a problem needs a line."""

    path: str
    locations: Mapping[str, int] | None = None
    problems: list[Problem] = field(default_factory=list)
    text: str = field(default="", repr=False)

    def line_of(self, key: str) -> int | None:
        if self.locations is None:
            self.locations = key_lines(self.text)
        return line_of(self.locations, key)

    def add(
        self, key: str, message: str, suggestion: str | None = None, *, severity: Severity
    ) -> None:
        self.problems.append(
            Problem(
                file=self.path,
                key=key,
                message=message,
                severity=severity,
                line=self.line_of(key),
                suggestion=suggestion,
            )
        )

    def error(self, key: str, message: str, suggestion: str | None = None) -> None:
        self.add(key, message, suggestion, severity="error")

    def warning(self, key: str, message: str, suggestion: str | None = None) -> None:
        self.add(key, message, suggestion, severity="warning")

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


def exit_code_for(problems: Iterable[Problem]) -> int:
    """0 clean, 1 warnings only, 2 any error."""
    severities = {p.severity for p in problems}
    if "error" in severities:
        return EXIT_CONFIG
    return EXIT_WARNINGS if severities else EXIT_OK

"""Where each key of a TOML document is written: key path -> line number.

``tomllib`` gives values but no positions. This scanner walks the (already valid) text once and
records the line of every key path, in the notation the validation messages use:
``criteria.pricing_visits.condition.op``, ``grades[1].min``, ``condition.all[0].property``.
Array elements are recorded at the line where they start, so an element of a multi-line array
of inline tables points at its own line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[str, int] = {}
        self.table_counts: dict[str, int] = {}

    # -- low level -------------------------------------------------------------------------
    def peek(self, n: int = 1) -> str:
        return self.text[self.pos:self.pos + n]

    def advance(self, n: int = 1) -> None:
        chunk = self.text[self.pos:self.pos + n]
        self.line += chunk.count("\n")
        self.pos += n

    def skip(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.advance()
            elif ch == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
                if not newlines:
                    return
            else:
                return

    def record(self, path: str) -> None:
        self.lines.setdefault(path, self.line)

    # -- grammar ---------------------------------------------------------------------------
    def document(self) -> None:
        table = ""
        while True:
            self.skip(newlines=True)
            if self.pos >= len(self.text):
                return
            start = self.pos
            if self.peek(2) == "[[":
                self.advance(2)
                name = self.dotted(self.key())
                self.skip(newlines=False)
                self.advance(2)
                index = self.table_counts.get(name, -1) + 1
                self.table_counts[name] = index
                table = f"{name}[{index}]"
                self.record(name)
                self.record(table)
            elif self.peek() == "[":
                self.advance()
                table = self.resolve(self.key())
                self.skip(newlines=False)
                self.advance()
                self.record(table)
            else:
                path = self.join(table, self.dotted(self.key()))
                self.record(path)
                self.skip(newlines=False)
                self.advance()  # '='
                self.value(path)
            if self.pos == start:
                raise ValueError("scanner stuck")

    def resolve(self, segments: list[str]) -> str:
        """``[grades.extra]`` after ``[[grades]]`` belongs to the last ``grades`` element."""
        path = ""
        for segment in segments:
            path = self.join(path, segment)
            if path in self.table_counts:
                path = f"{path}[{self.table_counts[path]}]"
        return path

    @staticmethod
    def join(prefix: str, key: str) -> str:
        return f"{prefix}.{key}" if prefix else key

    @staticmethod
    def dotted(segments: list[str]) -> str:
        return ".".join(segments)

    def key(self) -> list[str]:
        segments: list[str] = []
        while True:
            self.skip(newlines=False)
            ch = self.peek()
            if ch in ('"', "'"):
                segments.append(self.string())
            else:
                start = self.pos
                while self.pos < len(self.text) and self.text[self.pos] in _BARE:
                    self.pos += 1
                segments.append(self.text[start:self.pos])
            self.skip(newlines=False)
            if self.peek() != ".":
                return segments
            self.advance()

    def string(self) -> str:
        quote = self.peek()
        if self.peek(3) == quote * 3:
            self.advance(3)
            end = self.text.find(quote * 3, self.pos)
            while self.text[end + 3:end + 4] == quote:  # up to two quotes may end the content
                end += 1
            content = self.text[self.pos:end]
            self.advance(end + 3 - self.pos)
            return content
        self.advance()
        chars: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] != quote:
            if quote == '"' and self.text[self.pos] == "\\":
                chars.append(self.text[self.pos:self.pos + 2])
                self.advance(2)
                continue
            chars.append(self.text[self.pos])
            self.advance()
        self.advance()
        return "".join(chars)

    def value(self, path: str) -> None:
        self.skip(newlines=False)
        ch = self.peek()
        if ch == "{":
            self.advance()
            while True:
                self.skip(newlines=True)
                if self.peek() == "}":
                    self.advance()
                    return
                start = self.pos
                sub = self.join(path, self.dotted(self.key()))
                self.record(sub)
                self.skip(newlines=False)
                self.advance()  # '='
                self.value(sub)
                if self.pos == start:
                    raise ValueError("scanner stuck")
                self.skip(newlines=True)
                if self.peek() == ",":
                    self.advance()
        elif ch == "[":
            self.advance()
            index = 0
            while True:
                self.skip(newlines=True)
                if self.peek() == "]" or self.pos >= len(self.text):
                    self.advance()
                    return
                sub = f"{path}[{index}]"
                self.record(sub)
                start = self.pos
                self.value(sub)
                if self.pos == start:
                    raise ValueError("scanner stuck")
                index += 1
                self.skip(newlines=True)
                if self.peek() == ",":
                    self.advance()
        elif ch in ('"', "'"):
            self.string()
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n#":
                self.pos += 1


def key_lines(text: str) -> dict[str, int]:
    """Line (1-based) of every key path in ``text``; best effort, never raises."""
    scanner = _Scanner(text)
    with contextlib.suppress(IndexError, ValueError):  # only on text tomllib rejects
        scanner.document()
    return scanner.lines


def line_of(lines: Mapping[str, int], key: str) -> int | None:
    """The line of ``key``, else of its nearest written ancestor (``a.b[2].c`` -> ``a.b[2]``...)."""
    original = key
    while key:
        if key in lines:
            return lines[key]
        cut = max(key.rfind("."), key.rfind("["))
        if cut <= 0:
            break
        key = key[:cut]
    # a table only written through its children (``[critera.typo]`` for ``critera``)
    children = [line for path, line in lines.items()
                if path.startswith((original + ".", original + "["))]
    return min(children) if children else None

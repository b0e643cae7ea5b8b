"""Line numbers for dotted TOML keys (``fields.company.target`` -> 14).

``tomllib`` keeps no positions, so this scans the text: table headers set the current prefix and
``key = ...`` lines add a located key. Inline tables and arrays are located at their first line;
their inner keys fall back to it (``Mapping.line_of`` walks up the dotted key).
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(
    r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*="""
)
_PART = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*(?:\.|$)""")


def split_key(dotted: str) -> list[str]:
    """``fields."lead status".target`` -> ``["fields", "lead status", "target"]``."""
    parts = []
    for match in _PART.finditer(dotted):
        token = match.group(1)
        parts.append(token[1:-1] if token[:1] in "\"'" else token)
    return parts


def join_key(parts: list[str]) -> str:
    return ".".join(parts)


def locate_keys(text: str) -> dict[str, int]:
    """Every table header and assigned key in ``text`` -> its 1-based line number."""
    located: dict[str, int] = {}
    prefix: list[str] = []
    depth = 0  # open brackets of a multi-line array: its lines are not assignments
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if depth > 0:
            depth += _bracket_balance(stripped)
            continue
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(stripped)
        if header and not _ASSIGN.match(stripped):
            prefix = split_key(header.group(1))
            for depth_ in range(1, len(prefix) + 1):  # implicit parent tables: first line
                located.setdefault(join_key(prefix[:depth_]), number)
            continue
        assign = _ASSIGN.match(stripped)
        if assign:
            key = join_key(prefix + split_key(assign.group(1)))
            located.setdefault(key, number)
            rest = stripped[assign.end() :]
            depth = max(0, _bracket_balance(rest))
    return located


def _bracket_balance(text: str) -> int:
    """Open minus closed square brackets outside strings and comments."""
    balance, quote = 0, ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char == "[":
            balance += 1
        elif char == "]":
            balance -= 1
    return balance

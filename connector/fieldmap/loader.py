"""TOML mapping file -> ``Mapping``, with offline validation that collects every problem.

``load_mapping`` raises ``ConfigError`` with all errors at once; ``validate_offline`` returns the
problems (errors and warnings) without raising; ``load_report`` returns both the mapping (built
from the rules that are valid, when the file's header is) and the problems, for ``validate``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Set
from pathlib import Path

import phonenumbers

from connector.errors import ConfigError, Problem
from connector.fieldmap.model import (
    DIRECTIONS,
    FEEDBACK_TARGET_OBJECT,
    HUBSPOT_DIRECTIONS,
    Direction,
    FieldRule,
    Mapping,
)
from connector.fieldmap.rules import check_rule_sources, check_targets, parse_rule
from connector.problems import Collector, did_you_mean
from connector.toml_lines import key_lines

_TOP_KEYS = ("mapping", "fields")
_META_KEYS = ("direction", "target_object", "phone_region", "description")


def load_mapping(
    path: str | Path,
    *,
    direction: Direction,
    pulled_properties: Set[str] | None = None,
) -> Mapping:
    """Load and validate a mapping file; raise ``ConfigError`` listing every error."""
    mapping, problems = load_report(path, direction=direction, pulled_properties=pulled_properties)
    ConfigError.raise_if_any(problems)
    assert mapping is not None
    return mapping


def validate_offline(
    path: str | Path,
    *,
    direction: Direction,
    pulled_properties: Set[str] | None = None,
) -> list[Problem]:
    """Every offline problem of a mapping file (errors and warnings), without raising."""
    return load_report(path, direction=direction, pulled_properties=pulled_properties)[1]


def load_report(
    path: str | Path,
    *,
    direction: Direction,
    pulled_properties: Set[str] | None = None,
) -> tuple[Mapping | None, list[Problem]]:
    """The mapping (None if the file or its ``[mapping]`` header is unusable) and its problems."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        problem = Problem(name, "", f"cannot read the mapping file: {exc.strerror or exc}")
        return None, [problem]
    except UnicodeDecodeError as exc:
        return None, [Problem(name, "", f"not UTF-8 text (byte {exc.start}: {exc.reason}); "
                                        "TOML files must be UTF-8")]
    return parse_mapping(text, path=name, direction=direction, pulled_properties=pulled_properties)


def parse_mapping(
    text: str,
    *,
    path: str,
    direction: Direction,
    pulled_properties: Set[str] | None = None,
) -> tuple[Mapping | None, list[Problem]]:
    """Like ``load_report`` but from text (``path`` only names the file in problems)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_syntax_problem(path, exc)]
    out = Collector(path, key_lines(text))
    for key in document:
        if key not in _TOP_KEYS:
            out.error(key, f"unknown top-level key {key!r}", did_you_mean(key, _TOP_KEYS))
    header = _header(document.get("mapping"), direction, out)
    rules = _rules(document.get("fields"), direction, pulled_properties, out)
    if header is None:
        return None, out.problems
    target_object, phone_region = header
    mapping = Mapping(
        path=path,
        direction=direction,
        target_object=target_object,
        rules=tuple(rules),
        phone_region=phone_region,
        locations=out.locations or {},
    )
    return mapping, out.problems


def _syntax_problem(path: str, exc: tomllib.TOMLDecodeError) -> Problem:
    message = str(exc)
    line = None
    if "(at line " in message:
        tail = message.rsplit("(at line ", 1)[1]
        digits = tail.split(",", 1)[0].rstrip(")")
        line = int(digits) if digits.isdigit() else None
    return Problem(
        path, "", f"TOML syntax error: {message}", line=line, suggestion="fix the TOML syntax"
    )


def _header(raw: object, direction: Direction, out: Collector) -> tuple[str, str | None] | None:
    if not isinstance(raw, dict):
        out.error(
            "mapping", "missing [mapping] table", f'add [mapping] with direction = "{direction}"'
        )
        return None
    for key in raw:
        if key not in _META_KEYS:
            out.error(f"mapping.{key}", f"unknown key {key!r}", did_you_mean(key, _META_KEYS))
    ok = True
    declared = raw.get("direction")
    if declared not in DIRECTIONS:
        out.error(
            "mapping.direction",
            f"direction must be one of {list(DIRECTIONS)}, not {declared!r}",
            f'direction = "{direction}"',
        )
        ok = False
    elif declared != direction:
        out.error(
            "mapping.direction",
            f"this file is used as the {direction} mapping but says direction = {declared!r}",
            "point the option at the right file",
        )
        ok = False
    writes_hubspot = direction in HUBSPOT_DIRECTIONS
    target = raw.get("target_object", FEEDBACK_TARGET_OBJECT if writes_hubspot else None)
    if direction == "lead" and (not isinstance(target, str) or not target):
        out.error(
            "mapping.target_object",
            "missing target_object (the Salesforce object)",
            'target_object = "Lead"',
        )
        ok = False
    elif writes_hubspot and target != FEEDBACK_TARGET_OBJECT:
        out.error(
            "mapping.target_object",
            f"{direction} mappings write HubSpot contacts, not {target!r}",
            f'target_object = "{FEEDBACK_TARGET_OBJECT}"',
        )
        ok = False
    region = raw.get("phone_region")
    if region is not None and not _valid_region(region):
        out.error(
            "mapping.phone_region",
            f"unknown phone region {region!r}",
            "an ISO country code such as US, GB, DE",
        )
        region = None
    return (str(target), region if isinstance(region, str) else None) if ok else None


def _valid_region(region: object) -> bool:
    return isinstance(region, str) and region.upper() in phonenumbers.SUPPORTED_REGIONS


def _rules(
    raw: object,
    direction: Direction,
    pulled: Set[str] | None,
    out: Collector,
) -> list[FieldRule]:
    if not isinstance(raw, dict) or not raw:
        out.error("fields", "no [fields.<name>] tables", "add at least one field rule")
        return []
    parsed, valid = [], []
    for name, table in raw.items():
        if not isinstance(table, dict):
            out.error(
                f"fields.{name}",
                "a field rule must be a table",
                f'[fields.{name}] with source = "..." and target = "..."',
            )
            continue
        rule, ok = parse_rule(name, table, direction, out)
        before = out.error_count
        check_rule_sources(rule, direction, pulled, out)
        if rule.target:
            parsed.append(rule)
        if ok and out.error_count == before:
            valid.append(rule)
    check_targets(parsed, out)
    return valid

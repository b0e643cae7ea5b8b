"""``points_by_value`` and ``points_by_band``: a criterion's points read from a property's value.

    [criteria.timeline.points_by_value]
    property = "purchase_timeline"
    values = { this_quarter = 20, next_quarter = 10, "this year" = 5 }
    else = 0                      # a present value that is not listed (optional)

    [criteria.company_size.points_by_band]
    property = "numberofemployees"
    bands = [ { min = 1000, points = 15 }, { min = 200, max = 1000, points = 10 } ]
    else = 2                      # a number outside every band (optional)

Values are compared as ``equals`` compares them (trimmed, case-insensitive unless
``ignore_case = false``, after ``normalize``); bands hold numbers from ``min`` (included) to
``max`` (excluded), either end may be left open, and they must not overlap. A missing value
(absent, blank or one of ``missing_values``) never scores; in bands, neither does a value that
is not a number.
"""

from __future__ import annotations

import math
from typing import Any

from connector.qualification.condition_parser import ConditionContext, check_property
from connector.qualification.conditions import prepare_text
from connector.qualification.decision import fmt
from connector.qualification.definition import Leaf, PointsTable
from connector.qualification.normalize import NORMALIZERS
from connector.qualification.problems import Problems, did_you_mean, join, type_name

TABLE_KINDS = ("points_by_value", "points_by_band")
VALUE_KEYS = ("property", "values", "else", "ignore_case", "normalize")
BAND_KEYS = ("property", "bands", "else")
BAND_ENTRY_KEYS = ("min", "max", "points")


def parse_points_table(kind: str, raw: Any, key: str, ctx: ConditionContext,
                       problems: Problems) -> PointsTable | None:
    table = problems.table(raw, key)
    if table is None:
        return None
    before = len(problems.errors)
    problems.unknown_keys(table, VALUE_KEYS if kind == "points_by_value" else BAND_KEYS, key)
    name = problems.string(table.get("property"), join(key, "property"))
    if name is not None:
        check_property(name, join(key, "property"), ctx, problems)
    otherwise = problems.number(table.get("else"), join(key, "else"), required=False)
    if kind == "points_by_band":
        bands = _bands(table.get("bands"), join(key, "bands"), problems)
        if name is None or bands is None or len(problems.errors) > before:
            return None
        return PointsTable(name, "band", bands=bands, otherwise=otherwise)
    normalize = problems.string(table.get("normalize"), join(key, "normalize"), required=False)
    if normalize is not None and normalize not in NORMALIZERS:
        problems.error(join(key, "normalize"), f"unknown normaliser {normalize!r}",
                       did_you_mean(normalize, NORMALIZERS))
        normalize = None
    ignore_case = table.get("ignore_case", True)
    if not isinstance(ignore_case, bool):
        problems.error(join(key, "ignore_case"), f"must be true or false, got "
                       f"{type_name(ignore_case)}")
        ignore_case = True
    entries = _values(table.get("values"), join(key, "values"), normalize, ignore_case,
                      problems)
    if name is None or entries is None or len(problems.errors) > before:
        return None
    return PointsTable(name, "value", entries=entries, otherwise=otherwise,
                       ignore_case=ignore_case, normalize=normalize)


def _values(raw: Any, key: str, normalize: str | None, ignore_case: bool,
            problems: Problems) -> tuple[tuple[str, float], ...] | None:
    if raw is None:
        problems.error(key, "is required: a table of value = points",
                       'values = { this_quarter = 20, next_quarter = 10 }')
        return None
    table = problems.table(raw, key)
    if table is None:
        return None
    if not table:
        problems.error(key, "must list at least one value = points")
        return None
    prepare = prepare_text(Leaf("x", "equals", normalize=normalize), fold=ignore_case)
    seen: dict[str, str] = {}
    out: list[tuple[str, float]] = []
    for value, points in table.items():
        where = join(key, value)
        number = problems.number(points, where)
        if not value.strip():
            problems.error(where, "a blank value can never match: a blank property is missing")
            continue
        same = prepare(value.strip())
        if same in seen:
            steps = ["trimmed"] + (["case-folded"] if ignore_case else []) + (
                [f"normalised ({normalize})"] if normalize else [])
            done = steps[0] if len(steps) == 1 else ", ".join(steps[:-1]) + " and " + steps[-1]
            problems.error(where, f"{value!r} and {seen[same]!r} are the same value once {done}",
                           "keep one of them")
            continue
        seen[same] = value
        if number is not None:
            out.append((value, number))
    return tuple(out) if len(out) == len(table) else None


def _bands(raw: Any, key: str, problems: Problems
           ) -> tuple[tuple[float | None, float | None, float], ...] | None:
    if not isinstance(raw, list) or not raw:
        problems.error(key, f"must be a non-empty list of {{ min, max, points }} tables, got "
                       f"{type_name(raw)}", "bands = [ { min = 200, max = 1000, points = 10 } ]")
        return None
    out: list[tuple[float | None, float | None, float]] = []
    for i, body in enumerate(raw):
        where = f"{key}[{i}]"
        entry = problems.table(body, where)
        if entry is None:
            continue
        problems.unknown_keys(entry, BAND_ENTRY_KEYS, where)
        low = problems.number(entry.get("min"), join(where, "min"), required=False)
        high = problems.number(entry.get("max"), join(where, "max"), required=False)
        points = problems.number(entry.get("points"), join(where, "points"))
        if low is None and high is None and "min" not in entry and "max" not in entry:
            problems.error(where, "a band needs min and/or max (one open end at most)",
                           "{ min = 200, max = 1000, points = 10 }")
            continue
        if low is not None and high is not None and low >= high:
            problems.error(where, f"min ({fmt(low)}) must be below max ({fmt(high)})")
            continue
        if points is not None:
            out.append((low, high, points))
    if len(out) != len(raw):
        return None
    ordered = sorted(out, key=lambda band: -math.inf if band[0] is None else band[0])
    for prev, cur in zip(ordered, ordered[1:], strict=False):
        prev_high = math.inf if prev[1] is None else prev[1]
        cur_low = -math.inf if cur[0] is None else cur[0]
        if cur_low < prev_high:
            problems.error(key, f"bands overlap: {_band(prev)} and {_band(cur)}",
                           f"start the second band at {fmt(prev_high)}"
                           if prev[1] is not None else "give the first band a max")
            return None
    return tuple(out)


def _band(band: tuple[float | None, float | None, float]) -> str:
    low, high, _ = band
    if low is None:
        return f"below {fmt(high or 0.0)}"
    if high is None:
        return f"{fmt(low)} and above"
    return f"{fmt(low)} to {fmt(high)}"


def band_label(low: float | None, high: float | None) -> str:
    """How a band is quoted in a reason: ``200-1000``, ``1000+``, ``<50``."""
    if low is None:
        return f"<{fmt(high or 0.0)}"
    if high is None:
        return f"{fmt(low)}+"
    return f"{fmt(low)}-{fmt(high)}"

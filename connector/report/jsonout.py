"""The report as plain data (dicts, lists, str, int, float, bool, None), ready for ``json.dumps``.

Field names are the dataclass field names of :mod:`connector.report.model`; datetimes are ISO
8601 strings in UTC; count tables (rejection reasons, the funnel) are lists of objects so their
order survives any JSON reader.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime
from enum import Enum
from typing import Any

from connector.report.model import CalibrationReport

JSON_SCHEMA_VERSION = 1


def _plain(value: Any, key: str = "") -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name), f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if key == "rejected_by_reason":
        return [{"reason": reason, "count": count} for reason, count in value]
    if isinstance(value, tuple | list | frozenset | set):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def report_to_json(report: CalibrationReport) -> dict[str, Any]:
    """Everything in the report as plain data, plus ``empty`` and ``funnel``."""
    data: dict[str, Any] = {"schema_version": JSON_SCHEMA_VERSION}
    data.update(_plain(report))
    data["empty"] = report.empty
    data["funnel"] = [{"stage": stage, "count": count} for stage, count in report.funnel]
    return data

"""JSON in and out of the simulator: ``orjson`` when it is installed (4x faster), else stdlib."""

from __future__ import annotations

import json
from typing import Any

try:  # optional accelerator; the simulator is correct without it
    import orjson
except ImportError:  # pragma: no cover - depends on the environment
    orjson = None  # type: ignore[assignment]


def loads(data: bytes | str) -> Any:
    if orjson is not None:
        return orjson.loads(data)
    return json.loads(data)


def dumps(value: Any) -> bytes:
    if orjson is not None:
        return orjson.dumps(value)
    return json.dumps(value, separators=(",", ":")).encode()


JSONDecodeError = ValueError  # both json.JSONDecodeError and orjson.JSONDecodeError subclass it

"""JSON logs for the daemon (structlog), one object per line on stderr, secrets redacted.

Every event carries ``timestamp`` (UTC ISO-8601), ``level``, ``event`` and ``instance``; a run's
events also carry ``job`` and ``run_id`` (bound with ``structlog.contextvars``). Records of the
standard library loggers (APScheduler, urllib3, ...) go through the same processors, so they are
JSON and redacted too.

``redact`` is the last line of defence behind "never log a secret": any key that names a secret
(token, secret, password, authorization, session, private_key, api_key, cookie, credential) has
its value replaced, and inside strings bearer tokens, Salesforce session ids, ``key=value``
secrets and passwords in URLs are masked.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any, TextIO

import structlog

MASK = "[REDACTED]"
SECRET_KEY = re.compile(
    r"token|secret|passw|authorization|session|private_?key|api_?key|cookie|credential",
    re.IGNORECASE)
_STRING_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer <token>
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*"), rf"\1 {MASK}"),
    # a Salesforce session id / access token: 00D<org id>!<opaque>
    (re.compile(r"\b00D[0-9A-Za-z]{12,15}![0-9A-Za-z._\-]+"), MASK),
    # sessionId=..., "access_token": "...", <sessionId>...</sessionId>, password=...
    (re.compile(r"(?i)\b([a-z_\-]*(?:token|secret|passw(?:or)?d|session_?id|sid|api_?key)"
                r"[a-z_\-]*)(\"?'?\s*[:=>]\s*\"?'?)([^\s\"'&,;<>]+)"), rf"\1\2{MASK}"),
    # scheme://user:password@host
    (re.compile(r"(://[^:/\s@]+:)[^@\s/]+@"), rf"\1{MASK}@"),
)


def redact_text(text: str) -> str:
    for pattern, replacement in _STRING_RULES:
        text = pattern.sub(replacement, text)
    return text


def redact_value(value: Any, depth: int = 0) -> Any:
    if depth > 8:
        return value
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: (MASK if isinstance(k, str) and SECRET_KEY.search(k) and v not in (None, "")
                    else redact_value(v, depth + 1)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_value(v, depth + 1) for v in value)
    return value


def redact(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]
           ) -> MutableMapping[str, Any]:
    """structlog processor: mask secrets by key name and inside strings."""
    for key in list(event_dict):
        value = event_dict[key]
        if SECRET_KEY.search(key) and value not in (None, ""):
            event_dict[key] = MASK
        else:
            event_dict[key] = redact_value(value)
    return event_dict


def _shared_processors(instance: str) -> list[Any]:
    def add_instance(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]
                     ) -> MutableMapping[str, Any]:
        if instance:
            event_dict.setdefault("instance", instance)
        return event_dict

    return [
        structlog.contextvars.merge_contextvars,
        add_instance,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact,
    ]


def configure_logging(*, level: str = "INFO", stream: TextIO | None = None,
                      instance: str = "") -> None:
    """Route structlog and stdlib logging to one JSON-lines handler on ``stream`` (stderr)."""
    out = stream or sys.stderr
    renderer = structlog.processors.JSONRenderer(sort_keys=False)
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared_processors(instance),
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, redact, renderer],
    )
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_connector_json", False):
            root.removeHandler(old)
    handler._connector_json = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("urllib3", "apscheduler", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    structlog.configure(
        processors=[*_shared_processors(instance),
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )


def get_logger(name: str = "connector.daemon") -> Any:
    return structlog.get_logger(name)


def unconfigure_logging() -> None:
    """Remove the handler ``configure_logging`` installed (tests, embedding)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_connector_json", False):
            root.removeHandler(handler)

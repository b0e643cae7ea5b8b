"""Turn whatever ended a command into an exit code and one clear line on stderr: never a
traceback (``--debug`` adds it). The codes are the table in docs/operations.md.

Settings are re-read here only to name the setting involved (the host a retriable error came
from, the state store URL); if they do not load, the message goes without them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from typing import Any

from connector.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_CONFIG,
    EXIT_FATAL,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    ConfigError,
    FatalError,
    RetriableError,
)

_SETTINGS_HINT = {
    "hubspot": ("hubspot.base_url", "hubspot.max_attempts", "hubspot.timeout_s"),
    "salesforce": ("salesforce.login_url / login_domain / instance_url",
                   "salesforce.max_attempts", "salesforce.timeout_s"),
}


def exit_for(exc: BaseException, args: argparse.Namespace | None, *, debug: bool) -> int:
    """Print what went wrong (one line, or the problems of a config error) and the exit code."""
    if isinstance(exc, BrokenPipeError):
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    code, lines = describe(exc, args)
    for line in lines:
        _say(line)
    return code


def describe(exc: BaseException, args: argparse.Namespace | None) -> tuple[int, list[str]]:
    """The exit code and the lines to print for ``exc`` (pure but for reading the settings)."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, ["interrupted"]
    if isinstance(exc, ConfigError):
        return EXIT_CONFIG, [p.render() for p in exc.problems]
    if isinstance(exc, RetriableError):
        return EXIT_FATAL, [_retriable(exc, args)]
    if isinstance(exc, FatalError):
        return EXIT_FATAL, [f"fatal: {exc}"]
    if _is_store_error(exc):
        return EXIT_FATAL, [_store(exc, args)]
    if isinstance(exc, UnicodeDecodeError):
        return EXIT_CONFIG, [f"error: a file is not UTF-8 text ({exc.reason} at byte "
                             f"{exc.start})"]
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return EXIT_FATAL, [f"error: {exc.strerror or exc}{where}"]
    return EXIT_INTERNAL, [f"internal error: {type(exc).__name__}: {_first_line(exc)} "
                           "(run again with --debug for the traceback, and report it)"]


def _retriable(exc: RetriableError, args: argparse.Namespace | None) -> str:
    system = exc.system or "remote"
    host_key, attempts_key, timeout_key = _SETTINGS_HINT.get(
        system, (f"{system}.base_url", f"{system}.max_attempts", f"{system}.timeout_s"))
    settings = _settings(args)
    host = _host(settings, system) if settings is not None else None
    attempts = getattr(getattr(settings, system, None), "max_attempts", None)
    tries = f"after {attempts} attempts" if attempts else "after retrying"
    at = f" at {host}" if host else ""
    return (f"fatal: {system}{at} still failing {tries}: {_first_line(exc)}. "
            f"Check {host_key} and the network; raise {attempts_key} or {timeout_key} to wait "
            "longer")


def _host(settings: Any, system: str) -> str | None:
    section = getattr(settings, system, None)
    if section is None:
        return None
    if section.mode == "sandbox":
        try:
            from connector.connections import sandbox_endpoints

            ep = sandbox_endpoints(settings)
        except Exception:  # noqa: BLE001 - only for the message
            return "the sandbox"
        return str(ep.hubspot_url if system == "hubspot" else ep.salesforce_url)
    if system == "hubspot":
        return str(section.base_url)
    return str(section.instance_url or f"{section.login_domain}.salesforce.com")


def _is_store_error(exc: BaseException) -> bool:
    import sqlalchemy.exc  # deferred: most commands never meet the store's errors

    return isinstance(exc, sqlalchemy.exc.SQLAlchemyError)


def _store(exc: BaseException, args: argparse.Namespace | None) -> str:
    settings = _settings(args)
    url = redact_store_url(settings.store.url) if settings is not None else "?"
    reason = _first_line(getattr(exc, "orig", None) or exc)
    hint = _store_hint(reason, settings.store.url if settings is not None else "")
    return f"error: the state store (store.url = {url}) failed: {reason}{hint}"


def _store_hint(reason: str, url: str) -> str:
    text = reason.lower()
    if "unable to open database file" in text:
        return " (does its folder exist, and may this user write there?)"
    if "readonly" in text or "read-only" in text:
        return " (the database file or its folder is read-only)"
    if "not a database" in text or "malformed" in text:
        return " (the file is not an SQLite database or is corrupt: restore it from a backup)"
    if "disk is full" in text or "no space" in text:
        return " (the disk is full)"
    if url.startswith("postgresql") and ("connection" in text or "refused" in text):
        return " (is PostgreSQL running, and are host, port and database right?)"
    return ""


def redact_store_url(url: str) -> str:
    """``url`` with any password masked (``***``); the text as is if it does not parse."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL that does not parse has no password to find
        return url.split("@")[-1] if "@" in url else url


def _settings(args: argparse.Namespace | None) -> Any:
    try:
        from connector.settings import load_settings

        return load_settings(getattr(args, "config", None))
    except Exception:  # noqa: BLE001 - only to name settings in a message
        return None


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _say(line: str) -> None:
    with contextlib.suppress(OSError):  # stderr closed too: nothing more we can say
        print(line, file=sys.stderr)


def _silence_stdout() -> None:
    """After EPIPE on stdout, point it at /dev/null so the interpreter's final flush does not
    raise (and print) a second BrokenPipeError (the recipe in Python's ``signal`` docs)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


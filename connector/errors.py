"""The connector's errors, grouped by what the caller must do about them.

    ConnectorError                   base of everything we raise on purpose
    ├── ConfigError                  bad config / mapping / definition file: fix the file.
    │                                Carries every problem at once (file, key, line, message);
    │                                exit code 2; nothing is sent anywhere.
    ├── RetriableError               429, 5xx, timeouts, dropped connections, UNABLE_TO_LOCK_ROW:
    │   │                            retry with backoff (honour ``retry_after``), bounded.
    │   └── RateLimitedError         the remote said "slow down" (429 / policyName).
    ├── FatalError                   stop the run cleanly, keep the cursor, record the reason:
    │   ├── AuthError                authentication still failing after one re-login.
    │   ├── BudgetExhaustedError     REQUEST_LIMIT_EXCEEDED, or our own API budget share spent.
    │   ├── PermissionError_         missing scope / permission (403 that is not a budget).
    │   └── SchemaDriftError         a mapped field vanished or changed type under us.
    └── RecordError                  one record rejected (validation rule, picklist, too long,
                                     duplicate rule): dead-letter it, go on, replay later.

Third-party exceptions (hubspot ``ApiException``, simple-salesforce ``SalesforceError``,
``requests``/``urllib3``/``httpx`` transport errors) are translated into this tree in the client
modules (``connector.hubspot.client``, ``connector.salesforce.client``) and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# Exit codes of the ``connector`` command (the table in docs/operations.md). Stable: scripts and
# systemd units (``RestartPreventExitStatus=2``) rely on them.
EXIT_OK = 0
EXIT_WARNINGS = 1
"""done, but something needs a look: validation warnings, rows that could not be read."""
EXIT_RECORDS_FAILED = 1
"""the run finished, but some records were dead-lettered (or, in a dry run, would be)."""
EXIT_CONFIG = 2
"""bad config, mapping, definition or command line: fix it; nothing was sent anywhere."""
EXIT_FATAL = 3
"""the run stopped: fatal error, retries exhausted, state store unusable, job lease held."""
EXIT_INTERNAL = 4
"""an unexpected error (a bug): run again with ``--debug`` and report the traceback."""
EXIT_INTERRUPTED = 130
"""SIGINT (Ctrl-C), 128 + 2."""
EXIT_BROKEN_PIPE = 141
"""stdout closed early (``connector status | head``), 128 + SIGPIPE, like other Unix tools."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a config, mapping or definition file."""

    file: str
    key: str
    message: str
    severity: Severity = "error"
    line: int | None = None
    suggestion: str | None = None

    def render(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: [{self.key}] {self.severity}: {self.message}"
        if self.suggestion:
            text += f" (fix: {self.suggestion})"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "key": self.key,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
        }


class ConnectorError(Exception):
    """Base class of every error the connector raises on purpose."""


class ConfigError(ConnectorError):
    """A bad config, mapping or definition file. Holds every problem found, not just the first."""

    exit_code = EXIT_CONFIG

    def __init__(self, problems: Sequence[Problem] | Problem | str, *, file: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(file=file or "<config>", key="", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(p.render() for p in self.problems))

    @classmethod
    def raise_if_any(cls, problems: Iterable[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise cls(errors)


class RetriableError(ConnectorError):
    """A transient failure: retry with backoff. ``retry_after`` is the server's hint, seconds."""

    def __init__(
        self,
        message: str,
        *,
        system: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.system = system
        self.status = status
        self.retry_after = retry_after


class RateLimitedError(RetriableError):
    """The remote rate-limited us (HTTP 429, HubSpot ``policyName``)."""

    def __init__(
        self,
        message: str,
        *,
        system: str = "",
        status: int | None = 429,
        retry_after: float | None = None,
        policy: str | None = None,
    ) -> None:
        super().__init__(message, system=system, status=status, retry_after=retry_after)
        self.policy = policy


class FatalError(ConnectorError):
    """Stop the run cleanly: the cursor does not move, the run is recorded as failed."""

    exit_code = EXIT_FATAL

    def __init__(self, message: str, *, system: str = "", code: str | None = None) -> None:
        super().__init__(message)
        self.system = system
        self.code = code


class AuthError(FatalError):
    """Authentication failed, also after one re-login."""


class BudgetExhaustedError(FatalError):
    """The API budget is spent: Salesforce REQUEST_LIMIT_EXCEEDED, or our configured share."""


class PermissionError_(FatalError):  # noqa: N801 - avoid shadowing the builtin
    """The credentials lack a scope or permission the connector needs."""


class SchemaDriftError(FatalError):
    """A field the mappings rely on disappeared or changed type in a live schema."""


@dataclass
class RecordError(ConnectorError):
    """One record was rejected. It goes to the dead-letter table and the run goes on."""

    code: str
    message: str
    fields: tuple[str, ...] = field(default_factory=tuple)
    record_key: str = ""

    def __post_init__(self) -> None:
        super().__init__(f"{self.code}: {self.message}")

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

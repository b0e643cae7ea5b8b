"""Errors in Salesforce's shapes.

* A request-level failure is a JSON **array** ``[{"message", "errorCode", "fields"?}]`` with an
  HTTP status (``ApiError``).
* A per-record failure (sObject Collections, SaveResult) is ``{"statusCode", "message",
  "fields"}`` (``RecordIssue``): the key is ``statusCode``, not ``errorCode``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SESSION_INVALID = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
ROLLED_BACK_MESSAGE = (
    "Record rolled back because not all records were valid and the request was using AllOrNone "
    "header"
)


class ApiError(Exception):
    """A whole request failed: rendered as ``[{"message", "errorCode", "fields"?}]``."""

    def __init__(self, status: int, error_code: str, message: str,
                 fields: list[str] | None = None) -> None:
        super().__init__(f"{error_code}: {message}")
        self.status = status
        self.error_code = error_code
        self.message = message
        self.fields = fields

    def body(self) -> list[dict[str, Any]]:
        item: dict[str, Any] = {"message": self.message, "errorCode": self.error_code}
        if self.fields is not None:
            item["fields"] = self.fields
        return [item]


def not_found(message: str = "The requested resource does not exist") -> ApiError:
    return ApiError(404, "NOT_FOUND", message)


def malformed_query(message: str) -> ApiError:
    return ApiError(400, "MALFORMED_QUERY", message)


def invalid_field(message: str) -> ApiError:
    return ApiError(400, "INVALID_FIELD", message)


def invalid_type(sobject: str) -> ApiError:
    return ApiError(
        400, "INVALID_TYPE",
        f"sObject type '{sobject}' is not supported. If you are attempting to use a custom "
        "object, be sure to append the '__c' after the entity name. Please reference your WSDL "
        "or the describe call for the appropriate names.")


def no_such_column(name: str, sobject: str) -> str:
    return (f"No such column '{name}' on entity '{sobject}'. If you are attempting to use a "
            "custom field, be sure to append the '__c' after the custom field name. Please "
            "reference your WSDL or the describe call for the appropriate names.")


@dataclass(frozen=True)
class RecordIssue:
    """One per-record error (``statusCode``), optionally with Salesforce's extra keys."""

    status_code: str
    message: str
    fields: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        out.update(statusCode=self.status_code, message=self.message, fields=list(self.fields))
        return out

    def as_api_item(self) -> dict[str, Any]:
        """The same error as a single-record call reports it (``errorCode``)."""
        out: dict[str, Any] = dict(self.extra)
        out.update(message=self.message, errorCode=self.status_code, fields=list(self.fields))
        return out


ROLLED_BACK = RecordIssue("ALL_OR_NONE_OPERATION_ROLLED_BACK", ROLLED_BACK_MESSAGE)


class RecordRejected(Exception):
    """An in-process write (``sim.org.insert`` / ``update``) failed validation."""

    def __init__(self, issues: list[RecordIssue]) -> None:
        super().__init__("; ".join(f"{i.status_code}: {i.message}" for i in issues))
        self.issues = issues

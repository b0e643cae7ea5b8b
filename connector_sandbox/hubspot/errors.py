"""HubSpot-shaped error bodies (facts sheet A6, A7) and the exception the routes raise.

Every error body is ``{status: "error", message, correlationId, category, ...}``; rate-limit
bodies are the real capture's shape: ``{status, message, errorType: "RATE_LIMIT",
correlationId, policyName, requestId}``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from .jsonio import dumps

__all__ = ["ApiError", "dumps", "error_body", "rate_limit_body", "status_body"]

POLICY_MESSAGES = {
    "SECONDLY": "You have reached your secondly limit.",
    "TEN_SECONDLY_ROLLING": "You have reached your ten_secondly_rolling limit.",
    "DAILY": "You have reached your daily limit.",
}
_CATEGORY_BY_STATUS = {
    400: "VALIDATION_ERROR",
    401: "INVALID_AUTHENTICATION",
    403: "MISSING_SCOPES",
    404: "OBJECT_NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "VALIDATION_ERROR",
    415: "VALIDATION_ERROR",
    500: "INTERNAL_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}
_MESSAGE_BY_STATUS = {
    500: "internal error",
    502: "Bad Gateway",
    503: "Service Unavailable: the service is temporarily unable to handle the request.",
    504: "Gateway Timeout",
}
AUTH_MISSING = ("Authentication credentials not found. This API supports OAuth 2.0 "
                "authentication and you can find more details at "
                "https://developers.hubspot.com/docs/methods/auth/oauth-overview")
AUTH_INVALID = ("Authentication credentials are invalid: the access token provided is not a "
                "valid private app token.")


def correlation_id() -> str:
    return str(uuid.uuid4())


class ApiError(Exception):
    """Raised by the simulator's handlers; rendered as a HubSpot error body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        category: str | None = None,
        sub_category: str | None = None,
        errors: Sequence[dict[str, Any]] = (),
        context: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.category = category or _CATEGORY_BY_STATUS.get(status, "VALIDATION_ERROR")
        self.sub_category = sub_category
        self.errors = list(errors)
        self.context = context

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.category, sub_category=self.sub_category,
                          errors=self.errors, context=self.context)


def error_body(
    message: str,
    category: str,
    *,
    sub_category: str | None = None,
    errors: Sequence[dict[str, Any]] = (),
    context: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "error", "message": message,
                            "correlationId": correlation_id(), "category": category}
    if sub_category:
        body["subCategory"] = sub_category
    if errors:
        body["errors"] = list(errors)
    if context:
        body["context"] = context
    return body


def rate_limit_body(policy: str) -> dict[str, Any]:
    return {
        "status": "error",
        "message": POLICY_MESSAGES[policy],
        "errorType": "RATE_LIMIT",
        "correlationId": correlation_id(),
        "policyName": policy,
        "requestId": uuid.uuid4().hex,
    }


def status_body(status: int) -> dict[str, Any]:
    """The body of an injected (or otherwise generic) error with this status."""
    return error_body(_MESSAGE_BY_STATUS.get(status, f"HTTP {status}"),
                      _CATEGORY_BY_STATUS.get(status, "INTERNAL_ERROR"))

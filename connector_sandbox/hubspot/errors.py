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

__all__ = ["ApiError", "dumps", "error_body", "missing_scopes_body", "rate_limit_body",
           "status_body"]

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
MISSING_SCOPES = ("This app hasn't been granted all required scopes to make this call. Read more "
                  "about required scopes here: https://developers.hubspot.com/scopes.")
SCOPES_LINK = "https://developers.hubspot.com/scopes"
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


def missing_scopes_body(scopes: Sequence[str]) -> dict[str, Any]:
    """HubSpot's 403 for a call the private app has no scope for (its shape as captured from
    the API: ``errors[].context.requiredGranularScopes`` and ``links.scopes``)."""
    return {
        "status": "error",
        "message": MISSING_SCOPES,
        "correlationId": correlation_id(),
        "errors": [{"message": "One or more of the following scopes are required.",
                    "context": {"requiredGranularScopes": list(scopes)}}],
        "links": {"scopes": SCOPES_LINK},
        "category": "MISSING_SCOPES",
    }


class MissingScopes(ApiError):
    """A resource the simulated private app has no scope for (403 ``MISSING_SCOPES``)."""

    def __init__(self, scopes: Sequence[str]) -> None:
        super().__init__(403, MISSING_SCOPES, category="MISSING_SCOPES")
        self.scopes = tuple(scopes)

    def body(self) -> dict[str, Any]:
        return missing_scopes_body(self.scopes)


def int_param(raw: str | None, default: int, name: str) -> int:
    """A query parameter as an integer (``default`` when absent); 400 as HubSpot answers."""
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer, got {raw!r}.") from None

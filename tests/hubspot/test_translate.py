"""HubSpot's error translation, as a table: SDK exception in, our error (class, code, retry
hint) out. No simulator: the SDK's own ``ApiException`` is built as the SDK would raise it."""

from __future__ import annotations

import json
from typing import Any

import pytest
import urllib3
from hubspot.crm.contacts import ApiException

from connector.errors import (
    AuthError,
    BudgetExhaustedError,
    ConnectorError,
    FatalError,
    PermissionError_,
    RateLimitedError,
    RetriableError,
)
from connector.hubspot.client import HubSpotClient


def api_exception(status: int, body: dict[str, Any] | str | None = None,
                  headers: dict[str, str] | None = None) -> ApiException:
    exc = ApiException(status=status, reason="reason")
    exc.body = json.dumps(body) if isinstance(body, dict) else body
    exc.headers = headers
    return exc


CASES: list[tuple[str, Exception, type[ConnectorError], str | None]] = [
    ("transport", urllib3.exceptions.ProtocolError("reset"), RetriableError, None),
    ("socket", ConnectionResetError("reset"), RetriableError, None),
    ("timeout", TimeoutError(), RetriableError, None),
    ("status 0", api_exception(0), RetriableError, None),
    ("burst 429", api_exception(429, {"policyName": "TEN_SECONDLY_ROLLING"},
                                {"Retry-After": "2"}), RateLimitedError, None),
    ("daily 429", api_exception(429, {"policyName": "DAILY", "message": "daily"}),
     BudgetExhaustedError, "DAILY"),
    ("500", api_exception(500, {"message": "boom"}), RetriableError, None),
    ("503 no body", api_exception(503), RetriableError, None),
    ("401", api_exception(401, {"category": "INVALID_AUTHENTICATION"}), AuthError,
     "INVALID_AUTHENTICATION"),
    ("401 bare", api_exception(401), AuthError, "401"),
    ("403", api_exception(403, {"category": "MISSING_SCOPES"}), PermissionError_,
     "MISSING_SCOPES"),
    ("400", api_exception(400, {"category": "VALIDATION_ERROR", "message": "bad"}), FatalError,
     "VALIDATION_ERROR"),
    ("404 text body", api_exception(404, "not json"), FatalError, "404"),
    ("unknown", ValueError("odd"), FatalError, None),
]


@pytest.mark.parametrize(("exc", "kind", "code"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_translation_table(exc: Exception, kind: type[ConnectorError], code: str | None) -> None:
    error = HubSpotClient._translate(exc)
    assert type(error) is kind
    if code is not None:
        assert isinstance(error, FatalError) and error.code == code
    if isinstance(error, RetriableError | FatalError):
        assert error.system == "hubspot"


def test_rate_limit_carries_retry_after_and_policy() -> None:
    error = HubSpotClient._translate(api_exception(
        429, {"policyName": "TEN_SECONDLY_ROLLING"}, {"Retry-After": "2.5"}))
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 2.5 and error.policy == "TEN_SECONDLY_ROLLING"
    unparsable = HubSpotClient._translate(api_exception(429, {}, {"Retry-After": "soon"}))
    assert isinstance(unparsable, RateLimitedError) and unparsable.retry_after is None

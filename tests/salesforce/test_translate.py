"""Salesforce's error translation, as a table: simple-salesforce / requests exception in, our
error (class, code) out. No simulator: the library's exceptions are built as it raises them."""

from __future__ import annotations

import pytest
import requests
from simple_salesforce.exceptions import (
    SalesforceError,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

from connector.errors import (
    BudgetExhaustedError,
    ConnectorError,
    FatalError,
    PermissionError_,
    RetriableError,
    SchemaDriftError,
)
from connector.salesforce.client import SalesforceClient


def sf_error(cls: type[SalesforceError], status: int, code: str = "",
             message: str = "msg") -> SalesforceError:
    content = [{"errorCode": code, "message": message}] if code else []
    return cls("https://example.my.salesforce.com/x", status, "Lead", content)  # type: ignore[arg-type]


CASES: list[tuple[str, Exception, type[ConnectorError], str | None]] = [
    ("transport", requests.ConnectionError("reset"), RetriableError, None),
    ("timeout", requests.Timeout("slow"), RetriableError, None),
    ("daily limit", sf_error(SalesforceRefusedRequest, 403, "REQUEST_LIMIT_EXCEEDED"),
     BudgetExhaustedError, "REQUEST_LIMIT_EXCEEDED"),
    ("no permission", sf_error(SalesforceRefusedRequest, 403, "INSUFFICIENT_ACCESS"),
     PermissionError_, "INSUFFICIENT_ACCESS"),
    ("403 bare", sf_error(SalesforceRefusedRequest, 403), PermissionError_, "403"),
    ("invalid field", sf_error(SalesforceMalformedRequest, 400, "INVALID_FIELD"),
     SchemaDriftError, "INVALID_FIELD"),
    ("invalid type", sf_error(SalesforceMalformedRequest, 400, "INVALID_TYPE"),
     SchemaDriftError, "INVALID_TYPE"),
    ("malformed", sf_error(SalesforceMalformedRequest, 400, "MALFORMED_QUERY"), FatalError,
     "MALFORMED_QUERY"),
    ("400 bare", sf_error(SalesforceMalformedRequest, 400), FatalError, "400"),
    ("not found", sf_error(SalesforceResourceNotFound, 404, "NOT_FOUND"), FatalError,
     "NOT_FOUND"),
    ("500", sf_error(SalesforceGeneralError, 500, "UNKNOWN_EXCEPTION"), RetriableError, None),
    ("503", sf_error(SalesforceGeneralError, 503), RetriableError, None),
    ("429", sf_error(SalesforceGeneralError, 429), RetriableError, None),
    ("418", sf_error(SalesforceGeneralError, 418, "TEAPOT"), FatalError, "TEAPOT"),
]


@pytest.mark.parametrize(("exc", "kind", "code"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_translation_table(exc: Exception, kind: type[ConnectorError], code: str | None) -> None:
    error = SalesforceClient._translate(exc)
    assert type(error) is kind
    if code is not None:
        assert isinstance(error, FatalError) and error.code == code
    if isinstance(error, RetriableError | FatalError):
        assert error.system == "salesforce"


def test_server_errors_keep_their_status() -> None:
    error = SalesforceClient._translate(sf_error(SalesforceGeneralError, 503))
    assert isinstance(error, RetriableError) and error.status == 503

"""Payload builders shared by the Salesforce simulator tests."""

from __future__ import annotations

from typing import Any

from connector.sandbox.salesforce.ids import to18

# simple-salesforce types ``sf.Lead`` as ``SFType | SFBulkType | SFBulk2Type`` (its __getattr__)
# and ``restful`` as ``Any | None``; tests use the client attribute-style, so they see it as Any.
Client = Any
EXT = "HubSpot_Contact_Id__c"
UPSERT = f"composite/sobjects/Lead/{EXT}"


def lead(i: int | str, **extra: Any) -> dict[str, Any]:
    """A valid Lead for a collection call (``attributes`` included)."""
    body: dict[str, Any] = {"attributes": {"type": "Lead"}, EXT: f"hs-{i}", "FirstName": "Ada",
                            "LastName": f"Lovelace {i}", "Company": "Analytical Engines",
                            "Email": f"ada{i}@engines.example"}
    body.update(extra)
    return body


def codes(result: dict[str, Any]) -> list[str]:
    """The statusCodes of one collection result."""
    return [e["statusCode"] for e in result["errors"]]


def unused_id(prefix: str) -> str:
    """A well-formed 18-character id of ``prefix``'s type that no record has."""
    full = to18(f"{prefix}Dn000000ZZZZ")
    assert full is not None
    return full


def content(error: BaseException) -> Any:
    """The parsed body simple-salesforce keeps on ``SalesforceError`` (typed there as bytes)."""
    return getattr(error, "content")  # noqa: B009

"""An in-memory ``SchemaSource``: the sandbox portal and org as the JSON fixtures describe them."""

from __future__ import annotations

from typing import Any

from tests.fieldmap.conftest import as_created, describes, seeded_properties


class FakeSchemaSource:
    """HubSpot properties that ``create_hubspot_property`` really adds to; Salesforce describes."""

    def __init__(
        self,
        properties: list[dict[str, Any]] | None = None,
        salesforce: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.properties = list(seeded_properties() if properties is None else properties)
        self.describes = describes() if salesforce is None else salesforce
        self.created: list[str] = []
        self.calls: list[str] = []

    def hubspot_properties(self) -> list[dict[str, Any]]:
        self.calls.append("GET properties")
        return [dict(p) for p in self.properties]

    def salesforce_describe(self, sobject: str) -> dict[str, Any]:
        self.calls.append(f"describe {sobject}")
        return self.describes[sobject]

    def create_hubspot_property(self, body: dict[str, Any]) -> None:
        self.calls.append(f"POST {body['name']}")
        if any(p["name"] == body["name"] for p in self.properties):
            raise AssertionError(f"409: property {body['name']} already exists")
        self.properties.append(as_created(body))
        self.created.append(str(body["name"]))

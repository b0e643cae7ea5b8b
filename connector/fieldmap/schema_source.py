"""Where the live schemas come from: a small protocol the HubSpot / Salesforce clients satisfy.

``validate --live`` and ``setup`` only need these three calls; tests pass an in-memory fake.
The real one is ``connections.LiveSchemaSource`` (built from a command's arguments by
``commands._schema.live_schema_source``).
"""

from __future__ import annotations

from typing import Any, Protocol


class SchemaSource(Protocol):
    def hubspot_properties(self) -> list[dict[str, Any]]:
        """``GET /crm/v3/properties/contacts`` -> ``results``."""
        ...

    def salesforce_describe(self, sobject: str) -> dict[str, Any]:
        """``GET /sobjects/<sobject>/describe``."""
        ...

    def create_hubspot_property(self, body: dict[str, Any]) -> None:
        """``POST /crm/v3/properties/contacts``."""
        ...


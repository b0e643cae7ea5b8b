"""Where the live schemas come from: a small protocol the HubSpot / Salesforce clients satisfy.

``validate --live`` and ``setup`` only need these three calls; tests pass an in-memory fake.
``live_schema_source`` builds the real one from the command's arguments (wired later, when the
clients exist).
"""

from __future__ import annotations

import argparse
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


def live_schema_source(args: argparse.Namespace) -> SchemaSource:
    """The schema source of the configured HubSpot portal and Salesforce org."""
    from connector.connections import LiveSchemaSource
    from connector.settings import load_settings

    return LiveSchemaSource(load_settings(getattr(args, "config", None)))

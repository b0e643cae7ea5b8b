"""Value objects that cross module boundaries. Frozen: a record never changes after it is read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

PropertyValue = str | None


@dataclass(frozen=True)
class Contact:
    """One HubSpot contact as pulled: its id and its properties exactly as HubSpot returns them
    (every value a string or None). ``updated_at`` is ``lastmodifieddate`` parsed, if present."""

    id: str
    properties: Mapping[str, PropertyValue] = field(default_factory=dict)
    updated_at: datetime | None = None

    def get(self, name: str) -> PropertyValue:
        return self.properties.get(name)

    @property
    def email(self) -> str | None:
        value = self.properties.get("email")
        return value.strip().lower() if value else None

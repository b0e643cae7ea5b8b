"""``/crm/v3/properties/{contacts,deals}``: list, read, create (201; 409 on an existing name),
update options or labels (PATCH), archive custom properties (DELETE, 204). Facts sheet A5.
Other HubSpot object types answer 403 ``MISSING_SCOPES`` (``scopes.py``); names HubSpot does
not know, 400."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .config import SANDBOX_USER_ID
from .errors import ApiError, MissingScopes
from .properties import FIELD_TYPES_BY_TYPE, TYPES, Option, PropertyDef, PropertyRegistry
from .scopes import schema_scope
from .timefmt import to_iso

OBJECT_TYPES = {"contacts": "contacts", "contact": "contacts", "0-1": "contacts",
                "deals": "deals", "deal": "deals", "0-3": "deals"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _options(raw: Any, name: str) -> tuple[Option, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ApiError(400, f"options of {name} must be a list.")
    options: list[Option] = []
    for n, item in enumerate(raw):
        if not isinstance(item, dict) or not item.get("label") or item.get("value") in (None, ""):
            raise ApiError(400, f"Option {n} of {name} needs a label and a value.")
        options.append(Option(str(item["label"]), str(item["value"]),
                              int(item.get("displayOrder", n)), bool(item.get("hidden", False))))
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        raise ApiError(400, f"Options of {name} have duplicate values.")
    return tuple(options)


class PropertyOps:
    def __init__(self, registries: dict[str, PropertyRegistry], now_ms: Any) -> None:
        self.registries = registries
        """canonical object type ("contacts", "deals") -> its properties"""
        self._now_ms = now_ms

    def _registry(self, object_type: str) -> tuple[str, PropertyRegistry]:
        canonical = OBJECT_TYPES.get(object_type.lower())
        if canonical is not None:
            return canonical, self.registries[canonical]
        scope = schema_scope(object_type)
        if scope:
            raise MissingScopes([scope])
        raise ApiError(400, f"Unable to infer object type from: {object_type}")

    def _find(self, object_type: str, name: str) -> tuple[PropertyRegistry, PropertyDef]:
        canonical, registry = self._registry(object_type)
        prop = registry.get(name)
        if prop is None:
            raise ApiError(404, f"Unable to find property {name} for object type {canonical}.",
                           category="OBJECT_NOT_FOUND")
        return registry, prop

    def list(self, object_type: str, archived: bool) -> dict[str, Any]:
        _, registry = self._registry(object_type)
        return {"results": [] if archived else [p.as_dict() for p in registry.all()]}

    def get(self, object_type: str, name: str) -> dict[str, Any]:
        return self._find(object_type, name)[1].as_dict()

    def create(self, object_type: str, body: Any) -> dict[str, Any]:
        _, registry = self._registry(object_type)
        if not isinstance(body, dict):
            raise ApiError(400, "Invalid input JSON: expected a property definition object.")
        missing = [k for k in ("name", "label", "type", "fieldType", "groupName")
                   if not body.get(k)]
        if missing:
            raise ApiError(400, f"Missing required fields: {missing}.")
        name, ptype, field_type = str(body["name"]), str(body["type"]), str(body["fieldType"])
        if not _NAME.match(name):
            raise ApiError(400, f"Property name {name!r} must start with a lowercase letter and "
                                f"contain only lowercase letters, digits and underscores.")
        if registry.get(name) is not None:
            raise ApiError(409, f"Property named '{name}' already exists.",
                           category="OBJECT_ALREADY_EXISTS",
                           sub_category="PropertyValidationError.PROPERTY_ALREADY_EXISTS")
        if ptype not in TYPES:
            raise ApiError(400, f"type must be one of {list(TYPES)}, got {ptype!r}.")
        if field_type not in FIELD_TYPES_BY_TYPE[ptype]:
            raise ApiError(400, f"fieldType {field_type!r} is not valid for type {ptype!r}; "
                                f"use one of {sorted(FIELD_TYPES_BY_TYPE[ptype])}.")
        options = _options(body.get("options"), name)
        if field_type == "booleancheckbox" and not options:
            options = (Option("Yes", "true", 0), Option("No", "false", 1))
        if ptype == "enumeration" and not options:
            raise ApiError(400, f"Enumeration property {name} needs options.")
        stamp = to_iso(self._now_ms())
        prop = PropertyDef(
            name=name, label=str(body["label"]), type=ptype, field_type=field_type,
            group_name=str(body["groupName"]), description=str(body.get("description") or ""),
            options=options, hubspot_defined=False,
            has_unique_value=bool(body.get("hasUniqueValue", False)),
            display_order=int(body.get("displayOrder", -1)), created_at=stamp,
            updated_at=stamp, created_user_id=SANDBOX_USER_ID, updated_user_id=SANDBOX_USER_ID)
        registry.put(prop)
        return prop.as_dict()

    def update(self, object_type: str, name: str, body: Any) -> dict[str, Any]:
        registry, prop = self._find(object_type, name)
        if prop.hubspot_defined:
            raise ApiError(400, f"{name} is a HubSpot-defined property; its definition is "
                                f"read-only.", category="VALIDATION_ERROR")
        if not isinstance(body, dict):
            raise ApiError(400, "Invalid input JSON: expected a property update object.")
        changes: dict[str, Any] = {"updated_at": to_iso(self._now_ms()),
                                   "updated_user_id": SANDBOX_USER_ID}
        for key, attr in (("label", "label"), ("description", "description"),
                          ("groupName", "group_name")):
            if key in body:
                changes[attr] = str(body[key])
        if "displayOrder" in body:
            changes["display_order"] = int(body["displayOrder"])
        if "options" in body:
            changes["options"] = _options(body["options"], name)
        updated = replace(prop, **changes)
        registry.put(updated)
        return updated.as_dict()

    def archive(self, object_type: str, name: str) -> None:
        registry, prop = self._find(object_type, name)
        if prop.hubspot_defined:
            raise ApiError(400, f"{name} is a HubSpot-defined property and cannot be archived.")
        registry.remove(name)

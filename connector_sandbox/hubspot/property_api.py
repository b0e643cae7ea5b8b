"""``/crm/v3/properties/contacts``: list, read, create (201; 409 on an existing name), update
options or labels (PATCH), archive custom properties (DELETE, 204). Facts sheet A5."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .errors import ApiError
from .properties import FIELD_TYPES_BY_TYPE, TYPES, Option, PropertyDef, PropertyRegistry
from .timefmt import to_iso

OBJECT_TYPES = frozenset({"contacts", "contact", "0-1"})
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_object_type(object_type: str) -> None:
    if object_type.lower() not in OBJECT_TYPES:
        raise ApiError(400, f"Unable to infer object type from: {object_type}. The sandbox "
                            f"simulates contacts only.")


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
    def __init__(self, registry: PropertyRegistry, now_ms: Any) -> None:
        self.registry = registry
        self._now_ms = now_ms

    def list(self, object_type: str, archived: bool) -> dict[str, Any]:
        _check_object_type(object_type)
        return {"results": [] if archived else [p.as_dict() for p in self.registry.all()]}

    def get(self, object_type: str, name: str) -> dict[str, Any]:
        _check_object_type(object_type)
        prop = self.registry.get(name)
        if prop is None:
            raise ApiError(404, f"Unable to find property {name} for object type contacts.",
                           category="OBJECT_NOT_FOUND")
        return prop.as_dict()

    def create(self, object_type: str, body: Any) -> dict[str, Any]:
        _check_object_type(object_type)
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
        if self.registry.get(name) is not None:
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
            updated_at=stamp)
        self.registry.put(prop)
        return prop.as_dict()

    def update(self, object_type: str, name: str, body: Any) -> dict[str, Any]:
        _check_object_type(object_type)
        prop = self.registry.get(name)
        if prop is None:
            raise ApiError(404, f"Unable to find property {name} for object type contacts.",
                           category="OBJECT_NOT_FOUND")
        if prop.hubspot_defined:
            raise ApiError(400, f"{name} is a HubSpot-defined property; its definition is "
                                f"read-only.", category="VALIDATION_ERROR")
        if not isinstance(body, dict):
            raise ApiError(400, "Invalid input JSON: expected a property update object.")
        changes: dict[str, Any] = {"updated_at": to_iso(self._now_ms())}
        for key, attr in (("label", "label"), ("description", "description"),
                          ("groupName", "group_name")):
            if key in body:
                changes[attr] = str(body[key])
        if "displayOrder" in body:
            changes["display_order"] = int(body["displayOrder"])
        if "options" in body:
            changes["options"] = _options(body["options"], name)
        updated = replace(prop, **changes)
        self.registry.put(updated)
        return updated.as_dict()

    def archive(self, object_type: str, name: str) -> None:
        _check_object_type(object_type)
        prop = self.registry.get(name)
        if prop is None:
            raise ApiError(404, f"Unable to find property {name} for object type contacts.",
                           category="OBJECT_NOT_FOUND")
        if prop.hubspot_defined:
            raise ApiError(400, f"{name} is a HubSpot-defined property and cannot be archived.")
        self.registry.remove(name)

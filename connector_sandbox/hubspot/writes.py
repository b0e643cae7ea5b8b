"""What single and batch endpoints share: resolving ids (``idProperty``), validating written
properties, and HubSpot's ``StandardError`` entries for 207 responses and 4xx bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .config import APP_ID
from .errors import ApiError
from .properties import PropertyRegistry, ValueProblem
from .store import Changes, ContactStore, WriteConflict

NOT_FOUND_MESSAGE = ("Could not get some CONTACT objects, they may be deleted or not exist. "
                     "Check that ids are valid.")


def resolve_id(store: ContactStore, registry: PropertyRegistry, raw_id: Any,
               id_property: str | None) -> int | None:
    """The numeric id of the contact ``raw_id`` names (by record id, email or another unique
    property), or None when there is no such contact. The caller holds the store lock."""
    text = "" if raw_id is None else str(raw_id).strip()
    if not id_property or id_property == "hs_object_id":
        if not text.isdigit():
            return None
        cid = int(text)
        return cid if store.record(cid) is not None else None
    if not registry.is_unique(id_property):
        raise ApiError(400, f"{id_property} is not a unique property and cannot be used as an "
                            f"idProperty.", category="VALIDATION_ERROR")
    if id_property == "email":
        return store.id_by_email(text)
    for cid in store.sorted_ids():
        record = store.record(cid)
        if record is not None and record.get(id_property) == text:
            return cid
    return None


def normalize_all(registry: PropertyRegistry,
                  props: Any) -> tuple[Changes, list[ValueProblem]]:
    """Validate every written property; returns the stored forms and all problems found."""
    changes: Changes = {}
    problems: list[ValueProblem] = []
    if not isinstance(props, Mapping):
        return changes, [ValueProblem("properties", "INVALID_INPUT",
                                      "properties must be an object of name -> value")]
    for name, value in props.items():
        try:
            changes[str(name)] = registry.normalize(str(name), value)
        except ValueProblem as problem:
            problems.append(problem)
    return changes, problems


def with_creation_defaults(changes: Changes) -> Changes:
    """What HubSpot adds to a contact the private app creates: the record source, and
    ``lifecyclestage`` ``lead`` unless the request set one."""
    created: Changes = {"hs_object_source": "INTEGRATION", "hs_object_source_id": APP_ID,
                        "hs_object_source_label": "INTEGRATION"}
    if "lifecyclestage" not in changes:
        created["lifecyclestage"] = "lead"
    created.update(changes)
    return created


def validation_message(problems: list[ValueProblem]) -> str:
    return "Property values were not valid: " + json.dumps([p.as_dict() for p in problems])


def validation_error(raw_id: str, problems: list[ValueProblem]) -> dict[str, Any]:
    """A 207 ``errors[]`` entry for one input whose properties were refused."""
    return {
        "status": "error",
        "category": "VALIDATION_ERROR",
        "message": validation_message(problems),
        "context": {"ids": [raw_id], "propertyName": [p.name for p in problems]},
        "errors": [{"message": p.message, "code": p.code,
                    "context": {"propertyName": [p.name]}} for p in problems],
        "links": {},
    }


def not_found_error(raw_ids: list[str]) -> dict[str, Any]:
    return {"status": "error", "category": "OBJECT_NOT_FOUND", "message": NOT_FOUND_MESSAGE,
            "context": {"ids": raw_ids}, "errors": [], "links": {}}


def conflict_error(raw_id: str, conflict: WriteConflict) -> dict[str, Any]:
    return {"status": "error", "category": "CONFLICT", "message": str(conflict),
            "context": {"ids": [raw_id], "existingId": [str(conflict.existing_id)]},
            "errors": [], "links": {}}


def invalid_input_error(raw_id: str, message: str) -> dict[str, Any]:
    return {"status": "error", "category": "VALIDATION_ERROR", "message": message,
            "context": {"ids": [raw_id]}, "errors": [], "links": {}}


def raise_if_invalid(problems: list[ValueProblem]) -> None:
    """Single-object writes refuse the whole call (400) when any property is refused."""
    if problems:
        raise ApiError(400, validation_message(problems), category="VALIDATION_ERROR",
                       errors=[{"message": p.message, "code": p.code,
                                "context": {"propertyName": [p.name]}} for p in problems])

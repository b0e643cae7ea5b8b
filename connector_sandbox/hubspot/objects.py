"""Single-contact endpoints and the paged list (facts sheet A3):

- ``GET /crm/v3/objects/contacts`` (``limit`` ≤ 100, ``after`` cursor = the next id, no total)
- ``GET /crm/v3/objects/contacts/{id}`` (``idProperty=email`` supported)
- ``POST /crm/v3/objects/contacts`` (201; 409 CONFLICT when the email exists)
- ``PATCH /crm/v3/objects/contacts/{id}`` and ``DELETE`` (204)
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError
from .properties import PropertyRegistry
from .render import list_page, render_object, render_written, wanted_properties
from .store import ContactStore, WriteConflict
from .writes import normalize_all, raise_if_invalid, resolve_id, with_creation_defaults


def _not_found(raw_id: str) -> ApiError:
    return ApiError(404, f"resource not found: contact {raw_id} does not exist",
                    category="OBJECT_NOT_FOUND", context={"id": [raw_id]})


class ObjectOps:
    def __init__(self, store: ContactStore, registry: PropertyRegistry) -> None:
        self.store = store
        self.registry = registry

    def _wanted(self, properties: list[str]) -> tuple[str, ...]:
        return tuple(n for n in wanted_properties(properties) if self.registry.get(n))

    def list_page(self, limit_raw: str | None, after_raw: str | None, properties: list[str],
                  archived: bool, base_url: str) -> dict[str, Any]:
        wanted = self._wanted(properties)
        with self.store.lock:
            return list_page(
                self.store.ids_from,
                lambda cid: render_object(cid, self.store.record(cid) or {}, wanted),
                limit_raw=limit_raw, after_raw=after_raw, archived=archived,
                link=f"{base_url}/crm/v3/objects/contacts")

    def get(self, raw_id: str, properties: list[str], id_property: str | None,
            archived: bool) -> dict[str, Any]:
        with self.store.lock:
            cid = resolve_id(self.store, self.registry, raw_id, id_property)
            record = None if cid is None or archived else self.store.record(cid)
            if cid is None or record is None:
                raise _not_found(raw_id)
            return render_object(cid, record, self._wanted(properties))

    def create(self, body: Any) -> dict[str, Any]:
        props = body.get("properties") if isinstance(body, dict) else None
        changes, problems = normalize_all(self.registry, props or {})
        raise_if_invalid(problems)
        with self.store.lock:
            try:
                self.store.check_email(None, changes)
            except WriteConflict as conflict:
                raise ApiError(409, str(conflict), category="CONFLICT") from None
            cid = self.store.write([(None, with_creation_defaults(changes))])[0]
            return render_written(cid, self.store.record(cid) or {}, changes)

    def update(self, raw_id: str, body: Any, id_property: str | None) -> dict[str, Any]:
        props = body.get("properties") if isinstance(body, dict) else None
        changes, problems = normalize_all(self.registry, props or {})
        raise_if_invalid(problems)
        with self.store.lock:
            cid = resolve_id(self.store, self.registry, raw_id, id_property)
            if cid is None:
                raise _not_found(raw_id)
            try:
                self.store.check_email(cid, changes)
            except WriteConflict as conflict:
                raise ApiError(409, str(conflict), category="CONFLICT") from None
            self.store.write([(cid, changes)])
            return render_written(cid, self.store.record(cid) or {}, changes)

    def delete(self, raw_id: str) -> None:
        with self.store.lock:
            cid = resolve_id(self.store, self.registry, raw_id, None)
            if cid is not None:
                self.store.delete(cid)


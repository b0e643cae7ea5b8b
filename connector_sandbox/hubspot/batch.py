"""``POST /crm/v3/objects/contacts/batch/{read,update,upsert,create,archive}`` (facts sheet A4).

At most 100 inputs (400 beyond). Inputs that fail (unknown id, unknown or read-only property,
invalid enumeration option, email already taken) become ``errors[]`` entries of a 207
``...WithErrors`` response; the others are applied, all with one shared ``lastmodifieddate``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from .errors import ApiError
from .properties import PropertyRegistry
from .render import render_object, render_written, wanted_properties
from .store import Changes, ContactStore, WriteConflict
from .timefmt import to_iso
from .writes import (
    conflict_error,
    invalid_input_error,
    normalize_all,
    not_found_error,
    resolve_id,
    validation_error,
    with_creation_defaults,
)

MAX_INPUTS = 100
MAX_INPUTS_WITH_HISTORY = 50
Result = tuple[int, dict[str, Any] | None]


class BatchOps:
    def __init__(self, store: ContactStore, registry: PropertyRegistry,
                 now_ms: Callable[[], int]) -> None:
        self.store = store
        self.registry = registry
        self._now_ms = now_ms

    def read(self, body: Any, archived: bool = False) -> Result:
        inputs = _inputs(body)
        with_history = [str(p) for p in body.get("propertiesWithHistory") or []]
        if with_history and len(inputs) > MAX_INPUTS_WITH_HISTORY:
            raise ApiError(400, f"Batch read with propertiesWithHistory is limited to "
                                f"{MAX_INPUTS_WITH_HISTORY} inputs, got {len(inputs)}.")
        wanted = wanted_properties(str(p) for p in body.get("properties") or [])
        wanted = tuple(n for n in wanted if self.registry.get(n) is not None)
        started = self._stamp()
        results, missing, seen = [], [], set()
        with self.store.lock:
            for item in inputs:
                raw = str(item.get("id", ""))
                cid = None if archived else resolve_id(self.store, self.registry, raw,
                                                       body.get("idProperty"))
                record = None if cid is None else self.store.record(cid)
                if cid is None or record is None:
                    missing.append(raw)
                elif cid not in seen:
                    seen.add(cid)
                    obj = render_object(cid, record, wanted)
                    if with_history:
                        obj["propertiesWithHistory"] = _history(record, with_history)
                    results.append(obj)
        errors = [not_found_error(missing)] if missing else []
        return self._response(200, started, results, errors)

    def update(self, body: Any) -> Result:
        inputs = _inputs(body)
        _no_duplicates([str(i.get("id", "")).lower() for i in inputs])
        started = self._stamp()
        with self.store.lock:
            planned: list[tuple[str, int | None, Changes]] = []
            errors: list[dict[str, Any]] = []
            missing: list[str] = []
            for item in inputs:
                raw = str(item.get("id", ""))
                cid = resolve_id(self.store, self.registry, raw, item.get("idProperty"))
                if cid is None:
                    missing.append(raw)
                    continue
                changes = self._checked(raw, item, cid, planned, errors)
                if changes is not None:
                    planned.append((raw, cid, changes))
            if missing:
                errors.insert(0, not_found_error(missing))
            results = self._apply(planned)
        return self._response(200, started, results, errors)

    def create(self, body: Any) -> Result:
        inputs = _inputs(body)
        started = self._stamp()
        with self.store.lock:
            planned: list[tuple[str, int | None, Changes]] = []
            errors: list[dict[str, Any]] = []
            for n, item in enumerate(inputs):
                raw = str(item.get("objectWriteTraceId") or n)
                changes = self._checked(raw, item, None, planned, errors)
                if changes is not None:
                    planned.append((raw, None, changes))
            results = self._apply(planned)
        return self._response(201, started, results, errors)

    def upsert(self, body: Any) -> Result:
        inputs = _inputs(body)
        _no_duplicates([str(i.get("id", "")).lower() for i in inputs])
        started = self._stamp()
        with self.store.lock:
            planned: list[tuple[str, int | None, Changes]] = []
            errors: list[dict[str, Any]] = []
            for item in inputs:
                raw, id_property = str(item.get("id", "")), item.get("idProperty")
                cid = resolve_id(self.store, self.registry, raw, id_property)
                if cid is None and (not id_property or id_property == "hs_object_id"):
                    errors.append(not_found_error([raw]))
                    continue
                props = dict(item.get("properties") or {})
                if cid is None:  # a new record carries the value it was looked up by
                    given = props.setdefault(str(id_property), raw)
                    if str(given).strip().lower() != raw.strip().lower():
                        errors.append(invalid_input_error(
                            raw, f"The {id_property} in properties ({given}) differs from "
                                 f"the id being upserted ({raw})."))
                        continue
                changes = self._checked(raw, {"properties": props}, cid, planned, errors)
                if changes is not None:
                    planned.append((raw, cid, changes))
            new = [cid is None for _, cid, _ in planned]
            results = self._apply(planned)
        for obj, is_new in zip(results, new, strict=True):
            obj["new"] = is_new
        return self._response(200, started, results, errors)

    def archive(self, body: Any) -> Result:
        inputs = _inputs(body)
        with self.store.lock:
            for item in inputs:
                cid = resolve_id(self.store, self.registry, item.get("id"), None)
                if cid is not None:
                    self.store.delete(cid)
        return 204, None

    # -- helpers ----------------------------------------------------------------------------
    def _checked(self, raw: str, item: dict[str, Any], cid: int | None,
                 planned: list[tuple[str, int | None, Changes]],
                 errors: list[dict[str, Any]]) -> Changes | None:
        changes, problems = normalize_all(self.registry, item.get("properties") or {})
        if problems:
            errors.append(validation_error(raw, problems))
            return None
        try:
            self.store.check_email(cid, changes)
        except WriteConflict as conflict:
            errors.append(conflict_error(raw, conflict))
            return None
        email = changes.get("email")
        if email and any(c.get("email") == email for _, _, c in planned):
            errors.append(invalid_input_error(raw, f"Duplicate email in batch input: {email}"))
            return None
        return changes

    def _apply(self, planned: list[tuple[str, int | None, Changes]]) -> list[dict[str, Any]]:
        ids = self.store.write([(cid, changes if cid is not None else
                                 with_creation_defaults(changes))
                                for _, cid, changes in planned])
        results = []
        for cid, (_, _, changes) in zip(ids, planned, strict=True):
            record = self.store.record(cid) or {}
            results.append(render_written(cid, record, changes))
        return results

    def _stamp(self) -> str:
        return to_iso(self._now_ms())

    def _response(self, ok: int, started: str, results: list[dict[str, Any]],
                  errors: list[dict[str, Any]]) -> Result:
        body: dict[str, Any] = {"status": "COMPLETE", "results": results,
                                "startedAt": started, "completedAt": self._stamp()}
        if errors:
            body["numErrors"] = len(errors)
            body["errors"] = errors
            return 207, body
        return ok, body


def _inputs(body: Any) -> list[dict[str, Any]]:
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, list) or not all(isinstance(i, dict) for i in inputs):
        raise ApiError(400, "Invalid input JSON: expected {\"inputs\": [...]}.")
    if len(inputs) > MAX_INPUTS:
        raise ApiError(400, f"Too many inputs: {len(inputs)}. A batch takes at most "
                            f"{MAX_INPUTS} inputs.")
    return inputs


def _no_duplicates(ids: list[str]) -> None:
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
    if dupes:
        raise ApiError(400, f"Duplicate IDs found in batch input: {dupes}. IDs must be unique.")


def _history(record: dict[str, str], names: list[str]) -> dict[str, list[dict[str, str]]]:
    """The current value as a one-entry history (the simulator keeps no older versions)."""
    stamp = record.get("lastmodifieddate", "")
    return {n: [{"value": record[n], "timestamp": stamp, "sourceType": "API"}]
            for n in names if n in record}

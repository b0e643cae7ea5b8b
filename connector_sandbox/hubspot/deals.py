"""Deals: ``/crm/v3/objects/deals`` list, get, create, update, archive and search, and the deal
properties behind ``/crm/v3/properties/deals``.

Deals are few in a sandbox portal (the simulated sales team and tests make them), so search
scans them instead of keeping an index. ``hs_lastmodifieddate`` (not ``lastmodifieddate``)
moves on every write; ``hs_is_closed``, ``hs_is_closed_won`` and ``hs_deal_stage_probability``
follow the stage, as HubSpot computes them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from .config import PORTAL_ID, HubSpotSimConfig
from .errors import ApiError
from .filters import stored_key, tokens
from .index import Props
from .pipelines import OWNERS, PIPELINE_ID, STAGE_BY_ID, STAGES
from .properties import Option, PropertyDef, PropertyRegistry, ValueProblem
from .render import list_page, render_object, render_written
from .search import parse_search
from .timefmt import to_iso
from .writes import normalize_all, raise_if_invalid

FIRST_DEAL_ID = 9_100_000_001
DEAL_LMD = "hs_lastmodifieddate"
DEAL_URL = f"https://app.hubspot.com/contacts/{PORTAL_ID}/record/0-3/"
DEFAULT_DEAL_PROPERTIES = ("amount", "closedate", "createdate", "dealname", "dealstage",
                           "hs_lastmodifieddate", "hs_object_id", "pipeline")
ALWAYS_DEAL = ("createdate", "hs_lastmodifieddate", "hs_object_id")
DEAL_ECHOED = ("createdate", "hs_lastmodifieddate", "hs_object_id", "pipeline", "dealstage",
               "hs_is_closed", "hs_is_closed_won", "hs_deal_stage_probability")
_BOOL = (Option("Yes", "true", 0), Option("No", "false", 1))


def deal_properties() -> list[PropertyDef]:
    """The deal properties of the seeded portal."""
    p = PropertyDef
    group = "dealinformation"
    props = [
        p("dealname", "Deal Name", "string", "text", group),
        p("amount", "Amount", "number", "number", group),
        p("dealstage", "Deal Stage", "enumeration", "radio", group, options=tuple(
            Option(s.label, s.id, n) for n, s in enumerate(STAGES))),
        p("pipeline", "Pipeline", "enumeration", "select", group,
          options=(Option("Sales Pipeline", PIPELINE_ID, 0),)),
        p("closedate", "Close Date", "datetime", "date", group),
        p("dealtype", "Deal Type", "enumeration", "radio", group, options=(
            Option("New Business", "newbusiness", 0),
            Option("Existing Business", "existingbusiness", 1))),
        p("hubspot_owner_id", "Deal owner", "enumeration", "select", group, options=tuple(
            Option(f"{o.first_name} {o.last_name}", o.id, n) for n, o in enumerate(OWNERS))),
        p("description", "Deal Description", "string", "textarea", group),
        p("closed_lost_reason", "Closed Lost Reason", "string", "textarea", group),
        p("closed_won_reason", "Closed Won Reason", "string", "textarea", group),
        p("createdate", "Create Date", "datetime", "date", group, read_only=True),
        p("hs_lastmodifieddate", "Last Modified Date", "datetime", "date", group,
          read_only=True),
        p("hs_object_id", "Record ID", "number", "number", group, read_only=True,
          has_unique_value=True),
        p("hs_is_closed", "Is Deal Closed?", "bool", "booleancheckbox", group, read_only=True,
          options=_BOOL),
        p("hs_is_closed_won", "Is Closed Won", "bool", "booleancheckbox", group,
          read_only=True, options=_BOOL),
        p("hs_deal_stage_probability", "Deal probability", "number", "number", group,
          read_only=True),
    ]
    return [replace(prop, display_order=n) for n, prop in enumerate(props)]


class DealStore:
    """Deals by numeric id; a write builds a new dict, as for contacts."""

    def __init__(self, registry: PropertyRegistry, now_ms: Callable[[], int]) -> None:
        self.registry = registry
        self.lock = threading.RLock()
        self._now_ms = now_ms
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self._records: dict[int, Props] = {}
            self._next_id = FIRST_DEAL_ID
            self._last_write_ms = 0

    # -- in-process API (tests, the simulated sales team) ----------------------------------
    def create(self, props: Mapping[str, Any]) -> str:
        """Create a deal (read-only properties allowed; values need not be strings)."""
        with self.lock:
            return str(self.write(None, self._trusted(props)))

    def update(self, deal_id: str | int, props: Mapping[str, Any]) -> None:
        with self.lock:
            did = _int_id(deal_id)
            if did not in self._records:
                raise KeyError(f"no deal {deal_id}")
            self.write(did, self._trusted(props))

    def get(self, deal_id: str | int) -> dict[str, str] | None:
        with self.lock:
            record = self._records.get(_int_id(deal_id))
            return dict(record) if record is not None else None

    def all_ids(self) -> list[str]:
        with self.lock:
            return [str(did) for did in sorted(self._records)]

    # -- used by the handlers (caller holds the lock) ----------------------------------------
    def record(self, did: int) -> Props | None:
        return self._records.get(did)

    def ids(self) -> list[int]:
        return sorted(self._records)

    def write(self, did: int | None, changes: Mapping[str, str | None]) -> int:
        now = self._now_ms()
        stamp_ms = max(now, self._last_write_ms + 1)
        self._last_write_ms = stamp_ms
        stamp = to_iso(stamp_ms)
        if did is None:
            did = self._next_id
            self._next_id += 1
            new: Props = {"hs_object_id": str(did), "createdate": stamp,
                          "pipeline": PIPELINE_ID}
        else:
            new = dict(self._records[did])
        for name, value in changes.items():
            if value is None:
                new.pop(name, None)
            else:
                new[name] = value
        stage = STAGE_BY_ID.get(new.get("dealstage", ""))
        for name in ("hs_is_closed", "hs_is_closed_won", "hs_deal_stage_probability"):
            new.pop(name, None)
        if stage is not None:
            new["hs_is_closed"] = "true" if stage.closed else "false"
            new["hs_is_closed_won"] = "true" if stage.id == "closedwon" else "false"
            new["hs_deal_stage_probability"] = stage.probability
        new[DEAL_LMD] = stamp
        self._records[did] = new
        return did

    def remove(self, did: int) -> None:
        self._records.pop(did, None)

    def _trusted(self, props: Mapping[str, Any]) -> dict[str, str | None]:
        try:
            return {k: self.registry.normalize(k, v, trusted=True) for k, v in props.items()}
        except ValueProblem as problem:
            raise ValueError(problem.message) from None


class DealOps:
    """The HTTP operations on deals."""

    def __init__(self, store: DealStore, config: Callable[[], HubSpotSimConfig]) -> None:
        self.store = store
        self.registry = store.registry
        self._config = config

    def _wanted(self, requested: Any) -> tuple[str, ...]:
        names = [str(n) for n in requested or () if n]
        if not names:
            return DEFAULT_DEAL_PROPERTIES
        return tuple(n for n in dict.fromkeys([*names, *ALWAYS_DEAL])
                     if self.registry.get(n) is not None)

    def _render(self, did: int, record: Props, wanted: tuple[str, ...]) -> dict[str, Any]:
        return render_object(did, record, wanted, url=DEAL_URL, modified=DEAL_LMD)

    def list_page(self, limit_raw: str | None, after_raw: str | None, properties: list[str],
                  archived: bool, base_url: str) -> dict[str, Any]:
        wanted = self._wanted(properties)
        with self.store.lock:
            return list_page(
                lambda start, limit: [d for d in self.store.ids() if d >= start][:limit + 1],
                lambda did: self._render(did, self.store.record(did) or {}, wanted),
                limit_raw=limit_raw, after_raw=after_raw, archived=archived,
                link=f"{base_url}/crm/v3/objects/deals")

    def get(self, raw_id: str, properties: list[str], archived: bool) -> dict[str, Any]:
        with self.store.lock:
            did = _int_id(raw_id)
            record = None if archived else self.store.record(did)
            if record is None:
                raise _not_found(raw_id)
            return self._render(did, record, self._wanted(properties))

    def create(self, body: Any) -> dict[str, Any]:
        changes = self._changes(body)
        with self.store.lock:
            did = self.store.write(None, changes)
            return self._written(did, changes)

    def update(self, raw_id: str, body: Any) -> dict[str, Any]:
        changes = self._changes(body)
        with self.store.lock:
            did = _int_id(raw_id)
            if self.store.record(did) is None:
                raise _not_found(raw_id)
            self.store.write(did, changes)
            return self._written(did, changes)

    def archive(self, raw_id: str) -> None:
        with self.store.lock:
            self.store.remove(_int_id(raw_id))

    def search(self, body: Any) -> dict[str, Any]:
        query = parse_search(body, self.registry, self._config())
        wanted = self._wanted(body.get("properties") if isinstance(body, dict) else None)
        with self.store.lock:
            docs = {did: self.store.record(did) or {} for did in self.store.ids()}
            matched = [did for did, d in docs.items()
                       if not query.groups
                       or any(all(f.predicate(d) for f in g) for g in query.groups)]
            if query.query_tokens:  # ``query`` searches the deal name, by word prefix
                matched = [did for did in matched if _named(docs[did], query.query_tokens)]
            for name, descending in reversed(query.sorts):
                prop = self.registry.get(name)
                if prop is None:
                    continue
                key = stored_key(prop)
                present = [i for i in matched if name in docs[i]]
                present.sort(key=lambda i: key(docs[i][name]), reverse=descending)
                matched = present + [i for i in matched if name not in docs[i]]
            page = matched[query.after:query.after + query.limit]
            out: dict[str, Any] = {"total": len(matched),
                                   "results": [self._render(i, docs[i], wanted) for i in page]}
        nxt = query.after + query.limit
        if query.limit and nxt < len(matched):
            out["paging"] = {"next": {"after": str(nxt), "link": f"?after={nxt}"}}
        return out

    def _changes(self, body: Any) -> dict[str, str | None]:
        props = body.get("properties") if isinstance(body, dict) else None
        changes, problems = normalize_all(self.registry, props or {})
        raise_if_invalid(problems)
        return changes

    def _written(self, did: int, changes: Mapping[str, str | None]) -> dict[str, Any]:
        return render_written(did, self.store.record(did) or {}, changes, echoed=DEAL_ECHOED,
                              url=DEAL_URL, modified=DEAL_LMD)


def _named(deal: Props, wanted: tuple[str, ...]) -> bool:
    have = tokens(deal.get("dealname", ""))
    return all(any(t.startswith(w) for t in have) for w in wanted)


def _not_found(raw_id: str) -> ApiError:
    return ApiError(404, f"resource not found: deal {raw_id} does not exist",
                    category="OBJECT_NOT_FOUND", context={"id": [raw_id]})



def _int_id(raw: str | int) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return -1

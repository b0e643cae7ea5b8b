"""``POST /crm/v3/objects/contacts/search``: validation, evaluation, sorting and paging.

Filter groups are ORed, the filters of a group ANDed. ``after`` is an offset; a page reaching
past ``max_search_results`` (10,000) is refused with 400, as HubSpot's search refuses to page
beyond its cap (the rule is Elasticsearch's ``after + limit <= 10000``). ``total`` is the true
number of matches. The ordered id list of a query is cached per index version, so following
``after`` through a result set costs one evaluation, not one per page; when every filter group
bounds ``lastmodifieddate``, evaluation starts from the index's time-sorted keys.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .config import HubSpotSimConfig
from .errors import ApiError
from .filters import CompiledFilter, compile_filter, stored_key, tokens
from .index import LMD, Range, SearchIndex
from .jsonio import canonical, dumps
from .properties import PropertyRegistry
from .render import FragmentCache, wanted_properties

MAX_LIMIT = 200
DEFAULT_LIMIT = 10
MAX_QUERY = 3000
QUERY_PROPERTIES = ("firstname", "lastname", "email", "phone", "company", "website",
                    "hs_email_domain")
_CACHE_SIZE = 64


@dataclass(frozen=True)
class SearchQuery:
    groups: tuple[tuple[CompiledFilter, ...], ...]
    sorts: tuple[tuple[str, bool], ...]
    """(property, descending)"""
    properties: tuple[str, ...]
    limit: int
    after: int
    query_tokens: tuple[str, ...]
    cache_key: bytes


def _bad(message: str) -> ApiError:
    return ApiError(400, message, category="VALIDATION_ERROR")


def parse_search(body: Any, registry: PropertyRegistry, cfg: HubSpotSimConfig) -> SearchQuery:
    if not isinstance(body, dict):
        raise _bad("Invalid input JSON: the search request must be an object.")
    raw_groups = body.get("filterGroups") or []
    if not isinstance(raw_groups, list):
        raise _bad("filterGroups must be a list.")
    if len(raw_groups) > cfg.max_filter_groups:
        raise _bad(f"Too many filter groups: {len(raw_groups)}. "
                   f"The maximum is {cfg.max_filter_groups}.")
    total = 0
    groups: list[tuple[CompiledFilter, ...]] = []
    for group in raw_groups:
        filters = group.get("filters") if isinstance(group, dict) else None
        if not isinstance(filters, list):
            raise _bad("Each filter group needs a 'filters' list.")
        if len(filters) > cfg.max_filters_per_group:
            raise _bad(f"Too many filters in a filter group: {len(filters)}. "
                       f"The maximum is {cfg.max_filters_per_group}.")
        total += len(filters)
        groups.append(tuple(compile_filter(f if isinstance(f, dict) else {}, registry)
                            for f in filters))
    if total > cfg.max_filters_total:
        raise _bad(f"Too many filters: {total}. The maximum across all filter groups is "
                   f"{cfg.max_filters_total}.")
    limit = _int_field(body, "limit", DEFAULT_LIMIT)
    if not 0 <= limit <= MAX_LIMIT:
        raise _bad(f"limit must be between 0 and {MAX_LIMIT}, got {limit}.")
    after = _int_field(body, "after", 0)
    if after < 0:
        raise _bad("after must not be negative.")
    query = body.get("query") or ""
    if not isinstance(query, str) or len(query) > MAX_QUERY:
        raise _bad(f"query must be a string of at most {MAX_QUERY} characters.")
    sorts = tuple(_parse_sort(s, registry) for s in body.get("sorts") or [])
    properties = body.get("properties") or []
    if not isinstance(properties, list):
        raise _bad("properties must be a list of property names.")
    try:
        key = canonical([raw_groups, [list(s) for s in sorts], query])
    except TypeError:
        raise _bad("Invalid input JSON in filterGroups.") from None
    return SearchQuery(tuple(g for g in groups if g), sorts,
                       wanted_properties(str(p) for p in properties), limit, after,
                       tuple(tokens(query)), key)


def _int_field(body: Mapping[str, Any], name: str, default: int) -> int:
    value = body.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad(f"{name} must be an integer, got {value!r}.") from None


def _parse_sort(raw: Any, registry: PropertyRegistry) -> tuple[str, bool]:
    if isinstance(raw, str):  # the SDK types sorts as list[str]: "createdate" / "-createdate"
        name, descending = raw.lstrip("-"), raw.startswith("-")
    elif isinstance(raw, dict):
        name = str(raw.get("propertyName") or "")
        direction = str(raw.get("direction") or "ASCENDING").upper()
        if direction not in ("ASCENDING", "DESCENDING"):
            raise _bad(f"Sort direction must be ASCENDING or DESCENDING, got {direction!r}.")
        descending = direction == "DESCENDING"
    else:
        raise _bad("Each sort must be {propertyName, direction}.")
    if registry.get(name) is None:
        raise _bad(f"Cannot sort on unknown property {name!r}.")
    return name, descending


class SearchEngine:
    """Evaluates queries against a ``SearchIndex``; the caller holds the store lock."""

    def __init__(self, index: SearchIndex, registry: PropertyRegistry) -> None:
        self.index = index
        self.registry = registry
        self._cache: OrderedDict[tuple[bytes, int], list[int]] = OrderedDict()
        self.fragments = FragmentCache()

    def clear(self) -> None:
        self._cache.clear()
        self.fragments.clear()

    def ordered_ids(self, q: SearchQuery) -> list[int]:
        key = (q.cache_key, self.index.version)
        ids = self._cache.get(key)
        if ids is None:
            ids = self._evaluate(q)
            self._cache[key] = ids
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return ids

    def page(self, q: SearchQuery, cap: int) -> bytes:
        """The response body (JSON bytes) for one page of ``q``."""
        if q.after + q.limit > cap:
            raise _bad(f"The search can return at most {cap} results; paging past them is not "
                       f"allowed (after {q.after} + limit {q.limit} > {cap}). Narrow the "
                       f"filters instead.")
        ids = self.ordered_ids(q)
        docs = self.index.docs
        known = self.registry.get
        wanted = tuple(n for n in q.properties if known(n) is not None)
        results = self.fragments.join(ids[q.after:q.after + q.limit], docs, wanted)
        tail = b""
        nxt = q.after + q.limit
        if q.limit and nxt < len(ids):
            tail = b',"paging":' + dumps({"next": {"after": str(nxt), "link": f"?after={nxt}"}})
        return b'{"total":%d,"results":[%b]%b}' % (len(ids), results, tail)

    def _evaluate(self, q: SearchQuery) -> list[int]:
        docs = self.index.docs
        groups = q.groups
        ranges = [_lmd_range(g) for g in groups]
        presorted = exact = False
        if groups and all(r is not None for r in ranges):
            # every group bounds lastmodifieddate: start from the time-sorted index; when the
            # groups hold nothing but such bounds, the ranges are the answer
            exact = all(f.lmd_range is not None for g in groups for f in g)
            if len(ranges) == 1:
                candidates = self.index.ids_in_range(ranges[0] or Range())
                presorted = True
            else:
                union: set[int] = set()
                for rng in ranges:
                    union.update(self.index.ids_in_range(rng or Range()))
                candidates = sorted(union)
        else:
            candidates = sorted(docs)
        if exact or not groups:
            matched = list(candidates)
        elif len(groups) == 1:
            preds = [f.predicate for f in groups[0]]
            matched = [cid for cid in candidates if all(p(docs[cid]) for p in preds)]
        else:
            matched = [cid for cid in candidates
                       if any(all(f.predicate(docs[cid]) for f in g) for g in groups)]
        if q.query_tokens:
            matched = [cid for cid in matched if _matches_query(docs[cid], q.query_tokens)]
        if presorted and q.sorts == ((LMD, False),):
            return matched
        if presorted:
            matched.sort()
        return self._sorted(matched, q.sorts)

    def _sorted(self, ids: list[int], sorts: tuple[tuple[str, bool], ...]) -> list[int]:
        docs = self.index.docs
        for name, descending in reversed(sorts):  # stable sorts, last key first; ties by id
            prop = self.registry.get(name)
            if prop is None:
                continue
            to_key = stored_key(prop)
            present = [cid for cid in ids if name in docs[cid]]
            absent = [cid for cid in ids if name not in docs[cid]]
            present.sort(key=lambda cid: to_key(docs[cid][name]), reverse=descending)
            ids = present + absent  # records without the value come last either way
        return ids


def _lmd_range(group: tuple[CompiledFilter, ...]) -> Range | None:
    """The lastmodifieddate interval a group is confined to, if any of its filters bounds it."""
    bounded = [f.lmd_range for f in group if f.lmd_range is not None]
    if not bounded:
        return None
    rng = bounded[0]
    for other in bounded[1:]:
        rng = rng.intersect(other)
    return rng


def _matches_query(props: Mapping[str, str], wanted: tuple[str, ...]) -> bool:
    have = [t for name in QUERY_PROPERTIES if (v := props.get(name)) for t in tokens(v)]
    return all(any(t.startswith(w) for t in have) for w in wanted)

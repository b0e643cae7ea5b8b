"""Thin wrapper over ``hubspot-api-client`` for contacts: search pages, batch reads and updates,
properties. Knows HTTP and HubSpot, nothing about qualification.

Every SDK exception is translated here into the error tree (``connector.errors``); every call
goes through one client-side limiter (the 10-second burst budget, or the search budget) and one
retry policy, and is counted in ``CallStats``. Responses are read with ``_preload_content=False``
and parsed with ``json`` directly: the SDK still builds, authenticates and sends every request,
but its model deserialiser (slow on pages of 200 contacts) is skipped.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import urllib3
from hubspot import HubSpot
from hubspot.crm.contacts import (
    BatchInputSimplePublicObjectBatchInput,
    BatchReadInputSimplePublicObjectId,
    PublicObjectSearchRequest,
    SimplePublicObjectBatchInput,
    SimplePublicObjectId,
)

from connector.callstats import CallStats
from connector.datetimes import parse_optional
from connector.datetimes import to_epoch_ms as to_epoch_ms  # re-export: older callers
from connector.errors import (
    AuthError,
    BudgetExhaustedError,
    ConnectorError,
    FatalError,
    PermissionError_,
    RateLimitedError,
    RecordError,
    RetriableError,
)
from connector.records import Contact
from connector.retry import RetryPolicy, SlidingWindowLimiter

SYSTEM = "hubspot"
TIER_BURST_PER_10S = {"free": 100, "starter": 100, "pro": 190, "enterprise": 190}
MAX_BATCH = 100
MAX_PAGE = 200
_RATE_PREFIX = "x-hubspot-ratelimit-"


def parse_hubspot_datetime(value: str | None) -> datetime | None:
    """HubSpot datetimes come as ISO-8601 (``...Z``) or epoch milliseconds."""
    return parse_optional(value)


@dataclass(frozen=True)
class SearchPage:
    contacts: list[Contact]
    total: int
    next_after: str | None


@dataclass(frozen=True)
class BatchWriteResult:
    written: tuple[str, ...]
    failed: Mapping[str, RecordError]


def _contact(raw: Mapping[str, Any]) -> Contact:
    props = raw.get("properties") or {}
    return Contact(id=str(raw["id"]), properties=props,
                   updated_at=parse_hubspot_datetime(props.get("lastmodifieddate")))


class HubSpotClient:
    """Contacts API client. Construct once per run and reuse (the SDK builds a connection pool
    per API object, so the API objects are kept)."""

    def __init__(
        self,
        *,
        host: str,
        token: str,
        ca_file: str | None = None,
        tier: str = "pro",
        burst_per_10s: int = 0,
        search_per_second: float = 4.0,
        timeout_s: float = 30.0,
        max_attempts: int = 6,
        stats: CallStats | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        config: dict[str, Any] = {
            "access_token": token, "host": host.rstrip("/"), "base_url": host.rstrip("/"),
            # the SDK's urllib3 would otherwise retry 429/503 itself, sleeping for Retry-After
            # (until midnight on the daily cap): our one policy decides instead
            "retry": urllib3.util.Retry(total=0, respect_retry_after_header=False,
                                        raise_on_status=False),
        }
        if ca_file:
            config["ssl_ca_cert"] = ca_file
        hs = HubSpot(**config)
        self._search = hs.crm.contacts.search_api
        self._batch = hs.crm.contacts.batch_api
        self._basic = hs.crm.contacts.basic_api
        self._properties = hs.crm.properties.core_api
        self._timeout = timeout_s
        self.stats = stats or CallStats()
        burst = burst_per_10s or int(TIER_BURST_PER_10S.get(tier, 100) * 0.9)
        self._burst = SlidingWindowLimiter(burst, 10.0, sleep=sleep)
        self._search_limit = SlidingWindowLimiter(max(1, int(search_per_second)), 1.0, sleep=sleep)
        self._policy = RetryPolicy(max_attempts=max_attempts, sleep=sleep)
        self.rate_budget: dict[str, int] = {}
        """the last rate-limit headers seen, lower-cased without the prefix"""
        self.write_guard: Callable[[], None] | None = None
        """Called right before each write attempt is sent (the jobs' lease fence): it raises
        to stop a holder that lost its lease, also after a rate-limit wait or a backoff."""

    # -- plumbing -------------------------------------------------------------------------

    def _call(self, endpoint: str, fn: Callable[[], Any], *, search: bool = False,
              write: bool = False) -> Any:
        limiter = self._search_limit if search else self._burst

        def attempt() -> Any:
            self.stats.record_wait(SYSTEM, limiter.acquire())
            if write and self.write_guard is not None:
                self.write_guard()  # last check before the request leaves (after any wait)
            try:
                response = fn()
                # the body is read and decoded here, inside the translated and retried call: a
                # connection dropped mid-body (urllib3 ProtocolError / IncompleteRead) or a
                # truncated JSON document is a retriable transport error like any other
                data = response.data
                decoded = json.loads(data) if data else None
            except Exception as exc:  # translated below; nothing else escapes this module
                error = self._translate(exc)
                self.stats.record(SYSTEM, endpoint, getattr(exc, "status", 0) or 0)
                if isinstance(error, RateLimitedError):  # an explicit Retry-After: 0 is kept
                    limiter.pause(1.0 if error.retry_after is None else error.retry_after)
                raise error from exc
            self.stats.record(SYSTEM, endpoint, int(response.status))
            self._observe_headers(response.headers, limiter)
            return decoded

        def on_retry(error: RetriableError, seconds: float, attempt_no: int) -> None:
            self.stats.record_retry(SYSTEM)
            if isinstance(error, RateLimitedError):
                self.stats.record_wait(SYSTEM, seconds)

        return self._policy.call(attempt, on_retry=on_retry)

    def _observe_headers(self, headers: Mapping[str, str], limiter: SlidingWindowLimiter) -> None:
        """Keep the last ``X-HubSpot-RateLimit-*`` figures in ``rate_budget`` (``max``,
        ``remaining``, ``secondly-remaining``, ``daily-remaining``...) and pause before the
        server would refuse: the 10-second window nearly spent, or this second's spent."""
        budget = {name.lower().removeprefix(_RATE_PREFIX): int(value)
                  for name, value in headers.items()
                  if name.lower().startswith(_RATE_PREFIX) and str(value).isdigit()}
        if not budget:
            return
        self.rate_budget = budget
        if budget.get("remaining", 2) <= 1:
            limiter.pause(budget.get("interval-milliseconds", 1000) / 1000)
        elif budget.get("secondly-remaining", 1) == 0:
            limiter.pause(1.0)

    @staticmethod
    def _translate(exc: Exception) -> ConnectorError:
        if isinstance(exc, urllib3.exceptions.HTTPError | OSError | TimeoutError):
            return RetriableError(f"HubSpot transport error: {type(exc).__name__}", system=SYSTEM)
        if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):  # a 2xx, body unreadable
            return RetriableError(f"HubSpot sent an unreadable body: {type(exc).__name__}",
                                  system=SYSTEM)
        status = getattr(exc, "status", None)
        if status is None:
            return FatalError(f"HubSpot client error: {type(exc).__name__}: {exc}", system=SYSTEM)
        body = _json_body(getattr(exc, "body", None))
        headers = getattr(exc, "headers", None) or {}
        message = str(body.get("message") or getattr(exc, "reason", "") or "")
        category = str(body.get("category") or body.get("errorType") or "")
        if status == 0:
            return RetriableError(f"HubSpot transport error: {message}", system=SYSTEM)
        if status == 429:
            policy = str(body.get("policyName") or "")
            if policy == "DAILY":
                return BudgetExhaustedError(f"HubSpot daily API limit reached: {message}",
                                            system=SYSTEM, code="DAILY")
            retry_after = headers.get("Retry-After") if hasattr(headers, "get") else None
            return RateLimitedError(f"HubSpot rate limit ({policy or 'unknown policy'})",
                                    system=SYSTEM, retry_after=_seconds(retry_after),
                                    policy=policy or None)
        if status >= 500:
            return RetriableError(f"HubSpot {status}: {message}", system=SYSTEM, status=status)
        if status == 401:
            return AuthError(f"HubSpot rejected the token ({category or status}): {message}",
                             system=SYSTEM, code=category or "401")
        if status == 403:
            return PermissionError_(f"HubSpot refused ({category or status}): {message}",
                                    system=SYSTEM, code=category or "403")
        return FatalError(f"HubSpot {status} {category}: {message}", system=SYSTEM,
                          code=category or str(status))

    # -- reads ------------------------------------------------------------------------------

    def search(
        self,
        *,
        filter_groups: Sequence[Mapping[str, Any]],
        properties: Sequence[str],
        sorts: Sequence[Mapping[str, str]] = (),
        limit: int = MAX_PAGE,
        after: str | None = None,
    ) -> SearchPage:
        """One page of ``POST /crm/v3/objects/contacts/search``."""
        request = PublicObjectSearchRequest(
            filter_groups=list(filter_groups), sorts=list(sorts), properties=list(properties),
            limit=min(limit, MAX_PAGE), after=after)
        data = self._call("search", lambda: self._search.do_search(
            public_object_search_request=request, _preload_content=False,
            _request_timeout=self._timeout), search=True)
        nxt = ((data.get("paging") or {}).get("next") or {}).get("after")
        return SearchPage([_contact(r) for r in data.get("results", [])],
                          int(data.get("total", 0)), str(nxt) if nxt is not None else None)

    def get_contact(self, id_or_email: str, properties: Sequence[str]) -> Contact | None:
        """One contact by id, or by email when the argument contains ``@``."""
        id_property = "email" if "@" in id_or_email else None
        try:
            data = self._call("get", lambda: self._basic.get_by_id(
                contact_id=id_or_email, properties=list(properties), id_property=id_property,
                archived=False, _preload_content=False, _request_timeout=self._timeout))
        except FatalError as exc:
            if exc.code in ("404", "OBJECT_NOT_FOUND"):
                return None
            raise
        return _contact(data)

    def read_batch(self, ids: Sequence[str], properties: Sequence[str]) -> list[Contact]:
        out: list[Contact] = []
        for start in range(0, len(ids), MAX_BATCH):
            chunk = ids[start:start + MAX_BATCH]
            body = BatchReadInputSimplePublicObjectId(
                inputs=[SimplePublicObjectId(id=i) for i in chunk], properties=list(properties),
                properties_with_history=[])
            data = self._call("batch/read", partial(
                self._batch.read, batch_read_input_simple_public_object_id=body, archived=False,
                _preload_content=False, _request_timeout=self._timeout))
            out.extend(_contact(r) for r in data.get("results", []))
        return out

    def properties(self) -> list[dict[str, Any]]:
        data = self._call("properties", lambda: self._properties.get_all(
            object_type="contacts", archived=False, _preload_content=False,
            _request_timeout=self._timeout))
        return list(data.get("results", []))

    def create_property(self, body: Mapping[str, Any]) -> None:
        from hubspot.crm.properties import PropertyCreate

        model = PropertyCreate(**{_snake(k): v for k, v in body.items()})
        self._call("properties/create", lambda: self._properties.create(
            object_type="contacts", property_create=model, _preload_content=False,
            _request_timeout=self._timeout))

    # -- writes -----------------------------------------------------------------------------

    def update_batch(self, updates: Iterable[tuple[str, Mapping[str, str]]]) -> BatchWriteResult:
        """Batch-update contacts (100 per call). Per-record failures (207) come back in
        ``failed``; request-level failures raise."""
        items = list(updates)
        written: list[str] = []
        failed: dict[str, RecordError] = {}
        for start in range(0, len(items), MAX_BATCH):
            chunk = items[start:start + MAX_BATCH]
            body = BatchInputSimplePublicObjectBatchInput(inputs=[
                SimplePublicObjectBatchInput(id=cid, properties=dict(props))
                for cid, props in chunk])
            data = self._call("batch/update", write=True, fn=partial(
                self._batch.update, batch_input_simple_public_object_batch_input=body,
                _preload_content=False, _request_timeout=self._timeout))
            chunk_failed = _batch_errors(data)
            failed.update(chunk_failed)
            ok = {str(r.get("id")) for r in data.get("results", [])}
            written.extend(cid for cid, _ in chunk if cid in ok and cid not in chunk_failed)
            for cid, _ in chunk:
                if cid not in ok and cid not in chunk_failed:
                    failed[cid] = RecordError("NOT_UPDATED", "HubSpot returned no result",
                                              record_key=cid)
        return BatchWriteResult(tuple(written), failed)


def _batch_errors(data: Mapping[str, Any]) -> dict[str, RecordError]:
    failed: dict[str, RecordError] = {}
    for error in data.get("errors") or []:
        context = error.get("context") or {}
        ids = context.get("ids") or context.get("id") or []
        fields = tuple(str(k) for k in (context.get("propertyName") or context.get("properties")
                                        or []))
        for detail in error.get("errors") or []:
            fields += tuple(str(v) for v in (detail.get("context") or {}).get("propertyName", []))
        fields = tuple(dict.fromkeys(fields))
        code = str(error.get("subCategory") or error.get("category") or "VALIDATION_ERROR")
        for cid in ids:
            failed[str(cid)] = RecordError(code, str(error.get("message", "")), fields,
                                           record_key=str(cid))
    return failed


def _json_body(raw: Any) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return {"message": str(raw)[:500]}
    return data if isinstance(data, dict) else {"message": str(data)[:500]}


def _seconds(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)

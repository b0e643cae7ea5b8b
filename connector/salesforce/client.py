"""Thin wrapper over ``simple-salesforce``: SOQL iteration, sObject Collections, describe,
limits and the API budget. Knows HTTP and Salesforce, nothing about leads or qualification.

Every simple-salesforce / requests exception is translated here into the error tree. Every call
goes through one retry policy, is counted in ``CallStats`` and is checked against the API budget
(the share of the org's daily requests this connector may spend). SOQL is always built with
``simple_salesforce.format_soql``.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import quote

import requests
from simple_salesforce import Salesforce, format_soql
from simple_salesforce.exceptions import (
    SalesforceAuthenticationFailed,
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

from connector.callstats import CallStats
from connector.errors import (
    AuthError,
    BudgetExhaustedError,
    ConnectorError,
    FatalError,
    PermissionError_,
    RecordError,
    RetriableError,
    SchemaDriftError,
)
from connector.retry import RetryPolicy

SYSTEM = "salesforce"
MAX_COLLECTION = 200
MAX_COMPOSITE_QUERIES = 5
RETRIABLE_RECORD_CODES = frozenset({"UNABLE_TO_LOCK_ROW"})
_API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

ClientFactory = Callable[[], Salesforce]
"""Builds a logged-in ``Salesforce``; called again to renew an expired session."""
AuthHint = Callable[[str], str]
"""Login error code -> what to check, naming the auth mode and the setting or variable at fault
(built from the settings by ``connections``)."""
LOGIN_PATHS = ("/services/oauth2/token", "/services/Soap/u/")
_CREDENTIAL_CODE = re.compile(r"(?i)^(invalid_|login_|password_|inactive_|unsupported_)")
"""Login error codes that mean "these credentials are wrong", whatever the HTTP status (a SOAP
fault such as INVALID_LOGIN comes back as HTTP 500)."""


class ResponseWatch:
    """A ``requests`` response hook remembering the HTTP status of the last login response
    (``/services/oauth2/token`` or SOAP ``login``), also of simple-salesforce's own re-login
    mid-run: ``SalesforceAuthenticationFailed`` carries an error code but not the status, and
    the status is what says "try again" (429, 5xx) or "fix the credentials"."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.retry_after: float | None = None
        """``Retry-After`` of the last 429 / 503 response (simple-salesforce's errors carry no
        headers), so the retry policy honours the server's hint."""

    def hook(self, response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        if any(path in response.url for path in LOGIN_PATHS):
            self.status = int(response.status_code)
        if response.status_code in (429, 503):
            value = response.headers.get("Retry-After")
            try:
                self.retry_after = float(value) if value is not None else None
            except ValueError:
                self.retry_after = None


@dataclass(frozen=True)
class SaveResult:
    """One record's outcome in an sObject Collections call, in input order."""

    success: bool
    id: str | None = None
    created: bool | None = None
    error: RecordError | None = None


@dataclass
class ApiBudget:
    """How much of the org's daily API allowance this process may use.

    ``used`` / ``limit`` come from ``/limits`` and then from each response's
    ``Sforce-Limit-Info`` header (or from the store's last reading, see ``prime``); ``share`` is
    the configured ceiling (0..1]. A call first ``reserve``s its calls: calls in flight count as
    used, so clients sharing one budget (the daemon's jobs) never pass the ceiling together."""

    share: float = 1.0
    used: int | None = None
    limit: int | None = None
    spent_by_us: int = field(default=0)
    in_flight: int = field(default=0)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def cap(self) -> int | None:
        return None if self.limit is None else int(self.limit * self.share)

    def allows(self, planned: int = 1) -> bool:
        cap = self.cap()
        if self.used is None or cap is None:
            return True
        return self.used + self.in_flight + planned <= cap

    def remaining(self) -> int | None:
        cap = self.cap()
        if self.used is None or cap is None:
            return None
        return max(0, cap - self.used)

    def reserve(self, planned: int = 1) -> bool:
        """Count ``planned`` calls as in flight if the ceiling allows them; False otherwise."""
        with self._lock:
            if not self.allows(planned):
                return False
            self.in_flight += planned
            return True

    def settle(self, planned: int = 1) -> None:
        with self._lock:
            self.in_flight = max(0, self.in_flight - planned)

    def observe(self, used: int, limit: int) -> None:
        with self._lock:
            self.used, self.limit = used, limit

    def prime(self, used: int, limit: int) -> None:
        """Start from a stored reading (another process's, or an earlier run's) unless this
        budget already knows of more usage: the higher reading is the safe one."""
        with self._lock:
            if self.used is None or used > self.used:
                self.used, self.limit = used, limit


class SalesforceClient:
    def __init__(
        self,
        factory: ClientFactory,
        *,
        budget_share: float = 1.0,
        timeout_s: float = 60.0,
        max_attempts: int = 6,
        stats: CallStats | None = None,
        sleep: Callable[[float], None] = time.sleep,
        response_watch: ResponseWatch | None = None,
        auth_hint: AuthHint | None = None,
    ) -> None:
        self._factory = factory
        self._response_watch = response_watch
        self._auth_hint = auth_hint or (lambda code: "check the Salesforce credentials")
        self._sf: Salesforce | None = None
        self._timeout = timeout_s
        self._policy = RetryPolicy(max_attempts=max_attempts, sleep=sleep)
        self.stats = stats or CallStats()
        self.budget = ApiBudget(share=budget_share)
        self.on_usage: Callable[[int, int], None] | None = None
        """Told every usage reading (the jobs keep the last one in the store)."""
        self.write_guard: Callable[[], None] | None = None
        """Called right before each write attempt is sent (the jobs' lease fence)."""

    # -- plumbing -------------------------------------------------------------------------

    @property
    def sf(self) -> Salesforce:
        if self._sf is None:
            try:
                self._sf = self._factory()
            except SalesforceAuthenticationFailed as exc:
                raise self._login_failure(exc) from None
            except requests.RequestException as exc:
                raise RetriableError(f"Salesforce login transport error: {type(exc).__name__}",
                                     system=SYSTEM) from None
        return self._sf

    def _login_failure(self, exc: SalesforceAuthenticationFailed) -> ConnectorError:
        """Decide by the login response's HTTP status: 429 / 5xx (unless the code names bad
        credentials) and an unreadable 2xx are retried; the rest is an ``AuthError`` whose
        message names the auth mode and the setting or variable to check."""
        code = str(exc.code)
        status = self._response_watch.status if self._response_watch else None
        if status is None and isinstance(exc.code, int):
            status = exc.code
        message = str(exc.auth_message or "")[:300]
        if status is not None and (status == 429 or status >= 500 or 200 <= status < 300) \
                and not _CREDENTIAL_CODE.match(code):
            watch = self._response_watch
            hint = watch.retry_after if watch is not None and status in (429, 503) else None
            return RetriableError(f"Salesforce login unavailable (HTTP {status}, {code})",
                                  system=SYSTEM, status=status, retry_after=hint)
        return AuthError(f"Salesforce login refused ({code}: {message}); "
                         f"{self._auth_hint(code)}", system=SYSTEM, code=code)

    def close(self) -> None:
        """Close the HTTP session (its keep-alive connections); a later call logs in again."""
        if self._sf is not None:
            self._sf.session.close()
            self._sf = None

    def _call(self, endpoint: str, fn: Callable[[Salesforce], Any], *, planned: int = 1,
              write: bool = False) -> Any:
        renewed = False

        def attempt() -> Any:
            if not self.budget.reserve(planned):
                raise BudgetExhaustedError(
                    f"Salesforce API budget reached: {self.budget.used}/{self.budget.limit} used, "
                    f"ceiling {self.budget.share:.0%}", system=SYSTEM, code="BUDGET_SHARE")
            try:
                return reserved()
            finally:
                self.budget.settle(planned)

        def reserved() -> Any:
            nonlocal renewed
            sf = self.sf
            if write and self.write_guard is not None:
                self.write_guard()  # last check before the request leaves (after any backoff)
            try:
                result = fn(sf)
            except SalesforceAuthenticationFailed as exc:  # simple-salesforce's own re-login
                watch = self._response_watch
                self.stats.record(SYSTEM, "login", (watch.status or 0) if watch else 0)
                raise self._login_failure(exc) from None
            except SalesforceExpiredSession:
                self.stats.record(SYSTEM, endpoint, 401)
                if renewed:
                    raise AuthError("Salesforce session still invalid after one re-login; "
                                    f"{self._auth_hint('INVALID_SESSION_ID')}",
                                    system=SYSTEM, code="INVALID_SESSION_ID") from None
                renewed = True
                self._sf = None  # log in again and replay once
                return reserved()
            except (SalesforceError, requests.RequestException) as exc:
                status = int(getattr(exc, "status", 0) or 0)
                self.stats.record(SYSTEM, endpoint, status)
                error = self._translate(exc)
                if isinstance(error, RetriableError) and status in (429, 503) \
                        and self._response_watch is not None:
                    error.retry_after = self._response_watch.retry_after
                raise error from None
            self.stats.record(SYSTEM, endpoint, 200)
            self.budget.spent_by_us += 1
            self._observe_usage(sf)
            return result

        return self._policy.call(attempt, on_retry=lambda e, s, n: self.stats.record_retry(SYSTEM))

    def _observe_usage(self, sf: Salesforce) -> None:
        usage = (getattr(sf, "api_usage", None) or {}).get("api-usage")
        if usage is not None:
            self._usage(int(usage.used), int(usage.total))

    def _usage(self, used: int, limit: int) -> None:
        self.budget.observe(used, limit)
        if self.on_usage is not None:
            self.on_usage(used, limit)

    @staticmethod
    def _translate(exc: Exception) -> ConnectorError:
        if isinstance(exc, requests.RequestException):
            return RetriableError(f"Salesforce transport error: {type(exc).__name__}",
                                  system=SYSTEM)
        content = getattr(exc, "content", None)
        first = content[0] if isinstance(content, list) and content else {}
        code = str(first.get("errorCode", "")) if isinstance(first, dict) else ""
        message = str(first.get("message", "")) if isinstance(first, dict) else str(content)[:300]
        status = int(getattr(exc, "status", 0) or 0)
        if isinstance(exc, SalesforceRefusedRequest):
            if code == "REQUEST_LIMIT_EXCEEDED":
                return BudgetExhaustedError(f"Salesforce daily API limit exceeded: {message}",
                                            system=SYSTEM, code=code)
            return PermissionError_(f"Salesforce refused: {code} {message}", system=SYSTEM,
                                    code=code or "403")
        if isinstance(exc, SalesforceMalformedRequest):
            if code in ("INVALID_FIELD", "INVALID_TYPE"):
                return SchemaDriftError(f"Salesforce schema mismatch: {code} {message}",
                                        system=SYSTEM, code=code)
            return FatalError(f"Salesforce rejected the request: {code} {message}",
                              system=SYSTEM, code=code or "400")
        if isinstance(exc, SalesforceResourceNotFound):
            return FatalError(f"Salesforce resource not found: {message}", system=SYSTEM,
                              code=code or "NOT_FOUND")
        if isinstance(exc, SalesforceGeneralError) and (status >= 500 or status == 429):
            return RetriableError(f"Salesforce {status}: {code} {message}", system=SYSTEM,
                                  status=status)
        return FatalError(f"Salesforce error {status}: {code} {message}", system=SYSTEM,
                          code=code or str(status))

    # -- reads ------------------------------------------------------------------------------

    def refresh_limits(self) -> Mapping[str, Any]:
        data = self._call("limits", lambda sf: sf.limits(timeout=self._timeout))
        daily = data.get("DailyApiRequests") or {}
        if "Max" in daily and "Remaining" in daily:
            self._usage(int(daily["Max"]) - int(daily["Remaining"]), int(daily["Max"]))
        return dict(data)

    def describe(self, sobject: str) -> dict[str, Any]:
        return dict(self._call(f"describe/{sobject}", lambda sf: sf.restful(
            f"sobjects/{sobject}/describe", timeout=self._timeout)))

    def query(self, soql: str, *, include_deleted: bool = False) -> Iterator[dict[str, Any]]:
        """Every record of a SOQL query, page by page (paging hidden, each page retried)."""
        page = self._call("query", lambda sf: sf.query(soql, include_deleted=include_deleted,
                                                       timeout=self._timeout))
        yield from self._pages(page)

    def find_by_field(self, sobject: str, field_name: str, values: Sequence[str],
                      fields: Sequence[str], *, chunk: int = 200) -> list[dict[str, Any]]:
        """Records whose ``field_name`` is in ``values``: one SOQL per ``chunk`` values."""
        out: list[dict[str, Any]] = []
        unique = sorted({v for v in values if v})
        for start in range(0, len(unique), chunk):
            out.extend(self.query(self.soql_in(sobject, field_name, unique[start:start + chunk],
                                               fields)))
        return out

    def query_many(self, queries: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
        """Several SOQL queries in ONE API call (Composite API, at most 5 queries per call).
        Pages beyond the first are fetched with ``queryMore`` as usual."""
        out: dict[str, list[dict[str, Any]]] = {}
        items = list(queries.items())
        for start in range(0, len(items), MAX_COMPOSITE_QUERIES):
            chunk = items[start:start + MAX_COMPOSITE_QUERIES]
            version = self.sf.sf_version
            body = {"allOrNone": False, "compositeRequest": [
                {"method": "GET", "referenceId": ref,
                 "url": f"/services/data/v{version}/query?q={quote(soql, safe='')}"}
                for ref, soql in chunk]}
            data = self._call("POST composite", partial(_restful, path="composite", method="POST",
                                                        json=body, timeout=self._timeout))
            for sub in (data or {}).get("compositeResponse", []):
                status = int(sub.get("httpStatusCode", 500))
                page = sub.get("body")
                if status >= 300:
                    first = page[0] if isinstance(page, list) and page else {}
                    code = str(first.get("errorCode", status))
                    message = f"Salesforce query failed: {code} {first.get('message', '')}"
                    raise SchemaDriftError(message, system=SYSTEM, code=code) \
                        if code in ("INVALID_FIELD", "INVALID_TYPE") else \
                        FatalError(message, system=SYSTEM, code=code)
                out[str(sub["referenceId"])] = list(self._pages(page))
        return out

    def _pages(self, page: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        while True:
            for record in page.get("records", []):
                record = dict(record)
                record.pop("attributes", None)
                yield record
            next_url = page.get("nextRecordsUrl")
            if page.get("done", True) or not next_url:
                return
            page = self._call("query", partial(_query_more, url=next_url,
                                               timeout=self._timeout))

    def soql_in(self, sobject: str, field_name: str, values: Sequence[str],
                fields: Sequence[str]) -> str:
        """``SELECT fields FROM sobject WHERE field IN (values)``, built with format_soql."""
        select = ", ".join(_identifier(f) for f in dict.fromkeys(["Id", *fields]))
        return str(format_soql("SELECT {:literal} FROM {:literal} WHERE {:literal} IN {}",
                               select, _identifier(sobject), _identifier(field_name),
                               sorted({v for v in values if v})))

    # -- writes (sObject Collections) ---------------------------------------------------------

    def upsert(self, sobject: str, external_id_field: str, records: Sequence[Mapping[str, Any]],
               *, auto_assign: bool | None = None) -> list[SaveResult]:
        path = f"composite/sobjects/{sobject}/{external_id_field}"
        return self._collection("PATCH", path, sobject, records, auto_assign)

    def update(self, sobject: str, records: Sequence[Mapping[str, Any]],
               *, auto_assign: bool | None = False) -> list[SaveResult]:
        """Update by ``Id`` (each record must carry it). Assignment rules are off by default:
        an update must not take a Lead away from the owner sales gave it."""
        return self._collection("PATCH", "composite/sobjects", sobject, records, auto_assign)

    def create(self, sobject: str, records: Sequence[Mapping[str, Any]],
               *, auto_assign: bool | None = None) -> list[SaveResult]:
        return self._collection("POST", "composite/sobjects", sobject, records, auto_assign)

    def _collection(self, method: str, path: str, sobject: str,
                    records: Sequence[Mapping[str, Any]], auto_assign: bool | None
                    ) -> list[SaveResult]:
        results: list[SaveResult] = []
        for start in range(0, len(records), MAX_COLLECTION):
            chunk = [{"attributes": {"type": sobject}, **r} for r in
                     records[start:start + MAX_COLLECTION]]
            results.extend(self._send_chunk(method, path, chunk, auto_assign))
        return results

    def _send_chunk(self, method: str, path: str, chunk: list[dict[str, Any]],
                    auto_assign: bool | None) -> list[SaveResult]:
        """Send one collection; records failing with a retriable per-record code (row lock)
        are resent with backoff, the rest come back as they are."""
        headers = {} if auto_assign is None else {
            "Sforce-Auto-Assign": "TRUE" if auto_assign else "FALSE"}
        final: list[SaveResult | None] = [None] * len(chunk)
        pending = list(range(len(chunk)))
        for attempt in range(1, self._policy.max_attempts + 1):
            body = {"allOrNone": False, "records": [chunk[i] for i in pending]}
            endpoint = f"{method} {'/'.join(path.split('/')[:2])}"
            raw = self._call(endpoint, write=True, fn=partial(
                _restful, path=path, method=method, json=body,
                                               headers=headers, timeout=self._timeout)) or []
            retry: list[int] = []
            for index, item in zip(pending, raw, strict=False):
                result = _save_result(item, chunk[index])
                if result.error and result.error.code in RETRIABLE_RECORD_CODES \
                        and attempt < self._policy.max_attempts:
                    retry.append(index)
                else:
                    final[index] = result
            for index in pending[len(raw):]:
                final[index] = SaveResult(False, error=RecordError(
                    "NO_RESULT", "Salesforce returned no result for this record"))
            if not retry:
                break
            self.stats.record_retry(SYSTEM)
            self._policy.sleep(self._policy.delay_for(None, attempt))
            pending = retry
        return [r or SaveResult(False, error=RecordError("NO_RESULT", "no result")) for r in final]


def _save_result(item: Mapping[str, Any], record: Mapping[str, Any]) -> SaveResult:
    if item.get("success"):
        return SaveResult(True, id=item.get("id"), created=item.get("created"))
    errors = item.get("errors") or [{}]
    first = errors[0]
    fields = tuple(str(f) for e in errors for f in (e.get("fields") or []))
    message = "; ".join(str(e.get("message", "")) for e in errors)
    code = str(first.get("statusCode") or first.get("errorCode") or "UNKNOWN")
    return SaveResult(False, id=item.get("id"), error=RecordError(code, message, fields))


def _identifier(name: str) -> str:
    """SOQL identifiers (object and field names) come from config: allow only API names."""
    if not _API_NAME.fullmatch(name):
        raise FatalError(f"not a Salesforce API name: {name!r}", system=SYSTEM, code="BAD_NAME")
    return name


def _restful(sf: Salesforce, **kwargs: Any) -> Any:
    path = kwargs.pop("path")
    return sf.restful(path, **kwargs)


def _query_more(sf: Salesforce, *, url: str, timeout: float) -> Any:
    return sf.query_more(url, identifier_is_url=True, timeout=timeout)

"""What every job needs, built once from ``Settings``: the store, both clients, the loaded
definition and mappings, the clock, a progress sink and a stop flag.

Loading validates every file first (``ConfigError`` with all problems, exit 2) so a bad file
stops the run before anything is sent anywhere.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from connector.callstats import CallStats
from connector.errors import ConfigError, Problem
from connector.fieldmap import Mapping, load_mapping
from connector.hubspot.api import HubSpotApi
from connector.qualification import Definition, load_definition
from connector.salesforce.api import SalesforceApi
from connector.settings import Settings, receipt_mapping_path
from connector.store import StateStore, Transaction

if TYPE_CHECKING:
    from connector.connections import ClientPool
    from connector.salesforce.client import SalesforceClient

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Progress(Protocol):
    """Where a job reports progress: a rich progress bar, log lines, or nothing."""

    def total(self, contacts: int) -> None: ...

    def advance(self, **counts: int) -> None: ...

    def note(self, message: str) -> None: ...


class NoProgress:
    def total(self, contacts: int) -> None:
        pass

    def advance(self, **counts: int) -> None:
        pass

    def note(self, message: str) -> None:
        pass


def instance_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@dataclass
class JobContext:
    settings: Settings
    store: StateStore
    hubspot: HubSpotApi
    salesforce: SalesforceApi
    definition: Definition
    lead_mapping: Mapping
    feedback_mapping: Mapping | None
    stats: CallStats
    receipt_mapping: Mapping | None = None
    """What the handoff writes back to HubSpot (``mappings/receipt.toml``); None: nothing."""
    clock: Clock = utc_now
    progress: Progress = field(default_factory=NoProgress)
    stop_requested: Callable[[], bool] = lambda: False
    owner: str = field(default_factory=instance_id)
    lead_mapping_hash: str = ""
    lease_job: str | None = None
    """The job whose lease this run holds (set by ``leased`` and the daemon): its writes are
    fenced by ``check_lease`` / ``fence``. None for a run outside any lease (tests, dry runs)."""

    def __post_init__(self) -> None:
        # both clients check the lease right before each write attempt leaves (after any
        # rate-limit wait or backoff): a holder paused past its TTL stops there
        self.hubspot.write_guard = self.check_lease
        self.salesforce.write_guard = self.check_lease

    def check_lease(self) -> None:
        """Before a write to either system: stop (``LeaseLostError``) if the lease was lost."""
        from connector.store import LeaseLostError

        if self.lease_job and not self.store.lease_owned(self.lease_job, self.owner,
                                                         self.clock()):
            raise LeaseLostError(f"job {self.lease_job!r}: this run lost its lease (another "
                                 "owner took over): stopping before the next push",
                                 code="LEASE_LOST")

    def fence(self, tx: Transaction) -> None:
        """First statement of a commit: roll the batch back unless the lease is still ours."""
        if self.lease_job:
            tx.require_lease(self.lease_job, self.owner, self.clock())

    def close(self) -> None:
        """Close the store and the Salesforce session (a keep-alive connection left open would
        otherwise outlive the run)."""
        self.store.close()
        self.salesforce.close()


def load_rules(settings: Settings) -> tuple[Definition, Mapping, Mapping]:
    """Load the definition and the lead and feedback mappings (see ``load_all_rules``)."""
    loaded = load_all_rules(settings)
    return loaded["definition"], loaded["lead"], loaded["feedback"]


def load_all_rules(settings: Settings) -> dict[str, Any]:
    """The definition and the three mappings (``definition``, ``lead``, ``feedback``,
    ``receipt``), collecting the problems of all four files."""
    pulled = set(settings.hubspot.properties)
    problems: list[Problem] = []
    loaded: dict[str, Any] = {}
    loaders: dict[str, Callable[[], Any]] = {
        "definition": lambda: load_definition(settings.path(settings.mappings.qualification),
                                              pulled_properties=pulled),
        "lead": lambda: load_mapping(settings.path(settings.mappings.lead), direction="lead",
                                     pulled_properties=pulled),
        "feedback": lambda: load_mapping(settings.path(settings.mappings.feedback),
                                         direction="feedback"),
        "receipt": lambda: load_mapping(receipt_mapping_path(
            settings.mappings.receipt and settings.path(settings.mappings.receipt),
            settings.path(settings.mappings.lead)), direction="receipt"),
    }
    for name, load in loaders.items():
        try:
            loaded[name] = load()
        except ConfigError as exc:
            problems.extend(exc.problems)
    ConfigError.raise_if_any(problems)
    return loaded


def keep_api_usage(salesforce: SalesforceClient, store: StateStore, clock: Clock) -> None:
    """The Salesforce API budget survives the process: start from the last reading kept in the
    store (if taken in the current UTC day: the allowance is daily), and keep every new one.
    So while the ceiling is reached a run, or a daemon tick, spends no call at all, not even
    the ``/limits`` call that would find it out."""
    last = store.api_usage("salesforce")
    if last is not None and last.observed_at.date() == clock().date():
        salesforce.budget.prime(last.used, last.max)
    salesforce.on_usage = lambda used, limit: store.record_api_usage("salesforce", used, limit,
                                                                     clock())


def build_context(
    settings: Settings,
    *,
    endpoints: Any = None,
    clock: Clock = utc_now,
    progress: Progress | None = None,
    stop_requested: Callable[[], bool] | None = None,
    owner: str | None = None,
    store: StateStore | None = None,
    pool: ClientPool | None = None,
    job: str = "",
) -> JobContext:
    """Everything a job run needs. ``store``: reuse an open StateStore (the daemon keeps one
    for its lifetime) instead of opening ``settings.store.url``; the caller then owns it.
    ``pool``: reuse ``job``'s clients from earlier runs (no new login)."""
    from connector.connections import hubspot_client, salesforce_client

    rules = load_all_rules(settings)
    stats = CallStats()
    if pool is not None:
        hubspot, salesforce = pool.clients(job, stats)
    else:
        hubspot = hubspot_client(settings, stats=stats, endpoints=endpoints)
        salesforce = salesforce_client(settings, stats=stats, endpoints=endpoints)
    store = store if store is not None else StateStore.open(settings.store.url)
    keep_api_usage(salesforce, store, clock)
    return JobContext(
        settings=settings,
        store=store,
        hubspot=hubspot,
        salesforce=salesforce,
        definition=rules["definition"],
        lead_mapping=rules["lead"],
        feedback_mapping=rules["feedback"],
        receipt_mapping=rules["receipt"],
        stats=stats,
        clock=clock,
        progress=progress or NoProgress(),
        stop_requested=stop_requested or (lambda: False),
        owner=owner or settings.daemon.instance_id or instance_id(),
        lead_mapping_hash=file_hash(settings.path(settings.mappings.lead)),
    )

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
from connector.settings import Settings
from connector.store import StateStore

if TYPE_CHECKING:
    from connector.connections import ClientPool

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
    clock: Clock = utc_now
    progress: Progress = field(default_factory=NoProgress)
    stop_requested: Callable[[], bool] = lambda: False
    owner: str = field(default_factory=instance_id)
    lead_mapping_hash: str = ""

    def close(self) -> None:
        """Close the store and the Salesforce session (a keep-alive connection left open would
        otherwise outlive the run)."""
        self.store.close()
        self.salesforce.close()


def load_rules(settings: Settings) -> tuple[Definition, Mapping, Mapping]:
    """Load the definition and both mappings, collecting the problems of all three files."""
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
    }
    for name, load in loaders.items():
        try:
            loaded[name] = load()
        except ConfigError as exc:
            problems.extend(exc.problems)
    ConfigError.raise_if_any(problems)
    return loaded["definition"], loaded["lead"], loaded["feedback"]


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

    definition, lead, feedback = load_rules(settings)
    stats = CallStats()
    if pool is not None:
        hubspot, salesforce = pool.clients(job, stats)
    else:
        hubspot = hubspot_client(settings, stats=stats, endpoints=endpoints)
        salesforce = salesforce_client(settings, stats=stats, endpoints=endpoints)
    return JobContext(
        settings=settings,
        store=store if store is not None else StateStore.open(settings.store.url),
        hubspot=hubspot,
        salesforce=salesforce,
        definition=definition,
        lead_mapping=lead,
        feedback_mapping=feedback,
        stats=stats,
        clock=clock,
        progress=progress or NoProgress(),
        stop_requested=stop_requested or (lambda: False),
        owner=owner or settings.daemon.instance_id or instance_id(),
        lead_mapping_hash=file_hash(settings.path(settings.mappings.lead)),
    )

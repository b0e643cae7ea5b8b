"""What every job run reports, once: ``RunReport`` is the base of ``HandoffReport`` and
``FeedbackReport`` (id, dry run, window start, counts by outcome, API calls, cursor, status,
error) with one ``as_dict``; a job adds its own fields and ``extra_dict``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from connector.store import RunStatus

MAX_DRY_RUN_ITEMS = 2_000
"""A dry run lists at most this many planned changes (the counts cover all of them)."""


@dataclass
class RunReport:
    run_id: int | None
    dry_run: bool
    since: datetime
    counts: Counter[str] = field(default_factory=Counter)
    api_calls: dict[str, int] = field(default_factory=dict)
    cursor: str | None = None
    status: RunStatus | Literal["running"] = "running"
    error: str | None = None

    def extra_dict(self) -> dict[str, Any]:
        """The job's own fields, after the common ones in ``as_dict``."""
        return {}

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "dry_run": self.dry_run, "since": self.since.isoformat(),
                "status": self.status, "error": self.error, "counts": dict(self.counts),
                "api_calls": self.api_calls, "cursor": self.cursor, **self.extra_dict()}

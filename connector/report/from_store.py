"""The report's input from the state store: each ledger entry joined with its disposition.

    report = report_from_store(store, now=clock(), since=..., version=...)
    # or: build_report(outcomes_from_store(store, ...), now=..., ...)

This is the only module of the report package that reads anything: it streams
``StateStore.iter_ledger_with_dispositions`` (memory stays flat) and turns each row into a
:class:`HandoffOutcome`. How a Salesforce Lead status reads as a sales decision:

- ``Open - Not Contacted`` (or no disposition yet): pending, sales has not decided;
- ``Closed - Not Converted``: rejected, with ``Disqualification_Reason__c`` as the reason;
- any other status (``Working - Contacted``, ``Nurturing``, ``Closed - Converted``...): accepted;
- converted, won and lost come from the Lead and its Opportunity (``IsWon`` / ``IsClosed``).

The selection probability comes from the snapshot's ``extra["selection"]`` (written by the
handoff job: 1 for a rule-qualified lead, ``explore_share`` for an explored one); a snapshot
without one (written before exploration existed) was handed off by the rule: probability 1.

Contacts the handoff found already in Salesforce as a Contact (``existing_contact``: no Lead was
made) are left out by default: sales never disposes of them as leads, so they would sit forever
as "pending" and dilute every rate.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from connector.report.calibration import build_report
from connector.report.customers import customer_outcomes
from connector.report.model import CalibrationReport
from connector.report.outcomes import HandoffOutcome
from connector.store import Disposition, LedgerEntry, StateStore

UNGRADED = "ungraded"


@dataclass(frozen=True)
class StatusRules:
    """Which Lead statuses mean "not decided yet" and "rejected" (every other one: accepted).
    Orgs rename statuses; pass your own when they differ from Salesforce's defaults."""

    pending: frozenset[str] = frozenset({"Open - Not Contacted"})
    rejected: frozenset[str] = frozenset({"Closed - Not Converted"})


DEFAULT_STATUS_RULES = StatusRules()


def outcome_of(
    entry: LedgerEntry,
    disposition: Disposition | None,
    *,
    criterion_dimension: Mapping[str, str] | None = None,
    rules: StatusRules = DEFAULT_STATUS_RULES,
) -> HandoffOutcome:
    """One ledger entry (the snapshot taken at handoff) with what sales did with the lead."""
    snapshot = entry.snapshot.to_json()
    snapshot.pop("extra", None)
    snapshot["grade"] = entry.snapshot.grade or UNGRADED
    snapshot["fired"] = _fired_entries(entry.snapshot.extra, entry.snapshot.fired)
    status = disposition.lead_status if disposition else None
    converted = bool(disposition and disposition.converted)
    won = bool(disposition and disposition.is_won)
    lost = bool(disposition and disposition.is_closed and not disposition.is_won)
    rejected = status in rules.rejected and not converted
    accepted: bool | None
    if converted or (status is not None and status not in rules.pending and not rejected):
        accepted = True
    elif rejected:
        accepted = False
    else:
        accepted = None
    return HandoffOutcome.from_snapshot(
        entry.hubspot_id,
        entry.first_pushed_at,
        snapshot,
        criterion_dimension=criterion_dimension,
        lead_status=status,
        accepted=accepted,
        rejected=rejected,
        rejection_reason=disposition.disqualification_reason if rejected and disposition
        else None,
        converted=converted,
        won=won,
        lost=lost,
        amount_won=disposition.amount if won and disposition else None,
        first_touch_at=disposition.first_touch_at if disposition else None,
        selection_probability=selection_probability(entry.snapshot.extra),
        census=_selection_kind(entry.snapshot.extra) == "census",
    )


def _selection_kind(extra: Mapping[str, object]) -> str | None:
    selection = extra.get("selection")
    return str(selection.get("kind")) if isinstance(selection, Mapping) else None


def selection_probability(extra: Mapping[str, object]) -> float:
    """The probability the lead had of being handed off, from the snapshot's ``selection``;
    1 when absent or unreadable (a rule handoff: the only kind before exploration)."""
    selection = extra.get("selection")
    if not isinstance(selection, Mapping):
        return 1.0
    p = selection.get("probability")
    if isinstance(p, int | float) and not isinstance(p, bool) and 0.0 < float(p) <= 1.0:
        return float(p)
    return 1.0


def outcomes_from_store(
    store: StateStore,
    *,
    since: datetime | None = None,
    version: str | None = None,
    criterion_dimension: Mapping[str, str] | None = None,
    include_existing_contacts: bool = False,
    rules: StatusRules = DEFAULT_STATUS_RULES,
) -> Iterator[HandoffOutcome]:
    """Stream every handed-off lead first pushed at or after ``since`` whose latest push used
    definition ``version`` (both optional), joined with its disposition."""
    rows = store.iter_ledger_with_dispositions(since=since, version=version)
    for entry, disposition in rows:
        if entry.salesforce_object == "Contact" and not include_existing_contacts:
            continue
        if entry.salesforce_id is None and entry.salesforce_object is None:
            continue  # never reached Salesforce: nothing for sales to dispose of
        yield outcome_of(entry, disposition, criterion_dimension=criterion_dimension,
                         rules=rules)


def _fired_entries(extra: Mapping[str, object], fired: tuple[str, ...]) -> list[dict[str, object]]:
    """The snapshot's fired criteria with their dimensions when the full decision snapshot was
    kept (``extra["fired"]``), else the bare criterion names."""
    detailed = extra.get("fired")
    if isinstance(detailed, list) and all(isinstance(e, Mapping) and "criterion" in e
                                          for e in detailed):
        return [dict(e) for e in detailed]
    return [{"criterion": name} for name in fired]


def report_from_store(
    store: StateStore,
    *,
    now: datetime,
    since: datetime | None = None,
    version: str | None = None,
    criterion_dimension: Mapping[str, str] | None = None,
    min_sample: int = 30,
    current_threshold: float | None = None,
    **options: Any,
) -> CalibrationReport:
    """The calibration report over the store's ledger and dispositions (one streaming pass);
    ``options`` go to :func:`build_report` (objective, current_boundary, labels, currency,
    simulated)."""
    outcomes = outcomes_from_store(store, since=since, version=version,
                                   criterion_dimension=criterion_dimension)
    options.setdefault("customer_outcomes", customer_outcomes(
        store.iter_decisions(), criterion_dimension=criterion_dimension))
    return build_report(outcomes, now=now, since=since, version=version, min_sample=min_sample,
                        current_threshold=current_threshold, **options)

"""The calibration report as values: what :func:`build_report` returns and every renderer reads.

All rates are over *handed-off* leads (``Rate.n`` says how many); see
:mod:`connector.report.stats` for the statistical definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from connector.report.stats import Comparison, Rate


@dataclass(frozen=True)
class Sla:
    """Time to first sales touch, in hours, over the touched leads (nearest-rank percentiles)."""

    touched: int
    untouched: int
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True)
class GroupStats:
    """Outcomes of the leads handed off in one group (a grade, a version, or all of them)."""

    key: str
    handed_off: int
    accepted: int
    pending: int
    rejected: int
    rejected_by_reason: tuple[tuple[str, int], ...]
    converted: int
    won: int
    lost: int
    revenue: float
    mean_score: float | None
    acceptance: Rate
    rejection: Rate
    conversion: Rate
    win: Rate
    sla: Sla
    first_handoff_at: datetime | None
    last_handoff_at: datetime | None


@dataclass(frozen=True)
class SignalStats:
    """How one criterion (or one dimension) fired among handed-off leads and its lift.

    ``population`` counts the leads whose definition carried the signal (leads handed off
    under a definition that did not have it are neither fired nor not-fired).
    """

    name: str
    dimension: str
    population: int
    fired: int
    fire_rate: Rate
    conversion: Comparison
    win: Comparison
    label: str = ""
    """What people call it (the definition's label; the id when no label is known)."""


@dataclass(frozen=True)
class ScoreBin:
    """One bin of the calibration curve: leads with ``low <= score < high``."""

    low: float
    high: float
    leads: int
    mean_score: float
    conversion: Rate
    win: Rate


@dataclass(frozen=True)
class ThresholdObjective:
    """What the suggested threshold optimises, among thresholds that keep at least
    ``min_won_share`` of the won deals and at least ``min_leads`` leads: won deals per lead
    handed off (precision), or with ``target_leads`` the lead volume closest to that target.
    Ties go to the lower threshold (more leads for the same yield)."""

    min_won_share: float = 0.9
    min_leads: int = 30
    target_leads: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_won_share <= 1.0:
            raise ValueError(f"min_won_share must be in [0, 1], got {self.min_won_share}")
        if self.min_leads < 1:
            raise ValueError(f"min_leads must be at least 1, got {self.min_leads}")
        if self.target_leads is not None and self.target_leads < 1:
            raise ValueError(f"target_leads must be at least 1, got {self.target_leads}")


@dataclass(frozen=True)
class ThresholdPoint:
    """What handing off only leads scoring ``>= threshold`` would have kept. ``leads``,
    ``converted``, ``won`` and ``revenue`` are weighted estimates (plain counts when no lead
    was explored); ``sampled`` counts the outcomes they stand on; ``won_per_lead`` is the
    precision and ``won_share`` the share of all won deals kept."""

    threshold: float
    leads: float
    converted: float
    won: float
    revenue: float
    won_per_lead: float
    eligible: bool
    won_share: float = 0.0
    sampled: int = 0


@dataclass(frozen=True)
class Shadow:
    """The suggested threshold against the current one, replayed on the same outcomes."""

    current: ThresholdPoint
    suggested: ThresholdPoint
    lead_change: float
    converted_change: float
    won_change: float
    revenue_change: float


@dataclass(frozen=True)
class ThresholdSuggestion:
    objective: ThresholdObjective
    current: float | None
    current_source: str  # "handoff rule", "given" or "lowest handed-off score"
    suggested: float | None
    note: str
    points: tuple[ThresholdPoint, ...]
    shadow: Shadow | None
    boundary: str = "handoff threshold"
    """What the current bar is in the definition, e.g. "lower boundary of grade hot"."""


@dataclass(frozen=True)
class CalibrationReport:
    generated_at: datetime
    since: datetime | None
    version: str | None
    min_sample: int
    excluded: int
    total: GroupStats
    by_grade: tuple[GroupStats, ...]
    by_version: tuple[GroupStats, ...]
    criteria: tuple[SignalStats, ...]
    dimensions: tuple[SignalStats, ...]
    curve: tuple[ScoreBin, ...]
    threshold: ThresholdSuggestion
    grade_order_warnings: tuple[str, ...]
    explored: int = 0
    """Outcomes of leads handed off by exploration (at random), not by the handoff rule."""
    selection_warnings: tuple[str, ...] = ()
    """Why the lift verdicts are withheld (no exploration, one grade only); empty when read."""
    currency: str = ""
    """ISO code of the revenue amounts (Opportunity amounts), shown with every amount."""
    simulated: bool = False
    """The outcomes come from the sandbox's simulated sales team, not real sales."""
    customer_population: int = 0
    """Decided contacts that passed the gates, handed off or not (the customer census)."""
    customers: int = 0
    """How many of them became customers in HubSpot."""
    customer_criteria: tuple[SignalStats, ...] = ()
    """Per criterion: lift on becoming a customer over the census (``win`` = became one)."""
    customer_dimensions: tuple[SignalStats, ...] = ()

    @property
    def verdicts_withheld(self) -> bool:
        return bool(self.selection_warnings)

    @property
    def empty(self) -> bool:
        return self.total.handed_off == 0

    @property
    def empty_message(self) -> str:
        if self.excluded:
            return (f"No handed-off leads match the filter ({self.excluded} outside it): "
                    f"nothing to calibrate.")
        return EMPTY_MESSAGE

    @property
    def funnel(self) -> tuple[tuple[str, int], ...]:
        t = self.total
        return (("Handed off", t.handed_off), ("Accepted", t.accepted),
                ("Converted", t.converted), ("Won", t.won))

    @property
    def rejection_reasons(self) -> tuple[tuple[str, int], ...]:
        return self.total.rejected_by_reason


EMPTY_MESSAGE = "No handed-off leads yet: nothing to calibrate."

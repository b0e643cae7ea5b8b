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
    """What the suggested threshold optimises: won deals per lead handed off, among thresholds
    that keep at least ``min_won_share`` of the won deals and at least ``min_leads`` leads.
    Ties go to the lower threshold (more leads for the same yield)."""

    min_won_share: float = 0.9
    min_leads: int = 30

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_won_share <= 1.0:
            raise ValueError(f"min_won_share must be in [0, 1], got {self.min_won_share}")
        if self.min_leads < 1:
            raise ValueError(f"min_leads must be at least 1, got {self.min_leads}")


@dataclass(frozen=True)
class ThresholdPoint:
    """What handing off only leads scoring ``>= threshold`` would have kept."""

    threshold: float
    leads: int
    converted: int
    won: int
    revenue: float
    won_per_lead: float
    eligible: bool


@dataclass(frozen=True)
class Shadow:
    """The suggested threshold against the current one, replayed on the same outcomes."""

    current: ThresholdPoint
    suggested: ThresholdPoint
    lead_change: int
    converted_change: int
    won_change: int
    revenue_change: float


@dataclass(frozen=True)
class ThresholdSuggestion:
    objective: ThresholdObjective
    current: float | None
    current_source: str  # "given" or "lowest handed-off score"
    suggested: float | None
    note: str
    points: tuple[ThresholdPoint, ...]
    shadow: Shadow | None


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

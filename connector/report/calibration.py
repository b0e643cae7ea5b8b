"""Pure statistics over handoff outcomes: one streaming pass into small per-group accumulators.

Memory is bounded by the number of groups (grades, versions, criteria x definition hashes, score
cells), plus one float per touched lead for the SLA percentiles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from connector.report.curve import calibration_curve
from connector.report.histogram import ScoreHistogram
from connector.report.model import CalibrationReport, GroupStats, Sla, ThresholdObjective
from connector.report.outcomes import REJECTION_REASONS, HandoffOutcome, as_utc
from connector.report.signals import SignalAccumulator
from connector.report.stats import Rate, nearest_rank
from connector.report.threshold import suggest_threshold


class GroupAccumulator:
    """Running counts for one group; ``freeze`` turns them into :class:`GroupStats`."""

    def __init__(self) -> None:
        self.handed_off = 0
        self.accepted = 0
        self.pending = 0
        self.reasons: Counter[str] = Counter()
        self.converted = 0
        self.won = 0
        self.lost = 0
        self.revenue = 0.0
        self.score_sum = 0.0
        self.hours: list[float] = []
        self.first: datetime | None = None
        self.last: datetime | None = None

    def add(self, o: HandoffOutcome) -> None:
        self.handed_off += 1
        self.accepted += o.reached_accepted
        self.pending += o.pending
        if o.reason is not None:
            self.reasons[o.reason] += 1
        self.converted += o.reached_opportunity
        self.won += o.won
        self.lost += o.lost
        if o.won and o.amount_won is not None:
            self.revenue += o.amount_won
        self.score_sum += o.score
        hours = o.hours_to_first_touch
        if hours is not None:
            self.hours.append(hours)
        at = o.handed_off_at
        self.first = at if self.first is None else min(self.first, at)
        self.last = at if self.last is None else max(self.last, at)

    @property
    def mean_score(self) -> float | None:
        return self.score_sum / self.handed_off if self.handed_off else None

    def freeze(self, key: str) -> GroupStats:
        n = self.handed_off
        rejected = sum(self.reasons.values())
        known = {r: i for i, r in enumerate(REJECTION_REASONS)}
        by_reason = sorted(self.reasons.items(),
                           key=lambda kv: (-kv[1], known.get(kv[0], len(known)), kv[0]))
        hours = sorted(self.hours)
        return GroupStats(
            key=key,
            handed_off=n,
            accepted=self.accepted,
            pending=self.pending,
            rejected=rejected,
            rejected_by_reason=tuple(by_reason),
            converted=self.converted,
            won=self.won,
            lost=self.lost,
            revenue=self.revenue,
            mean_score=self.mean_score,
            acceptance=Rate.of(self.accepted, n),
            rejection=Rate.of(rejected, n),
            conversion=Rate.of(self.converted, n),
            win=Rate.of(self.won, n),
            sla=Sla(touched=len(hours), untouched=n - len(hours),
                    median_hours=nearest_rank(hours, 50), p90_hours=nearest_rank(hours, 90)),
            first_handoff_at=self.first,
            last_handoff_at=self.last,
        )


def _order_warnings(grades: tuple[GroupStats, ...], min_sample: int) -> tuple[str, ...]:
    """Adjacent grades (by mean score) whose conversion rates come out in the wrong order."""
    warnings: list[str] = []
    for upper, lower in zip(grades, grades[1:], strict=False):
        a, b = upper.conversion, lower.conversion
        if min(a.n, b.n) < min_sample or a.value is None or b.value is None:
            continue
        if b.value > a.value:
            noise = "within noise" if b.low <= a.high else "clear"
            warnings.append(
                f"Grade {lower.key} (mean score {lower.mean_score:.1f}) converts at "
                f"{b.value:.1%}, more than grade {upper.key} (mean score "
                f"{upper.mean_score:.1f}) at {a.value:.1%} ({noise})."
            )
    return tuple(warnings)


def build_report(
    outcomes: Iterable[HandoffOutcome],
    *,
    now: datetime,
    since: datetime | date | None = None,
    version: str | None = None,
    min_sample: int = 30,
    current_threshold: float | None = None,
    objective: ThresholdObjective | None = None,
) -> CalibrationReport:
    """The calibration report over ``outcomes`` handed off at or after ``since`` under
    ``version`` (both optional filters), in one pass.

    ``min_sample`` is the fewest leads per side before a lift is read (and per grade before a
    grade-order warning is raised). ``current_threshold`` defaults to the lowest handed-off
    score; ``objective`` to ``ThresholdObjective(min_leads=min_sample)``.
    """
    if min_sample < 1:
        raise ValueError(f"min_sample must be at least 1, got {min_sample}")
    objective = objective or ThresholdObjective(min_leads=min_sample)
    cutoff = as_utc(since) if since is not None else None
    total = GroupAccumulator()
    grades: dict[str, GroupAccumulator] = {}
    versions: dict[str, GroupAccumulator] = {}
    signals = SignalAccumulator()
    histogram = ScoreHistogram()
    excluded = 0
    for o in outcomes:
        if (cutoff is not None and o.handed_off_at < cutoff) or (
            version is not None and o.version != version
        ):
            excluded += 1
            continue
        total.add(o)
        grades.setdefault(o.grade, GroupAccumulator()).add(o)
        versions.setdefault(o.version, GroupAccumulator()).add(o)
        signals.add(o)
        histogram.add(o)

    by_grade = tuple(sorted(
        (acc.freeze(key) for key, acc in grades.items()),
        key=lambda g: (-(g.mean_score or 0.0), g.key),
    ))
    by_version = tuple(sorted(
        (acc.freeze(key) for key, acc in versions.items()),
        key=lambda g: (g.first_handoff_at or as_utc(now), g.key),
    ))
    criteria, dimensions = signals.freeze(min_sample)
    return CalibrationReport(
        generated_at=as_utc(now),
        since=cutoff,
        version=version,
        min_sample=min_sample,
        excluded=excluded,
        total=total.freeze("All"),
        by_grade=by_grade,
        by_version=by_version,
        criteria=criteria,
        dimensions=dimensions,
        curve=calibration_curve(histogram),
        threshold=suggest_threshold(histogram, objective, current_threshold),
        grade_order_warnings=_order_warnings(by_grade, min_sample),
    )

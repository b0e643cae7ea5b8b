"""Pure statistics over handoff outcomes: one streaming pass into small per-group accumulators.

Memory is bounded by the number of groups (grades, versions, criteria x definition hashes, score
cells), plus one float per touched lead for the SLA percentiles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from connector.report.curve import calibration_curve
from connector.report.customers import CustomerAccumulator
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


NO_EXPLORATION = (
    "Every handed-off lead was chosen by the handoff rule (no exploration), so outcomes exist "
    "only for leads the rule already liked: a criterion measured among them alone can look "
    "useless or harmful and still double conversion over all leads. Lift verdicts are withheld. "
    "Set [handoff] explore_share (e.g. 0.05) to hand off a random, flagged sample of the other "
    "leads that pass the gates; the report then weights outcomes to cover all of them.")


def one_grade_warning(grade: str) -> str:
    return (f"Every handed-off lead is grade {grade}: nothing to compare it with, so lift "
            f"verdicts are withheld.")


def selection_warnings(grades: Iterable[str], explored: int,
                       census: int = 0) -> tuple[str, ...]:
    """Why lift verdicts cannot be read from these outcomes (empty when they can): every
    outcome is of one grade, or none comes from exploration or from a rule that hands off
    every lead passing the gates (``census``)."""
    out: list[str] = []
    names = sorted(set(grades))
    if len(names) == 1:
        out.append(one_grade_warning(names[0]))
    if explored == 0 and census == 0:
        out.append(NO_EXPLORATION)
    return tuple(out)


def build_report(
    outcomes: Iterable[HandoffOutcome],
    *,
    now: datetime,
    since: datetime | date | None = None,
    version: str | None = None,
    min_sample: int = 30,
    current_threshold: float | None = None,
    objective: ThresholdObjective | None = None,
    current_boundary: str | None = None,
    labels: Mapping[str, str] | None = None,
    currency: str = "",
    simulated: bool = False,
    customer_outcomes: Iterable[HandoffOutcome] = (),
) -> CalibrationReport:
    """The calibration report over ``outcomes`` handed off at or after ``since`` under
    ``version`` (both optional filters), in one pass.

    ``min_sample`` is the fewest leads per side before a lift is read (and per grade before a
    grade-order warning is raised). ``current_threshold`` is the definition's handoff bar, named
    by ``current_boundary`` (e.g. "lower boundary of grade hot"); it defaults to the lowest
    handed-off score. ``objective`` defaults to ``ThresholdObjective(min_leads=min_sample)``.
    ``labels`` name criteria and dimensions for people (id -> label). ``currency`` (an ISO
    code) is printed with every amount; ``simulated`` marks sandbox outcomes as such.
    ``customer_outcomes`` (from ``connector.report.customers``: every decided contact that
    passed the gates, won when it became a customer) give the census lift on becoming a
    customer; they are not filtered by ``since`` or ``version``.

    Outcomes are weighted by ``1 / selection_probability`` in the lift, curve and threshold
    figures; when no outcome was explored, or every one is of one grade, the lift verdicts are
    withheld and ``selection_warnings`` says why.
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
    explored = 0
    census = 0
    for o in outcomes:
        if (cutoff is not None and o.handed_off_at < cutoff) or (
            version is not None and o.version != version
        ):
            excluded += 1
            continue
        total.add(o)
        explored += o.explored
        census += o.census
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
    warnings = selection_warnings(grades, explored, census) if grades else ()
    criteria, dimensions = signals.freeze(min_sample, labels=labels,
                                          withhold=bool(warnings))
    book = CustomerAccumulator()
    for c in customer_outcomes:
        book.add(c)
    customer_criteria, customer_dimensions = book.signals.freeze(min_sample, labels=labels)
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
        threshold=suggest_threshold(histogram, objective, current_threshold,
                                    boundary=current_boundary),
        grade_order_warnings=_order_warnings(by_grade, min_sample),
        explored=explored,
        selection_warnings=warnings,
        currency=currency,
        simulated=simulated,
        customer_population=book.population,
        customers=book.customers,
        customer_criteria=customer_criteria,
        customer_dimensions=customer_dimensions,
    )

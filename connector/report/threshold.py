"""The suggested handoff threshold, the table behind it, and what it would have changed.

Candidates are integer thresholds ``t`` (one per distinct kept set: the integer part of every
observed score); handing off only leads scoring ``>= t`` keeps, per candidate, an estimated
number of leads, their precision (won deals per lead) and the share of all won deals kept. Every
figure is weighted by ``1 / selection probability``: an explored lead stands for the leads the
rule held back, so with exploration the table also reaches below the current bar. Without it,
the outcomes only cover leads that *were* handed off: the data can say what raising the bar
would have cost, never what lowering it would have gained.

Objective (:class:`ThresholdObjective`): among thresholds keeping at least ``min_won_share`` of
the won deals and at least ``min_leads`` leads, the one with the highest precision, or with
``target_leads`` the one whose lead volume is closest to the target; ties go to the lower
threshold. The *current* threshold is the definition's handoff bar (the lower boundary of the
coldest handed-off grade, or ``handoff.min_score``) when the caller knows it, else the lowest
handed-off score; the suggestion is phrased as moving that boundary.
"""

from __future__ import annotations

import math

from connector.report.histogram import RESOLUTION, Cell, ScoreHistogram, threshold_key
from connector.report.model import (
    Shadow,
    ThresholdObjective,
    ThresholdPoint,
    ThresholdSuggestion,
)

LOWEST_SCORE = "lowest handed-off score"
GIVEN = "given"
HANDOFF_RULE = "handoff rule"
_EPS = 1e-9


def _point(threshold: float, kept: Cell, objective: ThresholdObjective,
           won_total: float) -> ThresholdPoint:
    won_share = kept.w_won / won_total if won_total > 0 else 0.0
    eligible = (kept.w_leads >= objective.min_leads - _EPS
                and kept.w_won >= objective.min_won_share * won_total - _EPS)
    return ThresholdPoint(
        threshold=threshold,
        leads=kept.w_leads,
        converted=kept.w_converted,
        won=kept.w_won,
        revenue=kept.w_revenue,
        won_per_lead=kept.w_won / kept.w_leads if kept.w_leads > 0 else 0.0,
        eligible=eligible,
        won_share=won_share,
        sampled=kept.leads,
    )


def candidate_points(histogram: ScoreHistogram,
                     objective: ThresholdObjective) -> tuple[ThresholdPoint, ...]:
    """One point per integer threshold that changes the kept set, lowest first."""
    won_total = histogram.total().w_won
    by_integer: dict[int, Cell] = {}
    for key, cell in histogram.cells.items():
        by_integer.setdefault(math.floor(key / RESOLUTION), Cell()).merge(cell)
    kept = Cell()
    points: list[ThresholdPoint] = []
    for t in sorted(by_integer, reverse=True):
        kept.merge(by_integer[t])
        points.append(_point(float(t), kept, objective, won_total))
    points.reverse()
    return tuple(points)


def _best(points: tuple[ThresholdPoint, ...],
          objective: ThresholdObjective) -> ThresholdPoint | None:
    best: ThresholdPoint | None = None
    target = objective.target_leads
    for point in points:  # ascending threshold: strict improvement keeps the lowest on a tie
        if not point.eligible:
            continue
        if best is None:
            best = point
        elif target is not None:
            if abs(point.leads - target) < abs(best.leads - target) - _EPS:
                best = point
        elif point.won_per_lead > best.won_per_lead + 1e-12:
            best = point
    return best


def _fmt(value: float) -> str:
    return f"{value:g}"


def _leads(value: float) -> str:
    return f"{value:,.0f}"


def _describe(shadow: Shadow, boundary: str) -> str:
    cur, sug = shadow.current, shadow.suggested
    if sug.threshold == cur.threshold:
        return (f"Keep the {boundary} at {_fmt(cur.threshold)}: it is already the best under "
                f"the objective ({_leads(cur.leads)} leads, precision {cur.won_per_lead:.1%}, "
                f"{cur.won_share:.0%} of won deals kept).")
    leads = shadow.lead_change
    return (
        f"Move the {boundary} from {_fmt(cur.threshold)} to {_fmt(sug.threshold)}: it would "
        f"have handed off {_leads(abs(leads))} {'fewer' if leads <= 0 else 'more'} leads "
        f"({_leads(cur.leads)} \u2192 {_leads(sug.leads)}), precision "
        f"{cur.won_per_lead:.1%} \u2192 {sug.won_per_lead:.1%}, share of won deals kept "
        f"{cur.won_share:.0%} \u2192 {sug.won_share:.0%}."
    )


def suggest_threshold(histogram: ScoreHistogram, objective: ThresholdObjective,
                      current: float | None = None, *,
                      boundary: str | None = None) -> ThresholdSuggestion:
    """The threshold the objective prefers, with the table behind it and its shadow against
    ``current`` (the handoff bar, named by ``boundary``, e.g. "lower boundary of grade hot").

    ``current`` defaults to the lowest handed-off score (everything in the data was handed off).
    """
    if current is not None:
        source = HANDOFF_RULE if boundary else GIVEN
    else:
        source = LOWEST_SCORE
        current = histogram.min_score
    boundary = boundary or "handoff threshold"
    points = candidate_points(histogram, objective)

    def none(note: str) -> ThresholdSuggestion:
        return ThresholdSuggestion(objective=objective, current=current, current_source=source,
                                   suggested=None, note=note, points=points, shadow=None,
                                   boundary=boundary)

    total = histogram.total()
    if total.leads == 0 or current is None:
        return none("No handed-off leads yet.")
    if total.won == 0:
        return none("No won deals yet: nothing to optimise the threshold for.")
    if total.w_leads < objective.min_leads - _EPS:
        return none(f"Only {_leads(total.w_leads)} leads; the objective needs at least "
                    f"{objective.min_leads}.")
    best = _best(points, objective)
    if best is None:
        return none("No threshold keeps enough leads and won deals under the objective.")
    current_key = threshold_key(current) if source != LOWEST_SCORE else min(histogram.cells)
    current_point = _point(current, histogram.at_or_above(current_key), objective, total.w_won)
    if current_key == threshold_key(best.threshold) or (
            current_point.sampled == best.sampled and current_point.leads == best.leads):
        best = current_point  # the same kept set: the current bar is the best
    shadow = Shadow(
        current=current_point,
        suggested=best,
        lead_change=best.leads - current_point.leads,
        converted_change=best.converted - current_point.converted,
        won_change=best.won - current_point.won,
        revenue_change=best.revenue - current_point.revenue,
    )
    return ThresholdSuggestion(objective=objective, current=current, current_source=source,
                               suggested=shadow.suggested.threshold,
                               note=_describe(shadow, boundary), points=points, shadow=shadow,
                               boundary=boundary)

"""The suggested handoff threshold, and what it would have changed (the shadow).

Objective (configurable through :class:`ThresholdObjective`): among candidate thresholds ``t``
(every distinct handed-off score, at 0.1 resolution), keep those where handing off only leads
scoring ``>= t`` would still have kept at least ``min_won_share`` of the won deals and at least
``min_leads`` leads; pick the one with the most won deals per lead handed off; on a tie, the
lower threshold. The outcomes only cover leads that *were* handed off, so the data can say what
raising the bar would have cost, never what lowering it below the lowest handed-off score would
have gained.
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


def _point(key: int, kept: Cell, objective: ThresholdObjective, won_total: int) -> ThresholdPoint:
    needed_won = math.ceil(objective.min_won_share * won_total - 1e-9)
    eligible = kept.leads >= objective.min_leads and kept.won >= needed_won
    return ThresholdPoint(
        threshold=key / RESOLUTION,
        leads=kept.leads,
        converted=kept.converted,
        won=kept.won,
        revenue=kept.revenue,
        won_per_lead=kept.won / kept.leads if kept.leads else 0.0,
        eligible=eligible,
    )


def candidate_points(histogram: ScoreHistogram,
                     objective: ThresholdObjective) -> tuple[ThresholdPoint, ...]:
    """One point per distinct score cell, lowest threshold first (cumulative from the top)."""
    won_total = histogram.total().won
    kept = Cell()
    points: list[ThresholdPoint] = []
    for key in sorted(histogram.cells, reverse=True):
        kept.merge(histogram.cells[key])
        points.append(_point(key, kept, objective, won_total))
    points.reverse()
    return tuple(points)


def _best(points: tuple[ThresholdPoint, ...]) -> ThresholdPoint | None:
    best: ThresholdPoint | None = None
    for point in points:  # ascending threshold: strict > keeps the lowest on a tie
        if point.eligible and (best is None or point.won_per_lead > best.won_per_lead + 1e-12):
            best = point
    return best


def _fmt(value: float) -> str:
    return f"{value:g}"


def _describe(shadow: Shadow) -> str:
    cur, sug = shadow.current, shadow.suggested
    if sug.threshold == cur.threshold:
        return (f"The current threshold ({_fmt(cur.threshold)}) is already the best under the "
                f"objective: {cur.won_per_lead:.1%} of handed-off leads were won.")
    direction = "Raising" if sug.threshold > cur.threshold else "Lowering"
    leads = shadow.lead_change
    won = shadow.won_change
    return (
        f"{direction} the bar from {_fmt(cur.threshold)} to {_fmt(sug.threshold)} would have "
        f"handed off {abs(leads)} {'fewer' if leads <= 0 else 'more'} leads "
        f"({cur.leads} \u2192 {sug.leads}) and "
        + (f"{'lost' if won < 0 else 'gained'} {abs(won)} of {cur.won} won deals"
           if won else f"kept all {cur.won} won deals")
        + f"; won per lead {cur.won_per_lead:.1%} \u2192 {sug.won_per_lead:.1%}."
    )


def suggest_threshold(histogram: ScoreHistogram, objective: ThresholdObjective,
                      current: float | None = None) -> ThresholdSuggestion:
    """The threshold the objective prefers, with its shadow against ``current``.

    ``current`` defaults to the lowest handed-off score (everything in the data was handed off).
    """
    source = GIVEN if current is not None else LOWEST_SCORE
    if current is None:
        current = histogram.min_score
    points = candidate_points(histogram, objective)

    def none(note: str) -> ThresholdSuggestion:
        return ThresholdSuggestion(objective=objective, current=current, current_source=source,
                                   suggested=None, note=note, points=points, shadow=None)

    total = histogram.total()
    if total.leads == 0 or current is None:
        return none("No handed-off leads yet.")
    if total.won == 0:
        return none("No won deals yet: nothing to optimise the threshold for.")
    if total.leads < objective.min_leads:
        return none(f"Only {total.leads} handed-off leads; the objective needs at least "
                    f"{objective.min_leads}.")
    best = _best(points)
    if best is None:
        return none("No threshold keeps enough leads and won deals under the objective.")
    won_total = total.won
    current_key = (threshold_key(current) if source == GIVEN
                   else min(histogram.cells))
    current_point = _point(current_key, histogram.at_or_above(current_key), objective, won_total)
    current_point = ThresholdPoint(
        threshold=current, leads=current_point.leads, converted=current_point.converted,
        won=current_point.won, revenue=current_point.revenue,
        won_per_lead=current_point.won_per_lead, eligible=current_point.eligible)
    shadow = Shadow(
        current=current_point,
        suggested=best,
        lead_change=best.leads - current_point.leads,
        converted_change=best.converted - current_point.converted,
        won_change=best.won - current_point.won,
        revenue_change=best.revenue - current_point.revenue,
    )
    if current_key == threshold_key(best.threshold):  # same cell: the current bar is the best
        shadow = Shadow(current=current_point, suggested=current_point, lead_change=0,
                        converted_change=0, won_change=0, revenue_change=0.0)
    return ThresholdSuggestion(objective=objective, current=current, current_source=source,
                               suggested=shadow.suggested.threshold, note=_describe(shadow),
                               points=points, shadow=shadow)

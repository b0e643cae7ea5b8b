"""A score histogram at 0.1-point resolution: the bounded summary the threshold search and the
calibration curve are computed from (one cell per distinct score, not one per lead).

A cell holds the leads whose score ``s`` satisfies ``key <= s * 10 < key + 1``; for any
threshold ``t`` on the 0.1 grid, ``s >= t`` exactly when the cell key is ``>= t * 10``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from connector.report.outcomes import HandoffOutcome

RESOLUTION = 10  # cells per score point


def score_key(score: float) -> int:
    """The histogram cell of ``score``; rounding at 1e-6 absorbs binary noise like 5.6999999."""
    return math.floor(round(score * RESOLUTION, 6))


def threshold_key(threshold: float) -> int:
    """The lowest cell kept by ``score >= threshold`` (a threshold off the grid is rounded up)."""
    return math.ceil(round(threshold * RESOLUTION, 6))


@dataclass
class Cell:
    """Counts of the sampled leads, and the same weighted by ``1 / selection probability``
    (``w_*``: estimates over every gate-passing lead; equal to the counts without exploration)."""

    leads: int = 0
    converted: int = 0
    won: int = 0
    revenue: float = 0.0
    score_sum: float = 0.0
    w_leads: float = 0.0
    w2_leads: float = 0.0
    w_converted: float = 0.0
    w_won: float = 0.0
    w_revenue: float = 0.0
    w_score_sum: float = 0.0

    def add(self, outcome: HandoffOutcome) -> None:
        w = outcome.weight
        self.leads += 1
        self.converted += outcome.reached_opportunity
        self.won += outcome.won
        if outcome.won and outcome.amount_won is not None:
            self.revenue += outcome.amount_won
            self.w_revenue += w * outcome.amount_won
        self.score_sum += outcome.score
        self.w_leads += w
        self.w2_leads += w * w
        self.w_converted += w * outcome.reached_opportunity
        self.w_won += w * outcome.won
        self.w_score_sum += w * outcome.score

    def merge(self, other: Cell) -> None:
        self.leads += other.leads
        self.converted += other.converted
        self.won += other.won
        self.revenue += other.revenue
        self.score_sum += other.score_sum
        self.w_leads += other.w_leads
        self.w2_leads += other.w2_leads
        self.w_converted += other.w_converted
        self.w_won += other.w_won
        self.w_revenue += other.w_revenue
        self.w_score_sum += other.w_score_sum


class ScoreHistogram:
    """Outcome counts per score cell, filled in one pass."""

    def __init__(self) -> None:
        self.cells: dict[int, Cell] = {}
        self.min_score: float | None = None
        self.max_score: float | None = None

    def add(self, outcome: HandoffOutcome) -> None:
        self.cells.setdefault(score_key(outcome.score), Cell()).add(outcome)
        s = outcome.score
        self.min_score = s if self.min_score is None else min(self.min_score, s)
        self.max_score = s if self.max_score is None else max(self.max_score, s)

    def total(self) -> Cell:
        out = Cell()
        for cell in self.cells.values():
            out.merge(cell)
        return out

    def at_or_above(self, key: int) -> Cell:
        """Everything in cells ``>= key``."""
        out = Cell()
        for k, cell in self.cells.items():
            if k >= key:
                out.merge(cell)
        return out

"""The calibration curve: conversion and win rate per score bin.

Bins have a fixed "nice" width (1, 2, 2.5 or 5 times a power of ten) chosen so the observed
score range spans at most about ``target_bins`` bins, aligned on multiples of the width; a bin
holds ``low <= score < high`` (a score on an edge belongs to the upper bin), except that the top
bin is closed when the highest score sits exactly on its upper edge (so a 0-100 scale ends with
90-100, not with a 100-110 bin holding only perfect scores). Empty bins are omitted. Built
from the 0.1-resolution histogram, so bin edges (multiples of at least 0.1) split cells exactly.
"""

from __future__ import annotations

import math

from connector.report.histogram import RESOLUTION, Cell, ScoreHistogram
from connector.report.model import ScoreBin
from connector.report.stats import Rate

_NICE = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_width(span: float, target_bins: int) -> float:
    """The smallest nice width (at least 0.1) giving at most ``target_bins`` bins over span."""
    if span <= 0:
        return 1.0
    raw = span / target_bins
    exponent = math.floor(math.log10(raw))
    for factor in _NICE:
        width = factor * 10.0**exponent
        if width >= raw - 1e-12:
            return max(round(width, 10), 1.0 / RESOLUTION)
    return max(10.0 ** (exponent + 1), 1.0 / RESOLUTION)  # pragma: no cover - 10.0 always fits


def calibration_curve(histogram: ScoreHistogram, target_bins: int = 10) -> tuple[ScoreBin, ...]:
    if histogram.min_score is None or histogram.max_score is None:
        return ()
    width = nice_width(histogram.max_score - histogram.min_score, target_bins)
    width_cells = round(width * RESOLUTION)
    top_key = round(histogram.max_score * RESOLUTION, 6)
    closed_top = top_key == int(top_key) and int(top_key) % width_cells == 0
    closed_top = closed_top and histogram.max_score > histogram.min_score
    bins: dict[int, Cell] = {}
    for key, cell in histogram.cells.items():
        index = key // width_cells
        if closed_top and key == top_key:
            index -= 1
        bins.setdefault(index, Cell()).merge(cell)
    out: list[ScoreBin] = []
    for index in sorted(bins):
        cell = bins[index]
        out.append(ScoreBin(
            low=round(index * width, 10),
            high=round((index + 1) * width, 10),
            leads=cell.leads,
            mean_score=cell.w_score_sum / cell.w_leads,
            conversion=Rate.weighted(cell.converted, cell.leads, cell.w_converted, cell.w_leads,
                                     cell.w2_leads),
            win=Rate.weighted(cell.won, cell.leads, cell.w_won, cell.w_leads, cell.w2_leads),
        ))
    return tuple(out)

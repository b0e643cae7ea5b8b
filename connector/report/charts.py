"""The report's four charts, as inline SVG strings (see :mod:`connector.report.svg`)."""

from __future__ import annotations

from connector.report import format as f
from connector.report.model import CalibrationReport
from connector.report.svg import (
    BLUE,
    GREEN,
    ORANGE,
    TEAL,
    Bar,
    CurvePoint,
    Marker,
    Series,
    curve_chart,
    grouped_bars,
    horizontal_bars,
)


def rates_by_grade(report: CalibrationReport) -> str:
    grades = report.by_grade
    desc = "; ".join(
        f"grade {g.key}: conversion {f.rate(g.conversion)}, win {f.rate(g.win)} "
        f"of {g.handed_off} leads" for g in grades)
    return grouped_bars(
        "chart-grades",
        "Conversion and win rate by grade",
        f"Grades ordered by mean score, highest first. {desc}.",
        [g.key for g in grades],
        [
            Series("Converted to opportunity", BLUE, tuple(g.conversion.value for g in grades),
                   tuple(f"{g.conversion.hits}/{g.conversion.n}" for g in grades)),
            Series("Won", GREEN, tuple(g.win.value for g in grades),
                   tuple(f"{g.win.hits}/{g.win.n}" for g in grades)),
        ],
        width=520,
    )


def _edges(low: float, high: float, width: float) -> list[float]:
    """Bin edges from low to high, thinned to at most 11 labels."""
    count = round((high - low) / width)
    step = -(-count // 10)  # ceil(count / 10)
    indices = list(range(0, count + 1, step))
    if indices[-1] != count:
        indices.append(count)
    return [round(low + i * width, 10) for i in indices]


def calibration(report: CalibrationReport) -> str:
    bins = report.curve
    points = [
        CurvePoint(
            x=b.mean_score, rate=b.conversion.value or 0.0, low=b.conversion.low,
            high=b.conversion.high, leads=b.leads,
            label=(f"Score {b.low:g}\u2013{b.high:g}: {f.rate(b.conversion)} converted "
                   f"({f.sample(b.conversion)}), 95% interval {f.interval(b.conversion)}"),
            small=b.leads < report.min_sample,
        )
        for b in bins
    ]
    desc = "; ".join(f"score {b.low:g} to {b.high:g}: {f.rate(b.conversion)} of {b.leads}"
                     for b in bins)
    ticks = _edges(bins[0].low, bins[-1].high, bins[0].high - bins[0].low) if bins else []
    th = report.threshold
    markers: list[Marker] = []
    if th.current is not None:
        markers.append(Marker(th.current, f"Current bar {th.current:g}", ORANGE))
    if th.suggested is not None and th.suggested != th.current:
        markers.append(Marker(th.suggested, f"Suggested {th.suggested:g}", GREEN))
    lines = "; ".join(f"dashed line: {m.name}" for m in markers)
    return curve_chart(
        "chart-calibration",
        "Calibration curve: conversion rate by score at handoff",
        "Each dot is a score bin placed at its mean score; dot size grows with the number of "
        f"leads (hollow: fewer than {report.min_sample}); whiskers are Wilson 95% intervals"
        f"{'; ' + lines if lines else ''}. {desc}.",
        points, ticks, "Score at handoff", "Converted", width=520,
        series_name="Conversion (95% interval)", markers=markers,
    )


def funnel(report: CalibrationReport) -> str:
    stages = report.funnel
    first = stages[0][1] or 1
    bars = [Bar(stage, count, f"{count} ({count / first:.0%})") for stage, count in stages]
    desc = ", ".join(f"{stage} {count}" for stage, count in stages)
    return horizontal_bars("chart-funnel", "Funnel: handed off, accepted, converted, won",
                           f"Lead counts at each stage: {desc}.", bars, TEAL,
                           width=520, label_width=90)


def rejection_reasons(report: CalibrationReport) -> str:
    reasons = report.rejection_reasons
    rejected = report.total.rejected or 1
    bars = [Bar(reason, count, f"{count} ({count / rejected:.0%} of rejections)")
            for reason, count in reasons]
    desc = ", ".join(f"{reason} {count}" for reason, count in reasons) or "no rejections"
    return horizontal_bars("chart-reasons", "Rejection reasons",
                           f"Rejected leads by disqualification reason: {desc}.", bars, ORANGE,
                           width=520, label_width=100)

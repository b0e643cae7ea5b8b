"""Hand-written inline SVG charts: no plotting library, no script, readable as plain markup.

Every chart is an ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>`` (the
description states the numbers, so a screen reader gets the data, not just "chart"), and every
bar or point carries a ``<title>`` tooltip. Sizes come from ``viewBox`` so charts scale with the
page. Colours pass WCAG AA contrast against white for text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1a202c"
MUTED = "#4a5568"
GRID = "#e2e8f0"
BLUE = "#2b6cb0"
GREEN = "#2f855a"
ORANGE = "#c05621"
TEAL = "#2c7a7b"

# y-axis tops for rates, each with a division count that gives round tick labels
_NICE_MAX = {0.01: 5, 0.02: 4, 0.05: 5, 0.1: 5, 0.2: 4, 0.25: 5, 0.4: 4, 0.5: 5, 0.6: 6,
             0.8: 4, 1.0: 5}


def _n(value: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _attrs(attrs: dict[str, object]) -> str:
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(str(v), quote=True)}"'
                   for k, v in attrs.items())


def el(tag: str, body: str = "", **attrs: object) -> str:
    return f"<{tag}{_attrs(attrs)}>{body}</{tag}>" if body else f"<{tag}{_attrs(attrs)}/>"


def tip(text: str) -> str:
    return el("title", escape(text))


def nice_max(value: float) -> float:
    """The y-axis top for rates: the smallest of a few round fractions at or above ``value``."""
    for candidate in _NICE_MAX:
        if value <= candidate + 1e-12:
            return candidate
    return 1.0


def _frame(chart_id: str, title: str, desc: str, width: int, height: int, body: str) -> str:
    head = (el("title", escape(title), id=f"{chart_id}-title")
            + el("desc", escape(desc), id=f"{chart_id}-desc"))
    return el("svg", head + body, xmlns="http://www.w3.org/2000/svg", id=chart_id, role="img",
              aria_labelledby=f"{chart_id}-title {chart_id}-desc",
              viewBox=f"0 0 {width} {height}", width=width, height=height,
              font_family=FONT, font_size=12, fill=INK, class_="chart")


def _y_axis(x0: float, x1: float, y_of: Callable[[float], float], top: float) -> str:
    parts = []
    divisions = _NICE_MAX.get(top, 4)
    for i in range(divisions + 1):
        value = top * i / divisions
        y = y_of(value)
        parts.append(el("line", x1=_n(x0), x2=_n(x1), y1=_n(y), y2=_n(y), stroke=GRID))
        parts.append(el("text", f"{round(value * 100, 1):g}%", x=_n(x0 - 6), y=_n(y + 4),
                        text_anchor="end", fill=MUTED))
    return "".join(parts)


def _legend(items: Sequence[tuple[str, str]], x: float, y: float) -> str:
    parts = []
    for name, color in items:
        parts.append(el("rect", x=_n(x), y=_n(y - 10), width=12, height=12, fill=color))
        parts.append(el("text", escape(name), x=_n(x + 17), y=_n(y)))
        x += 30 + 7 * len(name)
    return "".join(parts)


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    values: tuple[float | None, ...]
    counts: tuple[str, ...] = ()  # per-category tooltip detail, e.g. "12/80"


def grouped_bars(chart_id: str, title: str, desc: str, categories: Sequence[str],
                 series: Sequence[Series], width: int = 640, height: int = 300) -> str:
    """Vertical bars of rates (0..1) per category, one bar per series, value on top."""
    left, right, top, bottom = 52, 16, 40, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for s in series for v in s.values if v is not None), default=0.0)
    y_top = nice_max(peak)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - value / y_top)

    parts = [_legend([(s.name, s.color) for s in series], left, 18),
             _y_axis(left, width - right, y_of, y_top)]
    group_w = plot_w / max(len(categories), 1)
    bar_w = min(48.0, group_w * 0.72 / max(len(series), 1))
    for i, category in enumerate(categories):
        start = left + i * group_w + (group_w - bar_w * len(series)) / 2
        for j, s in enumerate(series):
            value = s.values[i]
            x = start + j * bar_w
            detail = f" ({s.counts[i]})" if i < len(s.counts) else ""
            label = "no data" if value is None else f"{value * 100:.1f}%"
            h = 0.0 if value is None else plot_h * value / y_top
            bar = el("rect", tip(f"{category}: {s.name} {label}{detail}"), x=_n(x + 1),
                     y=_n(top + plot_h - h), width=_n(bar_w - 2), height=_n(h), fill=s.color)
            parts.append(bar)
            parts.append(el("text", label if value is not None else "\u2014",
                            x=_n(x + bar_w / 2), y=_n(top + plot_h - h - 4), text_anchor="middle",
                            font_size=10, fill=MUTED))
        parts.append(el("text", escape(category), x=_n(left + (i + 0.5) * group_w),
                        y=_n(height - bottom + 18), text_anchor="middle", font_weight="600"))
    parts.append(el("line", x1=left, x2=width - right, y1=_n(top + plot_h), y2=_n(top + plot_h),
                    stroke=MUTED))
    return _frame(chart_id, title, desc, width, height, "".join(parts))


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    annotation: str


def horizontal_bars(chart_id: str, title: str, desc: str, bars: Sequence[Bar], color: str,
                    width: int = 640, label_width: int = 130) -> str:
    """One labelled horizontal bar per row, length proportional to the largest value."""
    row_h, top = 30, 8
    height = top * 2 + row_h * max(len(bars), 1)
    plot_w = width - label_width - 150
    peak = max((b.value for b in bars), default=0.0) or 1.0
    parts = []
    for i, b in enumerate(bars):
        y = top + i * row_h
        w = plot_w * b.value / peak
        parts.append(el("text", escape(b.label), x=label_width - 8, y=_n(y + 19),
                        text_anchor="end"))
        parts.append(el("rect", tip(f"{b.label}: {b.annotation}"), x=label_width, y=_n(y + 5),
                        width=_n(max(w, 0.0)), height=row_h - 10, fill=color, rx=2))
        parts.append(el("text", escape(b.annotation), x=_n(label_width + w + 8), y=_n(y + 19),
                        fill=MUTED))
    return _frame(chart_id, title, desc, width, height, "".join(parts))


@dataclass(frozen=True)
class CurvePoint:
    x: float
    rate: float
    low: float
    high: float
    leads: int
    label: str
    small: bool = False  # drawn hollow: too few leads to read much into


@dataclass(frozen=True)
class Marker:
    """A dashed vertical line at ``x`` (e.g. a threshold), named in the legend."""

    x: float
    name: str
    color: str


def curve_chart(chart_id: str, title: str, desc: str, points: Sequence[CurvePoint],
                x_ticks: Sequence[float], x_label: str, y_label: str,
                width: int = 640, height: int = 340, series_name: str = "Rate",
                markers: Sequence[Marker] = ()) -> str:
    """A line through (x, rate) with Wilson interval whiskers; dot area grows with leads;
    dashed vertical ``markers``; a legend on top. The x axis spans the first to the last
    tick (widened to take in every marker)."""
    left, right, top, bottom = 52, 16, 36, 48
    if x_ticks and markers:
        low = min(x_ticks[0], *(m.x for m in markers))
        high = max(x_ticks[-1], *(m.x for m in markers))
        x_ticks = [low, *[t for t in x_ticks if low < t < high], high]
    plot_w, plot_h = width - left - right, height - top - bottom
    x_min, x_max = (x_ticks[0], x_ticks[-1]) if x_ticks else (0.0, 1.0)
    span = (x_max - x_min) or 1.0
    y_top = nice_max(max((p.high for p in points), default=0.0))

    def x_of(value: float) -> float:
        return left + plot_w * (value - x_min) / span

    def y_of(value: float) -> float:
        return top + plot_h * (1 - value / y_top)

    parts = [_legend([(series_name, BLUE), *((m.name, m.color) for m in markers)], left, 18),
             _y_axis(left, width - right, y_of, y_top)]
    for m in markers:
        parts.append(el("line", tip(f"{m.name}: {m.x:g}"), x1=_n(x_of(m.x)), x2=_n(x_of(m.x)),
                        y1=top, y2=_n(top + plot_h), stroke=m.color, stroke_width=2,
                        stroke_dasharray="6 4"))
    for value in x_ticks:
        parts.append(el("line", x1=_n(x_of(value)), x2=_n(x_of(value)), y1=_n(top + plot_h),
                        y2=_n(top + plot_h + 4), stroke=MUTED))
        parts.append(el("text", f"{value:g}", x=_n(x_of(value)), y=_n(top + plot_h + 16),
                        text_anchor="middle", fill=MUTED))
    parts.append(el("line", x1=left, x2=width - right, y1=_n(top + plot_h), y2=_n(top + plot_h),
                    stroke=MUTED))
    parts.append(el("text", escape(x_label), x=_n(left + plot_w / 2), y=height - 8,
                    text_anchor="middle"))
    parts.append(el("text", escape(y_label), x=12, y=_n(top + plot_h / 2), text_anchor="middle",
                    transform=f"rotate(-90 12 {_n(top + plot_h / 2)})"))
    if points:
        d = " ".join(f"{'M' if i == 0 else 'L'}{_n(x_of(p.x))},{_n(y_of(p.rate))}"
                     for i, p in enumerate(points))
        parts.append(el("path", d=d, fill="none", stroke=BLUE, stroke_width=2))
    biggest = max((p.leads for p in points), default=1) or 1
    for p in points:
        x = x_of(p.x)
        parts.append(el("line", x1=_n(x), x2=_n(x), y1=_n(y_of(p.low)), y2=_n(y_of(p.high)),
                        stroke=BLUE, stroke_opacity="0.45", stroke_width=2))
        radius = 3 + 5 * (p.leads / biggest) ** 0.5
        parts.append(el("circle", tip(p.label), cx=_n(x), cy=_n(y_of(p.rate)), r=_n(radius),
                        fill="#fff" if p.small else BLUE, stroke=BLUE if p.small else "#fff",
                        stroke_width=2 if p.small else 1))
    return _frame(chart_id, title, desc, width, height, "".join(parts))

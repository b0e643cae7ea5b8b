"""Text formatting shared by the terminal and HTML renderers (one wording, two media)."""

from __future__ import annotations

from datetime import datetime

from connector.report.stats import Comparison, Rate, Verdict

DASH = "\u2014"

VERDICT_LABEL = {
    Verdict.TOO_SMALL: "too few leads",
    Verdict.HIGHER: "higher",
    Verdict.LOWER: "lower",
    Verdict.UNCLEAR: "no clear difference",
}


def pct(value: float | None, digits: int = 1) -> str:
    return DASH if value is None else f"{value * 100:.{digits}f}%"


def rate(r: Rate) -> str:
    return pct(r.value)


def interval(r: Rate) -> str:
    """The Wilson 95% interval, e.g. ``8.1-18.7%``."""
    if r.n == 0:
        return DASH
    return f"{r.low * 100:.1f}\u2013{r.high * 100:.1f}%"


def rate_with_n(r: Rate) -> str:
    return f"{pct(r.value)} ({r.hits}/{r.n})" if r.n else DASH


def ratio(c: Comparison) -> str:
    if c.ratio is None:
        return "\u221e" if c.difference is not None and c.difference > 0 else DASH
    return f"\u00d7{c.ratio:.2f}"


def difference(c: Comparison) -> str:
    if c.difference is None:
        return DASH
    return f"{c.difference * 100:+.1f} pts"


def verdict(c: Comparison) -> str:
    return VERDICT_LABEL[c.verdict]


def hours(value: float | None, unit: bool = True) -> str:
    if value is None:
        return DASH
    text = f"{value:.1f}" if value < 100 else f"{value:,.0f}"
    return f"{text} h" if unit else text


def money(value: float) -> str:
    return f"{value:,.0f}"


def money_short(value: float) -> str:
    """Compact amounts for narrow tables: 950, 12.5k, 14.3M."""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e4, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:,.0f}"


def score(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def threshold(value: float | None) -> str:
    return DASH if value is None else f"{value:g}"


def when(value: datetime | None) -> str:
    return DASH if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def day(value: datetime | None) -> str:
    return DASH if value is None else value.strftime("%Y-%m-%d")

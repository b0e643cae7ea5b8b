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
    Verdict.WITHHELD: "withheld (biased sample)",
}
_CURRENCY_SIGN = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3", "JPY": "\u00a5"}
VERSION_WIDTH = 12


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
    return f"{pct(r.value)} ({sample(r)})" if r.n else DASH


def sample(r: Rate) -> str:
    """What a rate stands on: ``hits/n``, or for a weighted rate ``n=... (eff. ...)``."""
    if r.effective_n is None:
        return f"{r.hits}/{r.n}"
    return f"n={r.n}, eff.{r.effective_n:,.0f}"


def difference_interval(c: Comparison) -> str:
    if c.difference_low is None or c.difference_high is None:
        return DASH
    return f"{c.difference_low * 100:+.1f}..{c.difference_high * 100:+.1f}"


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


def _with_currency(text: str, currency: str) -> str:
    sign = _CURRENCY_SIGN.get(currency.upper())
    if sign is not None:
        return f"-{sign}{text[1:]}" if text.startswith("-") else f"{sign}{text}"
    return f"{text} {currency}" if currency else text


def money(value: float, currency: str = "") -> str:
    """``$12,500`` (a known sign), ``12,500 CHF`` (another code), ``12,500`` (none)."""
    return _with_currency(f"{value:,.0f}", currency)


def money_short(value: float, currency: str = "") -> str:
    """Compact amounts for narrow tables: $950, $12.5k, $14.3M."""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e4, "k")):
        if abs(value) >= limit:
            return _with_currency(f"{value / limit:.1f}{suffix}", currency)
    return _with_currency(f"{value:,.0f}", currency)


def version(label: str) -> str:
    """A definition version short enough for a table column or a chart axis: kept whole up to
    12 characters, else its first 11 and an ellipsis (the full label is in the JSON)."""
    return label if len(label) <= VERSION_WIDTH else label[:VERSION_WIDTH - 1] + "\u2026"


def leads(value: float) -> str:
    """An estimated lead count (weighted): a whole number."""
    return f"{value:,.0f}"


def score(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def threshold(value: float | None) -> str:
    return DASH if value is None else f"{value:g}"


def when(value: datetime | None) -> str:
    return DASH if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def day(value: datetime | None) -> str:
    return DASH if value is None else value.strftime("%Y-%m-%d")

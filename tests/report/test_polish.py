"""Report polish: labels not ids, 80-column tables with whole numbers, one lift table when
conversion equals win, currency, short version labels, simulated data marked, threshold lines and
a legend on the calibration chart."""

from __future__ import annotations

import dataclasses
import io
import re

from rich.console import Console

from connector.report import CalibrationReport, build_report, render_html, render_terminal
from connector.report import format as f
from tests.report.factories import NOW, synthetic_book

LONG_VERSION = "2026.11 - first joint definition (marketing + sales)"
LONG_LABEL = "Asked for a demo in the last fourteen days through the website form"


def report(**kw: object) -> CalibrationReport:
    book = [dataclasses.replace(o, version=LONG_VERSION) if o.version == "v2" else o
            for o in synthetic_book(400)]
    book = [dataclasses.replace(o, selection_probability=0.1) if o.grade == "C" else o
            for o in book]
    options: dict[str, object] = {
        "labels": {"demo_request": LONG_LABEL, "urgency": "Urgency and timeline"},
        "currency": "USD", "current_threshold": 65.0,
        "current_boundary": "lower boundary of grade B"}
    options.update(kw)
    return build_report(book, now=NOW, **options)  # type: ignore[arg-type]


def text(r: CalibrationReport, width: int = 80) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width).print(render_terminal(r))
    return buffer.getvalue()


def test_terminal_fits_80_columns_with_whole_numbers_and_labels() -> None:
    r = report()
    out = text(r)
    assert max(len(line) for line in out.splitlines()) <= 80
    assert f.version(LONG_VERSION) == "2026.11 - f\u2026"
    assert out.count("\u2026") == 1 and "2026.11 - f\u2026" in out  # the short version label only
    words = " ".join(out.split())
    assert "2026.11 - f\u2026" in words and LONG_VERSION not in words
    tokens = iter(words.split())  # wrapped over lines, never cut: every word, in order
    assert all(any(t == word for t in tokens) for word in LONG_LABEL.split())
    assert "demo_request" not in out and "Urgency and timeline" in out
    t = r.total
    assert f.money_short(t.revenue, "USD") in out and f.money_short(t.revenue, "USD")[0] == "$"
    for g in r.by_grade:  # every grade row has its whole figures
        assert re.search(rf"\b{g.key}\s+{g.mean_score:.1f}\s+{g.handed_off}\s+{g.accepted}\s+"
                         rf"{g.rejected}\s+{g.converted}\s+{g.won}\s+{g.lost}\s+\$", out)


def test_threshold_table_in_the_terminal() -> None:
    out = text(report())
    assert "Score \u2265" in out and "Precision" in out and "Won kept" in out
    assert re.search(r"\b65\s+[\d,]+\s+[\d.]+%\s+\d+%\s+\$[\d.]+[kM]?\s+current\b", out)
    assert "Move the lower boundary of grade B from 65 to" in " ".join(out.split())


def test_one_lift_table_when_conversion_equals_win() -> None:
    book = [dataclasses.replace(o, won=o.reached_opportunity, lost=False,
                                amount_won=100.0 if o.reached_opportunity else None)
            for o in synthetic_book(200)]
    out = text(build_report(book, now=NOW))
    assert "Lift on conversion to opportunity (= won deals" in " ".join(out.split())
    assert "Lift on won deals" not in out
    assert "Lift on won deals" in text(report())


def test_simulated_data_is_marked() -> None:
    assert "SIMULATED DATA" in text(report(simulated=True))
    assert "SIMULATED DATA" not in text(report())
    html = render_html(report(simulated=True))
    assert '<p class="sim">SIMULATED DATA' in html
    assert "SIMULATED DATA" in text(build_report([], now=NOW, simulated=True))


def test_currency_codes() -> None:
    assert f.money(12500, "USD") == "$12,500" and f.money(-5, "EUR") == "-\u20ac5"
    assert f.money_short(14_300_000, "CHF") == "14.3M CHF" and f.money(3.0) == "3"


def test_calibration_chart_has_threshold_lines_and_a_legend() -> None:
    r = report()
    assert r.threshold.suggested is not None and r.threshold.suggested != 65
    html = render_html(r)
    chart = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" id="chart-calibration"'):]
    chart = chart[:chart.index("</svg>")]
    dashed = re.findall(r'<line[^>]*stroke-dasharray="6 4"', chart)
    assert len(dashed) == 2
    for name in ("Conversion (95% interval)", "Current bar 65",
                 f"Suggested {r.threshold.suggested:g}"):
        assert f">{name}</text>" in chart
    assert 'class="mark"' in html and "Won deals kept" in html
    assert LONG_LABEL in html and 'title="demo_request"' in html

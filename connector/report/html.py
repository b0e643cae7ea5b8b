"""The report as one self-contained HTML file: inline CSS and inline SVG, no script, no fonts,
no network. It reads the same printed or with JavaScript off."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from connector.report import charts
from connector.report import format as f
from connector.report.model import CalibrationReport, GroupStats, SignalStats
from connector.report.stats import Rate
from connector.report.terminal import (
    CUSTOMER_TITLE,
    SIMULATED,
    customer_caption,
    objective_text,
    same_outcome,
    table_points,
)

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1a202c;
  background: #fff; margin: 0; }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 32px 0 8px; border-bottom: 1px solid #e2e8f0; padding-bottom: 4px; }
p.scope, p.note, figcaption, caption { color: #4a5568; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; padding: 0; list-style: none; }
.cards li { border: 1px solid #e2e8f0; border-radius: 6px; padding: 6px 12px; flex: 1 1 100px; }
.cards b { display: block; font-size: 1.4rem; }
.empty { font-size: 1.2rem; padding: 24px; border: 1px dashed #a0aec0; border-radius: 6px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
figure { margin: 0; }
svg.chart { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.9rem; }
caption { text-align: left; caption-side: bottom; padding-top: 4px; font-size: 0.85rem; }
th, td { padding: 4px 8px; border-bottom: 1px solid #edf2f7; text-align: right; }
th:first-child, td:first-child, .text { text-align: left; }
thead th { border-bottom: 2px solid #cbd5e0; }
tr.total td { font-weight: 600; border-top: 2px solid #cbd5e0; }
.higher { color: #276749; font-weight: 600; } .lower { color: #9b2c2c; font-weight: 600; }
.too_small, .withheld { color: #718096; } .sim { background: #faf5ff;
  border-left: 4px solid #6b46c1; padding: 8px 12px; font-weight: 600; }
tr.mark td { font-weight: 600; background: #f7fafc; }
.warn { background: #fffaf0; border-left: 4px solid #c05621;
  padding: 8px 12px; }
td small { color: #4a5568; white-space: nowrap; }
dl.defs dt { font-weight: 600; } dl.defs dd { margin: 0 0 8px 0; color: #4a5568; }
"""


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "",
           total: Sequence[str] | None = None, text_columns: int = 1) -> str:
    """Cells are already-escaped HTML; the first ``text_columns`` are left-aligned text."""

    def cells(row: Sequence[str], tag: str = "td") -> str:
        return "".join(
            f'<{tag} class="text">{c}</{tag}>' if i < text_columns else f"<{tag}>{c}</{tag}>"
            for i, c in enumerate(row))

    head = cells([escape(h) for h in headers], "th").replace("<th", '<th scope="col"')
    body = "".join(f"<tr>{cells(row)}</tr>" for row in rows)
    if total is not None:
        body += f'<tr class="total">{cells(total)}</tr>'
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_GROUP_HEADERS = ("Mean score", "Handed off", "Accepted", "Rejected", "Converted", "Won", "Lost",
                  "Revenue", "Conversion", "Win rate", "SLA median", "SLA p90")


def _group_row(g: GroupStats, currency: str = "", short: bool = False) -> list[str]:
    key = escape(f.version(g.key)) if short else escape(g.key)
    if short and key != escape(g.key):
        key = f'<abbr title="{escape(g.key, quote=True)}">{key}</abbr>'
    return [key, f.score(g.mean_score), str(g.handed_off), str(g.accepted),
            str(g.rejected), str(g.converted), str(g.won), str(g.lost),
            escape(f.money(g.revenue, currency)),
            f.rate(g.conversion), f.rate(g.win), f.hours(g.sla.median_hours),
            f.hours(g.sla.p90_hours)]


def _two_lines(main: str, detail: str) -> str:
    return f"{escape(main)}<br><small>{escape(detail)}</small>"


def _rate_cell(r: Rate) -> str:
    if r.n == 0:
        return escape(f.DASH)
    return _two_lines(f.rate(r), f"{f.sample(r)} \u00b7 {f.interval(r)}")


def _signal_rows(signals: Sequence[SignalStats], outcome: str,
                 dimensions: bool) -> list[list[str]]:
    rows = []
    for s in signals:
        c = s.conversion if outcome == "conversion" else s.win
        label = f'<span title="{escape(s.name, quote=True)}">{escape(s.label)}</span>'
        name = f"<strong>{label}</strong>" if dimensions else label
        rows.append([name, "(dimension)" if dimensions else escape(s.dimension),
                     _two_lines(str(s.fired), f"{f.rate(s.fire_rate)} of {s.population}"),
                     _rate_cell(c.fired), _rate_cell(c.not_fired), escape(f.ratio(c)),
                     _two_lines(f.difference(c), f.difference_interval(c)),
                     f'<span class="{c.verdict.value}">{escape(f.verdict(c))}</span>'])
    return rows


def _signals(report: CalibrationReport, outcome: str, title: str,
             customers: bool = False) -> str:
    headers = ("Signal", "Dimension", "Fired", "Rate when fired", "Rate when not",
               "Lift (ratio)", "Difference", "Verdict")
    over = ("weighted by 1/p over all gate-passing leads (n sampled, eff. = effective sample)"
            if report.explored else "over handed-off leads, with hits/leads")
    caption = (f"Rates {over} and the Wilson 95% interval; the difference with its Newcombe "
               f"95% interval. 'too few leads' when either side has fewer than "
               f"{report.min_sample} leads; 'higher'/'lower' when the two intervals do not "
               f"overlap.")
    if customers:
        caption = customer_caption(report)
    rows = (_signal_rows(report.customer_dimensions if customers else report.dimensions,
                         outcome, dimensions=True)
            + _signal_rows(report.customer_criteria if customers else report.criteria,
                           outcome, dimensions=False))
    return f"<h3>{escape(title)}</h3>" + _table(headers, rows, caption, text_columns=2)


def _threshold(report: CalibrationReport) -> str:
    th = report.threshold
    scope = ("Explored leads stand for the leads the rule held back, so the table reaches below "
             "the current bar." if report.explored else
             "Outcomes only exist for leads that were handed off, so lowering the bar below the "
             "lowest handed-off score cannot be judged from them.")
    objective = f"{objective_text(report)} {scope}"
    out = f"<p><strong>{escape(th.note)}</strong></p><p class=\"note\">{escape(objective)}</p>"
    if th.points:
        rows = []
        marks = []
        for mark, p in table_points(report):
            marks.append(mark)
            rows.append([f.threshold(p.threshold), escape(f.leads(p.leads)),
                         f.pct(p.won_per_lead), f.pct(p.won_share, 0),
                         escape(f.money(p.revenue, report.currency)), escape(mark)])
        table = _table(("Score \u2265", "Leads", "Precision", "Won deals kept", "Revenue", ""),
                       rows, "Precision: won deals per lead handed off.", text_columns=0)
        head, body = table.split("<tbody>", 1)
        pieces = body.split("<tr>")
        out += head + "<tbody>" + pieces[0] + "".join(
            ('<tr class="mark">' if marks[i] else "<tr>") + piece
            for i, piece in enumerate(pieces[1:]))
    return out


def _figure(svg: str) -> str:
    return f"<figure>{svg}</figure>"


def _body(report: CalibrationReport) -> str:
    t = report.total
    cards = [("Handed off", str(t.handed_off)), ("Explored", str(report.explored)),
             ("Accepted", f.rate(t.acceptance)),
             ("Converted", f.rate(t.conversion)), ("Won", f.rate(t.win)),
             ("Revenue", f.money(t.revenue, report.currency)),
             ("SLA median", f.hours(t.sla.median_hours)),
             ("Awaiting sales", str(t.pending))]
    parts = ['<ul class="cards">' + "".join(f"<li>{escape(k)}<b>{escape(v)}</b></li>"
                                             for k, v in cards) + "</ul>"]
    parts += [f'<p class="warn">{escape(w)}</p>' for w in report.grade_order_warnings]
    parts.append('<h2>Funnel and grades</h2><div class="grid">'
                 + _figure(charts.funnel(report)) + _figure(charts.rates_by_grade(report))
                 + "</div>")
    parts.append("<h3>Outcomes by grade (ordered by mean score)</h3>" + _table(
        ("Grade", *_GROUP_HEADERS), [_group_row(g, report.currency) for g in report.by_grade],
        "SLA: hours to first sales touch, nearest-rank percentiles over touched leads.",
        total=_group_row(t, report.currency)))
    parts.append("<h3>Outcomes by definition version</h3>" + _table(
        ("Version", *_GROUP_HEADERS),
        [_group_row(g, report.currency, short=True) for g in report.by_version]))
    curve_table = _table(("Score", "Leads", "Conversion", "95% interval", "Win rate"), [
        [f"{b.low:g}\u2013{b.high:g}", str(b.leads), f.rate(b.conversion),
         escape(f.interval(b.conversion)), f.rate(b.win)] for b in report.curve])
    parts.append('<h2>Calibration: does the score predict conversion?</h2><div class="grid">'
                 + _figure(charts.calibration(report)) + f"<div>{curve_table}</div></div>")
    parts.append("<h2>Rejections</h2>")
    if report.rejection_reasons:
        grades = report.by_grade
        rows = [[escape(reason)] + [str(dict(g.rejected_by_reason).get(reason, 0))
                                    for g in grades] + [str(count)]
                for reason, count in report.rejection_reasons]
        parts.append('<div class="grid">' + _figure(charts.rejection_reasons(report))
                     + f'<div>{_table(("Reason", *[g.key for g in grades], "All"), rows)}</div>'
                     + "</div>")
    else:
        parts.append('<p class="note">No rejections recorded.</p>')
    parts.append("<h2>Criteria and dimensions: what predicts revenue?</h2>")
    parts += [f'<p class="warn">{escape(w)}</p>' for w in report.selection_warnings]
    if same_outcome(report):
        parts.append(_signals(report, "conversion", "Lift on conversion to opportunity (= won "
                                                    "deals: every converted lead was won)"))
    else:
        parts.append(_signals(report, "conversion", "Lift on conversion to opportunity"))
        parts.append(_signals(report, "win", "Lift on won deals"))
    if report.customer_population:
        parts.append(_signals(report, "win", CUSTOMER_TITLE, customers=True))
    parts.append("<h2>Suggested handoff threshold</h2>" + _threshold(report))
    return "".join(parts)


DEFINITIONS = (
    ("Rates", "Every rate is over handed-off leads, including those sales has not decided yet; "
              "filter with --since to read a cohort that has had time to close."),
    ("Win rate", "Won deals per handed-off lead (not per opportunity). Accepted counts converted "
                 "leads too, and converted counts won and lost opportunities."),
    ("95% interval", "Wilson score interval (z = 1.96)."),
    ("Lift", "Rate when the signal fired divided by the rate when it did not (ratio), and the "
             "difference in percentage points."),
    ("Percentiles", "Nearest rank: the p-th percentile of n sorted values is the value at rank "
                    "ceil(p/100 x n)."),
)


def render_html(report: CalibrationReport) -> str:
    """One self-contained HTML document."""
    scope = [f"Generated {f.when(report.generated_at)}",
             f"since {f.day(report.since)}" if report.since else "all time",
             f"version {report.version}" if report.version else "all definition versions"]
    if report.excluded:
        scope.append(f"{report.excluded} outcomes outside the filter left out")
    empty = f'<p class="empty">{escape(report.empty_message)}</p>'
    body = empty if report.empty else _body(report)
    if report.simulated:
        body = f'<p class="sim">{escape(SIMULATED)}</p>' + body
    defs = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in DEFINITIONS)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Lead calibration report \u2014 {escape(f.day(report.generated_at))}</title>"
        f"<style>{CSS}</style></head><body><main>"
        "<h1>Lead calibration report</h1>"
        f'<p class="scope">{escape("; ".join(scope))}.</p>'
        f"{body}"
        f'<h2>Definitions</h2><dl class="defs">{defs}</dl>'
        "</main></body></html>\n"
    )

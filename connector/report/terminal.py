"""The report as rich tables, for ``connector report`` in a terminal.

Every table fits 80 columns: long labels wrap (never clipped), numbers never shrink to "...".
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from connector.report import format as f
from connector.report.model import CalibrationReport, GroupStats, SignalStats, ThresholdPoint
from connector.report.stats import Comparison, Rate, Verdict

_GROUP_CAPTION = ("Rates per handed-off lead. SLA: hours to first sales touch, nearest-rank "
                  "percentiles over touched leads.")
_VERDICT_STYLE = {Verdict.HIGHER: "green", Verdict.LOWER: "red", Verdict.UNCLEAR: "",
                  Verdict.TOO_SMALL: "dim", Verdict.WITHHELD: "dim"}
SIMULATED = ("SIMULATED DATA: these outcomes come from the sandbox's simulated sales team, "
             "not from real sales.")


def _table(title: str, caption: str = "") -> Table:
    return Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold",
                 caption=caption or None, caption_justify="left", collapse_padding=True,
                 pad_edge=False)


def _number(table: Table, name: str) -> None:
    table.add_column(name, justify="right", no_wrap=True, overflow="ignore")


def _header(report: CalibrationReport) -> Text:
    t = report.total
    scope = [f"generated {f.when(report.generated_at)}"]
    scope.append(f"since {f.day(report.since)}" if report.since else "all time")
    scope.append(f"version {report.version}" if report.version else "all versions")
    text = Text("Calibration report", style="bold")
    text.append(f"  ({', '.join(scope)})", style="dim")
    if not report.empty:
        text.append(f"\n{t.handed_off} leads handed off between {f.day(t.first_handoff_at)} "
                    f"and {f.day(t.last_handoff_at)}; {t.pending} still waiting for a sales "
                    f"decision.")
        if report.explored:
            text.append(f"\n{report.explored} of them by exploration (at random, flagged): "
                        f"lift, curve and threshold figures weight each outcome by 1/p.")
    if report.excluded:
        text.append(f"\n{report.excluded} outcomes outside the filter were left out.",
                    style="dim")
    return text


def _group_table(title: str, label: str, groups: Sequence[GroupStats],
                 total: GroupStats | None, currency: str = "", short: bool = False) -> Table:
    table = _table(title, _GROUP_CAPTION)
    if short:  # short labels (versions): never wrapped
        table.add_column(label, no_wrap=True, min_width=f.VERSION_WIDTH)
    else:
        table.add_column(label, overflow="fold", min_width=len(label), max_width=16)
    for name in ("Mean\nscore", "Leads", "Accep-\nted", "Rejec-\nted", "Conv-\nerted", "Won",
                 "Lost", "Revenue", "SLA h\np50/90"):
        _number(table, name)

    def row(g: GroupStats, style: str = "") -> None:
        table.add_row(f.version(g.key) if short else g.key, f.score(g.mean_score),
                      str(g.handed_off), f"{g.accepted}\n{f.rate(g.acceptance)}",
                      f"{g.rejected}\n{f.rate(g.rejection)}",
                      f"{g.converted}\n{f.rate(g.conversion)}", f"{g.won}\n{f.rate(g.win)}",
                      str(g.lost), f.money_short(g.revenue, currency),
                      f"{f.hours(g.sla.median_hours, unit=False)}\n"
                      f"{f.hours(g.sla.p90_hours, unit=False)}", style=style)

    for g in groups:
        row(g)
    if total is not None:
        table.add_section()
        row(total, style="bold")
    return table


def _reasons_table(report: CalibrationReport) -> Table:
    table = Table(title="Rejections by reason", box=box.SIMPLE_HEAD, title_justify="left",
                  title_style="bold")
    table.add_column("Reason")
    for g in report.by_grade:
        table.add_column(g.key, justify="right")
    table.add_column("All", justify="right", style="bold")
    for reason, count in report.rejection_reasons:
        cells = [str(dict(g.rejected_by_reason).get(reason, 0)) for g in report.by_grade]
        table.add_row(reason, *cells, str(count))
    return table


def _comparison_cells(c: Comparison) -> list[Text | str]:
    note = Text(f.verdict(c), style=_VERDICT_STYLE[c.verdict])
    return [_rate_cell(c.fired), _rate_cell(c.not_fired), f.ratio(c),
            f"{f.difference(c)}\n{f.difference_interval(c)}", note]


def _rate_cell(r: Rate) -> str:
    if not r.n:
        return f.DASH
    return f"{f.rate(r)}\n{r.hits}/{r.n}" if r.effective_n is None else \
        f"{f.rate(r)}\n~{r.effective_n:,.0f}"


def _signal_caption(report: CalibrationReport) -> str:
    over = ("weighted by 1/p over all gate-passing leads (~n: effective sample)"
            if report.explored else "over handed-off leads")
    return (f"Rates {over}; difference with its Newcombe 95% interval; 'too few leads' when a "
            f"side has fewer than {report.min_sample}; higher/lower when the Wilson 95% "
            f"intervals do not overlap.")


CUSTOMER_TITLE = "Lift on becoming a customer (every decided lead, handed off or not)"


def customer_caption(report: CalibrationReport) -> str:
    return (f"{report.customers} of {report.customer_population} decided leads that passed the "
            f"gates became customers in HubSpot (lifecycle stage), judged on the decision taken "
            f"before; no selection by the handoff rule, so verdicts are read as is.")


def _signal_table(title: str, report: CalibrationReport, outcome: str,
                  customers: bool = False) -> Table:
    table = _table(title, customer_caption(report) if customers else _signal_caption(report))
    table.add_column("Signal\n(dimension)", overflow="fold", ratio=1, min_width=14)
    _number(table, "Fired")
    for name in ("When\nfired", "When\nnot", "Lift", "Difference\n(95% CI)"):
        _number(table, name)
    table.add_column("Verdict", overflow="fold", max_width=12)

    def rows(signals: Sequence[SignalStats], dimensions: bool) -> None:
        for s in signals:
            comparison = s.conversion if outcome == "conversion" else s.win
            name = Text(s.label, style="bold" if dimensions else "")
            name.append("\n(all)" if dimensions else f"\n({s.dimension})", style="dim")
            table.add_row(name, f"{s.fired}\n{f.pct(s.fire_rate.value, 0)}",
                          *_comparison_cells(comparison))

    rows(report.customer_dimensions if customers else report.dimensions, True)
    table.add_section()
    rows(report.customer_criteria if customers else report.criteria, False)
    return table


def same_outcome(report: CalibrationReport) -> bool:
    """Every converted lead was won (and won implies converted): one lift table says it all."""
    return report.total.converted == report.total.won


def _curve_table(report: CalibrationReport) -> Table:
    table = _table("Calibration curve: score vs outcome")
    table.add_column("Score", no_wrap=True)
    for name in ("Leads", "Conversion", "95% interval", "Win rate"):
        _number(table, name)
    for b in report.curve:
        table.add_row(f"{b.low:g}\u2013{b.high:g}", str(b.leads), f.rate(b.conversion),
                      f.interval(b.conversion), f.rate(b.win))
    return table


def objective_text(report: CalibrationReport) -> str:
    o = report.threshold.objective
    goal = (f"the lead volume closest to {o.target_leads:,}" if o.target_leads is not None
            else "the highest precision (won deals per lead)")
    return (f"Objective: {goal}, keeping at least {o.min_won_share:.0%} of won deals and "
            f"{o.min_leads} leads; ties go to the lower threshold.")


TABLE_ROWS = 12


def table_points(report: CalibrationReport) -> list[tuple[str, ThresholdPoint]]:
    """The threshold table's rows: at most about ``TABLE_ROWS`` evenly spread candidates, plus
    the current and suggested thresholds (marked), lowest threshold first."""
    th = report.threshold
    points = list(th.points)
    step = max(1, -(-len(points) // TABLE_ROWS))
    chosen: dict[float, tuple[str, ThresholdPoint]] = {
        p.threshold: ("", p) for i, p in enumerate(points) if i % step == 0}
    if th.shadow is not None:
        chosen[th.shadow.current.threshold] = ("current", th.shadow.current)
        suggested = th.shadow.suggested
        mark = "current, suggested" if suggested.threshold == th.shadow.current.threshold \
            else "suggested"
        chosen[suggested.threshold] = (mark, suggested)
    return [chosen[k] for k in sorted(chosen)]


def _threshold(report: CalibrationReport) -> RenderableType:
    th = report.threshold
    parts: list[RenderableType] = [Text(th.note, style="bold"),
                                   Text(objective_text(report), style="dim")]
    if th.points:
        table = Table(box=box.SIMPLE_HEAD, collapse_padding=True, pad_edge=False)
        table.add_column("Score \u2265", justify="right", no_wrap=True)
        for name in ("Leads", "Precision", "Won kept", "Revenue"):
            _number(table, name)
        table.add_column("", style="bold", no_wrap=True)
        for mark, p in table_points(report):
            table.add_row(f.threshold(p.threshold), f.leads(p.leads), f.pct(p.won_per_lead),
                          f.pct(p.won_share, 0), f.money_short(p.revenue, report.currency),
                          mark, style="bold" if mark else "")
        parts.append(table)
    return Panel(Group(*parts), title="Suggested threshold", title_align="left")


def _banner(text: str, style: str = "yellow") -> Panel:
    return Panel(Text(text, style=style), border_style=style)


def render_terminal(report: CalibrationReport) -> RenderableType:
    """A rich renderable: print it with ``rich.console.Console().print(...)``."""
    head: list[RenderableType] = [_header(report)]
    if report.simulated:
        head.append(_banner(SIMULATED, "magenta"))
    if report.empty:
        return Group(*head, Panel(report.empty_message))
    parts: list[RenderableType] = [
        *head,
        _group_table("Outcomes by grade (ordered by mean score)", "Grade", report.by_grade,
                     report.total, report.currency),
        _group_table("Outcomes by definition version", "Version", report.by_version, None,
                     report.currency, short=True),
    ]
    if report.rejection_reasons:
        parts.append(_reasons_table(report))
    for warning in report.selection_warnings:
        parts.append(_banner(warning))
    if same_outcome(report):
        parts.append(_signal_table("Lift on conversion to opportunity (= won deals: every "
                                   "converted lead was won)", report, "conversion"))
    else:
        parts.append(_signal_table("Lift on conversion to opportunity", report, "conversion"))
        parts.append(_signal_table("Lift on won deals", report, "win"))
    if report.customer_population:
        parts.append(_signal_table(CUSTOMER_TITLE, report, "win", customers=True))
    parts.append(_curve_table(report))
    parts.append(_threshold(report))
    for warning in report.grade_order_warnings:
        parts.append(Text(f"Warning: {warning}", style="yellow"))
    return Group(*parts)

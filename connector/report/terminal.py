"""The report as rich tables, for ``connector report`` in a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from connector.report import format as f
from connector.report.model import CalibrationReport, GroupStats, SignalStats
from connector.report.stats import Comparison, Rate, Verdict

_GROUP_CAPTION = ("Rates per handed-off lead. SLA: hours to first sales touch, nearest-rank "
                  "percentiles over touched leads.")
_VERDICT_STYLE = {Verdict.HIGHER: "green", Verdict.LOWER: "red", Verdict.UNCLEAR: "",
                  Verdict.TOO_SMALL: "dim"}


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
    if report.excluded:
        text.append(f"\n{report.excluded} outcomes outside the filter were left out.",
                    style="dim")
    return text


def _group_table(title: str, label: str, groups: Sequence[GroupStats],
                 total: GroupStats | None) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold",
                  caption=_GROUP_CAPTION, caption_justify="left", collapse_padding=True,
                  pad_edge=False)
    table.add_column(label, no_wrap=True)
    for name in ("Mean\nscore", "Handed\noff", "Accep-\nted", "Rejec-\nted", "Conver-\nted",
                 "Won", "Lost", "Revenue", "Conv.\nrate", "Win\nrate", "SLA\np50", "SLA\np90"):
        table.add_column(name, justify="right", no_wrap=True)

    def row(g: GroupStats, style: str = "") -> None:
        table.add_row(g.key, f.score(g.mean_score), str(g.handed_off), str(g.accepted),
                      str(g.rejected), str(g.converted), str(g.won), str(g.lost),
                      f.money_short(g.revenue), f.rate(g.conversion), f.rate(g.win),
                      f.hours(g.sla.median_hours, unit=False),
                      f.hours(g.sla.p90_hours, unit=False), style=style)

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
    return [_rate_cell(c.fired), _rate_cell(c.not_fired), f.ratio(c), f.difference(c), note]


def _rate_cell(r: Rate) -> str:
    return f"{f.rate(r)}\n{r.hits}/{r.n}" if r.n else f.DASH


def _signal_table(title: str, report: CalibrationReport, outcome: str) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold",
                  collapse_padding=True, pad_edge=False,
                  caption=f"Rates over handed-off leads; 'too few leads' when a side has fewer "
                          f"than {report.min_sample}; higher/lower when the Wilson 95% "
                          f"intervals do not overlap.", caption_justify="left")
    table.add_column("Signal", no_wrap=True)
    table.add_column("Dimension", style="dim", no_wrap=True)
    table.add_column("Fired", justify="right")
    for name in ("When fired", "When not", "Lift", "Difference"):
        table.add_column(name, justify="right")
    table.add_column("Verdict")

    def rows(signals: Sequence[SignalStats]) -> None:
        for s in signals:
            comparison = s.conversion if outcome == "conversion" else s.win
            is_dimension = s.dimension == s.name and signals is report.dimensions
            table.add_row(Text(s.name, style="bold" if is_dimension else ""),
                          "(all)" if is_dimension else s.dimension,
                          f"{s.fired}\n{f.pct(s.fire_rate.value, 0)}",
                          *_comparison_cells(comparison))

    rows(report.dimensions)
    table.add_section()
    rows(report.criteria)
    return table


def _curve_table(report: CalibrationReport) -> Table:
    table = Table(title="Calibration curve: score vs outcome", box=box.SIMPLE_HEAD,
                  title_justify="left", title_style="bold")
    for name, justify in (("Score", "left"), ("Leads", "right"), ("Conversion", "right"),
                          ("95% interval", "right"), ("Win rate", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for b in report.curve:
        table.add_row(f"{b.low:g}\u2013{b.high:g}", str(b.leads), f.rate(b.conversion),
                      f.interval(b.conversion), f.rate(b.win))
    return table


def _threshold(report: CalibrationReport) -> RenderableType:
    th = report.threshold
    objective = (f"Objective: most won deals per lead handed off, keeping at least "
                 f"{th.objective.min_won_share:.0%} of won deals and {th.objective.min_leads} "
                 f"leads.")
    if th.shadow is None:
        return Panel(Text(f"{th.note}\n{objective}"), title="Suggested threshold",
                     title_align="left")
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("")
    for name in ("Threshold", "Leads", "Converted", "Won", "Revenue", "Won per lead"):
        table.add_column(name, justify="right")
    for label, p in ((f"Current ({th.current_source})", th.shadow.current),
                     ("Suggested", th.shadow.suggested)):
        table.add_row(label, f.threshold(p.threshold), str(p.leads), str(p.converted),
                      str(p.won), f.money(p.revenue), f.pct(p.won_per_lead))
    return Panel(Group(Text(th.note, style="bold"), Text(objective, style="dim"), table),
                 title="Suggested threshold", title_align="left")


def render_terminal(report: CalibrationReport) -> RenderableType:
    """A rich renderable: print it with ``rich.console.Console().print(...)``."""
    if report.empty:
        return Group(_header(report), Panel(report.empty_message))
    parts: list[RenderableType] = [
        _header(report),
        _group_table("Outcomes by grade (ordered by mean score)", "Grade", report.by_grade,
                     report.total),
        _group_table("Outcomes by definition version", "Version", report.by_version, None),
    ]
    if report.rejection_reasons:
        parts.append(_reasons_table(report))
    parts.append(_signal_table("Lift on conversion to opportunity", report, "conversion"))
    parts.append(_signal_table("Lift on won deals", report, "win"))
    parts.append(_curve_table(report))
    parts.append(_threshold(report))
    for warning in report.grade_order_warnings:
        parts.append(Text(f"Warning: {warning}", style="yellow"))
    return Group(*parts)

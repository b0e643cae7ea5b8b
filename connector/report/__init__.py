"""Calibration report: outcomes of handed-off leads joined to the score snapshot taken at handoff.

Pure statistics (:func:`build_report`) and three renderers (rich, HTML with inline SVG, JSON).
The ``connector report`` command builds :class:`HandoffOutcome` values from the state store and
calls these; nothing in this package does I/O or reads the clock.
"""

from connector.report.calibration import build_report
from connector.report.html import render_html
from connector.report.jsonout import report_to_json
from connector.report.model import (
    CalibrationReport,
    GroupStats,
    ScoreBin,
    Shadow,
    SignalStats,
    Sla,
    ThresholdObjective,
    ThresholdPoint,
    ThresholdSuggestion,
)
from connector.report.outcomes import REJECTION_REASONS, HandoffOutcome
from connector.report.stats import Comparison, Rate, Verdict
from connector.report.terminal import render_terminal

__all__ = [
    "REJECTION_REASONS",
    "CalibrationReport",
    "Comparison",
    "GroupStats",
    "HandoffOutcome",
    "Rate",
    "ScoreBin",
    "Shadow",
    "SignalStats",
    "Sla",
    "ThresholdObjective",
    "ThresholdPoint",
    "ThresholdSuggestion",
    "Verdict",
    "build_report",
    "render_html",
    "render_terminal",
    "report_to_json",
]

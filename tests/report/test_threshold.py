"""The suggested threshold, its shadow, and the calibration curve bins, hand-computed."""

from __future__ import annotations

import pytest

from connector.report import (
    HandoffOutcome,
    ThresholdObjective,
    ThresholdSuggestion,
    build_report,
)
from connector.report.curve import nice_width
from tests.report.factories import NOW, outcome

# score: outcomes (W = won, L = not won)
LADDER = {10: "LLLW", 20: "LLW", 30: "WWL", 40: "WL", 50: "W"}


def ladder(amount: float = 100.0) -> list[HandoffOutcome]:
    return [outcome(score=float(score), converted=c == "W", won=c == "W",
                    amount_won=amount if c == "W" else None)
            for score, marks in LADDER.items() for c in marks]


def suggest(share: float, min_leads: int = 4, current: float | None = None,
            book: list[HandoffOutcome] | None = None) -> ThresholdSuggestion:
    report = build_report(ladder() if book is None else book, now=NOW,
                          objective=ThresholdObjective(min_won_share=share, min_leads=min_leads),
                          current_threshold=current)
    return report.threshold


def test_candidate_points_are_cumulative_from_the_top() -> None:
    points = {p.threshold: (p.leads, p.won) for p in suggest(0.75).points}
    assert points == {10: (13, 6), 20: (9, 5), 30: (6, 4), 40: (3, 2), 50: (1, 1)}


def test_suggestion_maximises_won_per_lead_under_the_won_share() -> None:
    # 6 won in all; keeping 75% needs >= 5 won: only 10 (6/13) and 20 (5/9) qualify.
    th = suggest(0.75)
    assert th.suggested == 20
    assert th.current == 10 and th.current_source == "lowest handed-off score"
    assert th.shadow is not None
    assert (th.shadow.lead_change, th.shadow.won_change) == (-4, -1)
    assert th.shadow.revenue_change == -100.0
    assert th.shadow.suggested.won_per_lead == pytest.approx(5 / 9)
    assert th.shadow.current.won_per_lead == pytest.approx(6 / 13)
    assert th.note.startswith("Raising the bar from 10 to 20 would have handed off 4 fewer leads")
    assert "lost 1 of 6 won deals" in th.note


def test_a_looser_won_share_allows_a_higher_bar() -> None:
    # keeping 60% needs >= 4 won: 30 (4/6) beats 20 (5/9) and 10; 40 and 50 have < 4 leads.
    assert suggest(0.6).suggested == 30
    # ... and with min_leads 2, 40 (2/3 won) ties 30; but it keeps only 2 won deals < 4.
    assert suggest(0.6, min_leads=2).suggested == 30
    assert suggest(0.0, min_leads=1).suggested == 50  # 1/1


def test_ties_go_to_the_lower_threshold() -> None:
    book = [outcome(score=10, won=True), outcome(score=10), outcome(score=20, won=True),
            outcome(score=20)]
    assert suggest(0.0, min_leads=1, book=book).suggested == 10  # 2/4 == 1/2


def test_a_given_current_threshold_can_show_more_leads() -> None:
    th = suggest(0.75, current=25)  # current keeps scores >= 25: 6 leads, 4 won
    assert th.current_source == "given" and th.suggested == 20
    assert th.shadow is not None
    assert (th.shadow.current.leads, th.shadow.current.won) == (6, 4)
    assert (th.shadow.lead_change, th.shadow.won_change) == (3, 1)
    assert th.note.startswith("Lowering the bar from 25 to 20 would have handed off 3 more leads")


def test_current_already_best() -> None:
    th = suggest(1.0)  # keeping every won deal: only the lowest bar qualifies
    assert th.suggested == 10 and th.shadow is not None and th.shadow.lead_change == 0
    assert th.note.startswith("The current threshold (10) is already the best")


def test_no_suggestion_without_won_deals_or_volume() -> None:
    no_wins = suggest(0.9, book=[outcome(score=s) for s in range(40)])
    assert no_wins.suggested is None and "No won deals" in no_wins.note
    few = suggest(0.9, min_leads=30)
    assert few.suggested is None and few.note.startswith("Only 13 handed-off leads")
    assert few.shadow is None


def test_fractional_scores_use_a_tenth_of_a_point_grid() -> None:
    book = [outcome(score=69.96, won=True), outcome(score=70.0, won=True), outcome(score=69.0)]
    th = suggest(1.0, min_leads=1, book=book)
    assert [p.threshold for p in th.points] == [69.0, 69.9, 70.0]
    assert th.suggested == 69.9  # keeps both won deals (69.96 >= 69.9) and drops the 69
    assert th.shadow is not None and th.shadow.current.threshold == 69.0


def test_objective_validation() -> None:
    with pytest.raises(ValueError):
        ThresholdObjective(min_won_share=1.5)
    with pytest.raises(ValueError):
        ThresholdObjective(min_leads=0)


@pytest.mark.parametrize(("span", "width"), [(90, 10), (100, 10), (101, 20), (50, 5),
                                             (24, 2.5), (3, 0.5), (0.2, 0.1), (0, 1)])
def test_nice_bin_width(span: float, width: float) -> None:
    assert nice_width(span, 10) == width


def test_calibration_curve_bins() -> None:
    book = ([outcome(score=12, converted=True), outcome(score=19)]
            + [outcome(score=25, converted=i < 1, won=i < 1) for i in range(4)]
            + [outcome(score=100, converted=True)])
    curve = build_report(book, now=NOW).curve
    # span 88 -> width 10; 100 sits on the top edge, so the top bin is 90-100 (closed)
    assert [(b.low, b.high, b.leads) for b in curve] == [(10, 20, 2), (20, 30, 4), (90, 100, 1)]
    assert curve[0].conversion.value == 0.5 and curve[0].mean_score == 15.5
    assert curve[1].win.value == 0.25


def test_calibration_curve_single_score() -> None:
    (only,) = build_report([outcome(score=42.0)], now=NOW).curve
    assert (only.low, only.high, only.leads) == (42.0, 43.0, 1)

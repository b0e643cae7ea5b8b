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
    assert th.note == ("Move the handoff threshold from 10 to 20: it would have handed off 4 "
                       "fewer leads (13 \u2192 9), precision 46.2% \u2192 55.6%, share of won "
                       "deals kept 100% \u2192 83%.")


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
    assert th.note.startswith("Move the handoff threshold from 25 to 20: it would have handed "
                              "off 3 more leads (6 \u2192 9)")


def test_current_already_best() -> None:
    th = suggest(1.0)  # keeping every won deal: only the lowest bar qualifies
    assert th.suggested == 10 and th.shadow is not None and th.shadow.lead_change == 0
    assert th.note.startswith("Keep the handoff threshold at 10: it is already the best")


def test_no_suggestion_without_won_deals_or_volume() -> None:
    no_wins = suggest(0.9, book=[outcome(score=s) for s in range(40)])
    assert no_wins.suggested is None and "No won deals" in no_wins.note
    few = suggest(0.9, min_leads=30)
    assert few.suggested is None and few.note.startswith("Only 13 leads")
    assert few.shadow is None


def test_thresholds_are_integers() -> None:
    book = [outcome(score=69.96, won=True), outcome(score=70.0, won=True), outcome(score=69.0)]
    th = suggest(1.0, min_leads=1, book=book)
    assert [p.threshold for p in th.points] == [69.0, 70.0]  # 69.96 is kept by 69, not by 70
    assert th.suggested == 69.0  # keeping both won deals needs 69
    assert th.shadow is not None and th.shadow.current.threshold == 69.0
    assert suggest(0.5, min_leads=1, book=book).suggested == 70  # 1 of 2 won: 70 keeps 1/1


def test_threshold_table_against_hand_computed_values() -> None:
    """The table of the ladder with the bar at 30 (the lower boundary of grade hot), and two
    explored leads at 10 and 20 (p = 0.5, weight 2) that stand for the leads the rule held back.

    score: leads (weight) and won
      10: 4 rule-less leads, 1 won; plus 1 explored lead (w 2), won   -> 6 leads, 3 won
      20: 3 leads, 1 won;           plus 1 explored lead (w 2), lost  -> 5 leads, 1 won
      30: 3 leads, 2 won;  40: 2 leads, 1 won;  50: 1 lead, 1 won
    """
    book = ladder() + [outcome(score=10.0, won=True, converted=True, amount_won=100.0,
                               selection_probability=0.5),
                       outcome(score=20.0, selection_probability=0.5)]
    report = build_report(book, now=NOW, current_threshold=30.0,
                          current_boundary="lower boundary of grade hot",
                          objective=ThresholdObjective(min_won_share=0.75, min_leads=4))
    th = report.threshold
    table = [(p.threshold, p.leads, round(p.won_per_lead, 4), round(p.won_share, 4), p.sampled)
             for p in th.points]
    # won total 8 (6 + the explored win counted twice)
    assert table == [(10, 17, round(8 / 17, 4), 1.0, 15),
                     (20, 11, round(5 / 11, 4), round(5 / 8, 4), 10),
                     (30, 6, round(4 / 6, 4), 0.5, 6),
                     (40, 3, round(2 / 3, 4), 0.25, 3),
                     (50, 1, 1.0, 0.125, 1)]
    # keeping 75% of 8 won deals needs 6: only 10 qualifies (20 keeps 5)
    assert th.current_source == "handoff rule" and th.suggested == 10
    assert th.note == ("Move the lower boundary of grade hot from 30 to 10: it would have "
                       "handed off 11 more leads (6 \u2192 17), precision 66.7% \u2192 47.1%, "
                       "share of won deals kept 50% \u2192 100%.")
    assert th.shadow is not None and th.shadow.revenue_change == 100.0 * 3 + 100.0


def test_target_leads_picks_the_closest_volume() -> None:
    def pick(target: int) -> float | None:
        return build_report(ladder(), now=NOW, objective=ThresholdObjective(
            min_won_share=0.0, min_leads=1, target_leads=target)).threshold.suggested
    # volumes: 10 -> 13, 20 -> 9, 30 -> 6, 40 -> 3, 50 -> 1
    assert [pick(t) for t in (100, 10, 8, 5, 2, 1)] == [10, 20, 20, 30, 40, 50]
    assert pick(11) == 10  # 13 and 9 are both 2 away: the lower threshold
    with pytest.raises(ValueError):
        ThresholdObjective(target_leads=0)


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

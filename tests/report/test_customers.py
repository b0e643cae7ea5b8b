"""Outcomes without a handoff: contacts that became customers, read from stored decisions."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from rich.console import Console

from connector.report import Verdict, build_report, render_html, render_terminal
from connector.report.customers import customer_outcomes
from connector.store import DecisionSnapshot, StoredDecision
from tests.report.factories import NOW, outcome

AT = datetime(2024, 5, 1, tzinfo=UTC)
PASSED = [{"name": "consent", "passed": True, "reason": "ok"}]
FAILED = [{"name": "consent", "passed": False, "reason": "opted out"}]


def decision(cid: str, fired: tuple[str, ...], *, gates: list[dict[str, Any]] = PASSED,
             **extra: Any) -> StoredDecision:
    snapshot = DecisionSnapshot(score=40.0 + 20 * len(fired), grade="warm", version="v1",
                                definition_hash="h1", fired=fired,
                                extra={"gates": gates, **extra})
    return StoredDecision(cid, False, snapshot, AT)


def customer(cid: str, fired_before: tuple[str, ...], passed_before: bool = True
             ) -> StoredDecision:
    """A customer now (failing a not-customer gate) with its decision from before."""
    before = {"score": 60.0, "grade": "warm", "version": "v1", "definition_hash": "h1",
              "dimensions": {}, "fired": list(fired_before), "gates_passed": passed_before,
              "decided_at": AT.isoformat()}
    return decision(cid, (), gates=FAILED, customer=True, before_customer=before)


def census() -> list[StoredDecision]:
    """demo fired on 40 leads, 12 became customers; not on 60, 3 became customers. Plus a
    customer first seen as one, a gate-failing lead and a customer that failed a gate before:
    all three left out."""
    out = [customer(f"d{i}", ("demo",)) if i < 12 else decision(f"d{i}", ("demo",))
           for i in range(40)]
    out += [customer(f"n{i}", ()) if i < 3 else decision(f"n{i}", ()) for i in range(60)]
    out += [decision("first-seen-as-customer", ("demo",), gates=FAILED, customer=True),
            decision("gated", ("demo",), gates=FAILED),
            customer("gated-before", ("demo",), passed_before=False)]
    return out


def test_census_outcomes_and_their_lift() -> None:
    outcomes = list(customer_outcomes(census(), {"demo": "intent"}))
    assert len(outcomes) == 100 and sum(o.won for o in outcomes) == 15
    assert all(o.census and o.selection_probability == 1.0 for o in outcomes)
    report = build_report([outcome(grade="hot")], now=NOW, customer_outcomes=outcomes,
                          labels={"demo": "Asked for a demo"})
    assert (report.customer_population, report.customers) == (100, 15)
    (demo,) = report.customer_criteria
    w = demo.win
    assert (w.fired.hits, w.fired.n, w.not_fired.hits, w.not_fired.n) == (12, 40, 3, 60)
    assert w.ratio is not None and abs(w.ratio - 6.0) < 1e-9  # 30% vs 5%
    assert w.verdict is Verdict.HIGHER  # read as is: a census has no selection
    assert report.verdicts_withheld  # ... while the handed-off outcomes' verdicts are withheld
    buffer = io.StringIO()
    Console(file=buffer, width=80).print(render_terminal(report))
    text = " ".join(buffer.getvalue().split())
    assert "Lift on becoming a customer" in text
    assert "15 of 100 decided leads that passed the gates became customers" in text
    assert "Lift on becoming a customer" in render_html(report)


def test_no_census_no_table() -> None:
    report = build_report([outcome()], now=NOW)
    assert report.customer_population == 0
    buffer = io.StringIO()
    Console(file=buffer, width=80).print(render_terminal(report))
    assert "becoming a customer" not in buffer.getvalue()

"""Decision: snapshot shape and round trip, one-line summary, mapping source fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from connector.qualification import CriterionHit, Decision, GateResult
from connector.qualification.decision import fmt, iso_utc

DECIDED = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def sample(qualified: bool = True, gates_pass: bool = True) -> Decision:
    return Decision(
        contact_id="101",
        qualified=qualified,
        grade="hot",
        score=82.0,
        fit_score=30.0,
        engagement_score=52.0,
        dimensions={"fit": 10.0, "authority": 20.0, "urgency": 20.0, "pain": 12.0,
                    "engagement": 20.0},
        gates=(GateResult("business_email", gates_pass, "business email"),
               GateResult("in_territory", True, "country in sales territory")),
        fired=(
            CriterionHit("executive", "authority", 20.0, 20.0, 1.0, "VP title"),
            CriterionHit("demo_request", "pain", 12.0, 15.0, 0.8, "demo request 7d ago"),
            CriterionHit("timeline", "urgency", 20.0, 20.0, 1.0, "timeline this quarter"),
            CriterionHit("size", "fit", 10.0, 10.0, 1.0, "100+ employees"),
            CriterionHit("visits", "engagement", 2.5, 5.0, 0.5, "5+ visits 30d ago"),
        ),
        version="2026.11",
        definition_hash="abc123",
        decided_at=DECIDED,
    )


def test_snapshot_has_exactly_the_agreed_keys_and_is_json() -> None:
    snap = sample().to_snapshot()
    assert list(snap) == ["qualified", "grade", "score", "fit_score", "engagement_score",
                          "dimensions", "gates", "fired", "version", "definition_hash",
                          "decided_at"]
    assert set(snap["gates"][0]) == {"name", "passed", "reason"}
    assert set(snap["fired"][0]) == {"criterion", "dimension", "points", "base_points",
                                     "decay_factor", "reason"}
    assert snap["decided_at"] == "2026-11-27T09:30:00Z"
    assert json.loads(json.dumps(snap)) == snap


def test_snapshot_round_trips() -> None:
    decision = sample()
    again = Decision.from_snapshot(json.loads(json.dumps(decision.to_snapshot())), "101")
    assert again == decision
    assert again.summary() == decision.summary()
    with_id = {**decision.to_snapshot(), "contact_id": "101"}
    assert Decision.from_snapshot(with_id).contact_id == "101"


def test_summary_is_one_line_with_the_strongest_reasons() -> None:
    assert sample().summary() == ("hot 82 (fit 30, engagement 52): VP title; timeline this "
                                  "quarter; demo request 7d ago; 100+ employees")
    held = sample(qualified=False, gates_pass=False).summary()
    assert held.endswith("[not handed off: failed business_email]")
    assert "\n" not in held


def test_source_fields_are_strings_for_the_receipt() -> None:
    fields = sample().as_source_fields()
    assert fields == {
        "decision.qualified": "true",
        "decision.grade": "hot",
        "decision.score": "82",
        "decision.fit_score": "30",
        "decision.engagement_score": "52",
        "decision.version": "2026.11",
        "decision.hash": "abc123",
        "decision.summary": sample().summary(),
        "decision.decided_at": "2026-11-27T09:30:00Z",
    }


def test_number_and_time_formatting() -> None:
    assert [fmt(x) for x in (82.0, 12.5, 3.333, -0.001, -4.0, 0.0)] == [
        "82", "12.5", "3.33", "0", "-4", "0"]
    paris = DECIDED.astimezone(timezone(timedelta(hours=1)))
    assert iso_utc(paris) == "2026-11-27T09:30:00Z"
    assert iso_utc(DECIDED.replace(tzinfo=None)) == "2026-11-27T09:30:00Z"

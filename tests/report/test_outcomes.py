"""HandoffOutcome: validation, normalisation, and building from a decision snapshot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from connector.report import HandoffOutcome
from tests.report.factories import T0, outcome


def snapshot(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "qualified": True, "grade": "A", "score": 82.5, "fit_score": 30.0,
        "engagement_score": 52.5, "dimensions": {"behaviour": 40, "authority": 20, "budget": 0},
        "gates": [{"name": "not_competitor", "passed": True, "reason": "ok"}],
        "fired": [
            {"criterion": "demo_request", "dimension": "behaviour", "points": 30,
             "base_points": 30, "decay_factor": 1.0, "reason": "requested a demo"},
            {"criterion": "pricing_visits", "dimension": "behaviour", "points": 10,
             "base_points": 20, "decay_factor": 0.5, "reason": "2 pricing visits"},
            {"criterion": "vp_or_above", "dimension": "authority", "points": 20,
             "base_points": 20, "decay_factor": 1.0, "reason": "VP"},
        ],
        "version": "2024-05", "definition_hash": "abc123", "decided_at": "2024-05-02T10:00:00Z",
    }
    data.update(overrides)
    return data


def test_from_snapshot_reads_the_decision_and_the_disposition() -> None:
    o = HandoffOutcome.from_snapshot(
        "hs-1", T0, snapshot(), criterion_dimension={"budget_known": "budget"},
        lead_status="Closed - Converted", accepted=True, converted=True, won=True,
        amount_won=12000.0, first_touch_at=T0 + timedelta(hours=3))
    assert (o.version, o.definition_hash, o.score, o.grade) == ("2024-05", "abc123", 82.5, "A")
    assert o.fired == {"demo_request", "pricing_visits", "vp_or_above"}
    assert o.criterion_dimension["pricing_visits"] == "behaviour"
    assert o.criterion_dimension["budget_known"] == "budget"  # from the definition, not fired
    assert o.dimensions == {"behaviour": 40.0, "authority": 20.0, "budget": 0.0}
    assert o.fired_dimensions() == {"behaviour", "authority"}
    assert o.hours_to_first_touch == 3.0
    assert o.reached_accepted and o.reached_opportunity and not o.pending


def test_from_snapshot_names_missing_keys() -> None:
    data = snapshot()
    del data["score"], data["definition_hash"]
    with pytest.raises(ValueError, match="snapshot lacks score, definition_hash"):
        HandoffOutcome.from_snapshot("hs-1", T0, data)


def test_contradictions_and_non_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match="both won and lost"):
        outcome(won=True, lost=True)
    with pytest.raises(ValueError, match="finite"):
        outcome(score=float("nan"))
    with pytest.raises(ValueError, match="empty"):
        outcome(hubspot_id="")


def test_datetimes_are_normalised_to_utc() -> None:
    paris = timezone(timedelta(hours=2))
    o = outcome(handed_off_at=datetime(2024, 3, 1, 11, 0, tzinfo=paris),
                first_touch_at=datetime(2024, 3, 1, 10, 30))  # naive: UTC
    assert o.handed_off_at == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    assert o.hours_to_first_touch == 1.5


def test_touch_before_handoff_counts_as_zero_hours() -> None:
    assert outcome(first_touch_at=T0 - timedelta(hours=1)).hours_to_first_touch == 0.0


def test_outcome_is_immutable() -> None:
    o = outcome(dimensions={"a": 1.0})
    with pytest.raises(AttributeError):
        o.score = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        o.dimensions["a"] = 2.0  # type: ignore[index]

"""Lifecycle stages only move forward, whatever the proposals and the current stage."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from connector.fieldmap import LIFECYCLE_ORDER, apply
from connector.fieldmap.lifecycle import decide, furthest, rank
from tests.fieldmap.conftest import mapping_from

stages = st.sampled_from([*LIFECYCLE_ORDER, "other", "", None])

#: no per-example deadline: the test machines are shared and loaded
relaxed = settings(deadline=None)


def test_hubspot_order() -> None:
    assert LIFECYCLE_ORDER == (
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
        "evangelist",
    )
    assert rank("other") is None and rank(None) is None and rank("Customer") == 5


def test_forward_backward_and_same() -> None:
    assert decide("customer", "opportunity").write == "customer"
    assert decide("lead", "customer").write is None
    assert "backwards" in (decide("lead", "customer").note or "")
    assert decide("customer", "customer") == decide("customer", "customer")
    assert decide("customer", "customer").write is None
    assert decide("opportunity", None).write == "opportunity"
    assert decide("opportunity", "other").write == "opportunity"
    assert decide("other", "lead").write is None


@relaxed
@given(st.sampled_from(LIFECYCLE_ORDER), stages)
def test_decide_never_moves_backwards(proposed: str, current: str | None) -> None:
    result = decide(proposed, current)
    if result.write is not None:
        assert rank(current) is None or (rank(result.write) or 0) > (rank(current) or 0)
    elif rank(current) is not None:
        assert (rank(proposed) or 0) <= (rank(current) or 0)


@relaxed
@given(st.lists(st.sampled_from([*LIFECYCLE_ORDER, "other"]), min_size=1))
def test_furthest_is_the_highest_ranked(proposals: list[str]) -> None:
    best = furthest(proposals)
    ranked = [p for p in proposals if rank(p) is not None]
    assert best == (max(ranked, key=lambda s: rank(s) or 0) if ranked else None)


RULES = """[mapping]
direction = "feedback"

[fields.accepted]
source = "Lead.Status"
target = "lifecyclestage"
forward_only = true
unmapped = "skip"
value_map = { "Working - Contacted" = "salesqualifiedlead", "Nurturing" = "lead" }

[fields.converted]
source = "Lead.IsConverted"
target = "lifecyclestage"
forward_only = true
unmapped = "skip"
value_map = { true = "opportunity" }

[fields.won]
source = "Opportunity.IsWon"
target = "lifecyclestage"
forward_only = true
unmapped = "skip"
value_map = { true = "customer" }
"""


@relaxed
@given(
    st.sampled_from(["Working - Contacted", "Nurturing", "Open - Not Contacted", None]),
    st.sampled_from([True, False, None]),
    st.sampled_from([True, False, None]),
    stages,
)
def test_apply_never_moves_the_stage_backwards(
    status: str | None, converted: bool | None, won: bool | None, current: str | None
) -> None:
    mapping = mapping_from(RULES, "feedback")
    source = {"Lead.Status": status, "Lead.IsConverted": converted, "Opportunity.IsWon": won}
    result = apply(mapping, source, {"lifecyclestage": current}, is_create=False)
    written = result.payload.get("lifecyclestage")
    if written is not None:
        assert rank(current) is None or (rank(str(written)) or 0) > (rank(current) or 0)
    proposals = [s for s, on in (("customer", won), ("opportunity", converted)) if on]
    if proposals and written is None and rank(current) is not None:
        assert (rank(proposals[0]) or 0) <= (rank(current) or 0)


def test_apply_without_current_stage_on_update_writes_nothing() -> None:
    mapping = mapping_from(RULES, "feedback")
    result = apply(mapping, {"Opportunity.IsWon": True}, None, is_create=False)
    assert "lifecyclestage" not in result.payload
    assert "needs the current value" in result.warnings[0]


def test_backwards_move_is_a_note_not_a_payload_entry() -> None:
    mapping = mapping_from(RULES, "feedback")
    result = apply(
        mapping, {"Lead.Status": "Nurturing"}, {"lifecyclestage": "customer"}, is_create=False
    )
    assert result.payload == {} and result.ok and not result.warnings
    assert result.notes == (
        "lifecyclestage: lifecycle stage stays 'customer': 'lead' would move it backwards",
    )

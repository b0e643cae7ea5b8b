"""The sales team's plans: deterministic per seed, and driven by hidden intent."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

from connector_sandbox.sales_team import plan_for, rejection_reason

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PROPS = {"email": "ann@acme.io", "numemployees": "100-500", "hs_seniority": "director"}


def fates(intent: float, n: int = 2_000, seed: int = 3) -> Counter[str]:
    return Counter(plan_for(lead_id=f"00Q{i}", hubspot_id=str(i), seed=seed, intent=intent,
                            grade="warm", properties=PROPS, arrived=T0).fate for i in range(n))


def test_same_seed_same_plan_other_seed_other_plans() -> None:
    args = dict(lead_id="00Q1", hubspot_id="42", intent=0.6, grade="hot", properties=PROPS,
                arrived=T0)
    assert plan_for(seed=1, **args) == plan_for(seed=1, **args)  # type: ignore[arg-type]
    plans = {plan_for(seed=s, **args) for s in range(20)}  # type: ignore[arg-type]
    assert len(plans) > 10


def test_steps_are_in_time_order_and_after_handoff() -> None:
    for i in range(300):
        plan = plan_for(lead_id=f"00Q{i}", hubspot_id=str(i), seed=5, intent=i / 300,
                        grade="cold", properties=PROPS, arrived=T0)
        times = [s.at for s in plan.steps]
        assert times == sorted(times)
        assert all(t > T0 for t in times)
        actions = [s.action for s in plan.steps]
        if "convert" in actions:
            assert actions[-3:][0] == "convert" and actions[-1] in ("won", "lost")
            assert all(s.amount and s.amount > 0 for s in plan.steps
                       if s.action in ("convert", "won"))


def test_intent_drives_conversion_and_wins() -> None:
    low, high = fates(0.05), fates(0.9)
    converted = ("won", "lost")
    assert sum(high[f] for f in converted) > 3 * sum(low[f] for f in converted)
    assert high["won"] / max(1, high["won"] + high["lost"]) > \
        low["won"] / max(1, low["won"] + low["lost"])
    assert low["reject"] > high["reject"]
    assert 0 < low["untouched"] < 200  # a few are never touched, whatever the intent


def test_hot_leads_are_touched_sooner() -> None:
    def median_hours(grade: str) -> float:
        hours = sorted(
            (p.steps[0].at - T0).total_seconds() / 3600
            for i in range(500)
            if (p := plan_for(lead_id=str(i), hubspot_id=str(i), seed=1, intent=0.5,
                              grade=grade, properties=PROPS, arrived=T0)).steps)
        return hours[len(hours) // 2]

    assert median_hours("hot") < median_hours("warm") < median_hours("cold")


def test_rejection_reasons_fit_the_contact() -> None:
    rng = random.Random(1)
    competitor = Counter(rejection_reason(rng, {"email": "x@pipesync.com"}) for _ in range(300))
    assert competitor.most_common(1)[0][0] == "Competitor"
    student = Counter(rejection_reason(rng, {"email": "x@uni.edu", "hs_seniority": "student",
                                             "pain_point": "x"}) for _ in range(300))
    assert student.most_common(1)[0][0] == "No Authority"

"""Builders for report tests: one outcome with sensible defaults, and a seeded synthetic book."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from connector.report import REJECTION_REASONS, HandoffOutcome

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2024, 6, 1, tzinfo=UTC)

CRITERIA = {
    "demo_request": "behaviour",
    "pricing_visits": "behaviour",
    "vp_or_above": "authority",
    "budget_known": "budget",
    "timeline_90d": "urgency",
    "big_company": "fit",
}

_counter = iter(range(1, 10**9))


def outcome(**overrides: Any) -> HandoffOutcome:
    """A handed-off lead with no disposition yet; override any field."""
    fields: dict[str, Any] = {
        "hubspot_id": f"hs-{next(_counter)}",
        "handed_off_at": T0,
        "version": "v1",
        "definition_hash": "h1",
        "score": 60.0,
        "grade": "B",
        "dimensions": {},
        "fired": frozenset(),
        "criterion_dimension": CRITERIA,
    }
    fields.update(overrides)
    return HandoffOutcome(**fields)


def synthetic_book(n: int, seed: int = 7) -> list[HandoffOutcome]:
    """A plausible book of outcomes: hidden intent drives both the score and the outcome."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        intent = rng.random()
        fired = {c for c in CRITERIA if rng.random() < 0.2 + 0.6 * intent * (c != "big_company")}
        score = float(min(100, round(40 + 12 * len(fired) + rng.gauss(0, 6))))
        grade = "A" if score >= 80 else "B" if score >= 65 else "C"
        at = T0 + timedelta(hours=rng.randrange(0, 24 * 60))
        touched = rng.random() < 0.9
        accepted = rng.random() < 0.35 + 0.6 * intent
        rejected = not accepted and touched and rng.random() < 0.8
        converted = accepted and rng.random() < 0.15 + 0.6 * intent
        won = converted and rng.random() < 0.2 + 0.6 * intent
        lost = converted and not won and rng.random() < 0.7
        out.append(HandoffOutcome(
            hubspot_id=f"syn-{i}",
            handed_off_at=at,
            version="v1" if i % 3 else "v2",
            definition_hash="h1" if i % 3 else "h2",
            score=score,
            grade=grade,
            dimensions={d: 10.0 for c, d in CRITERIA.items() if c in fired},
            fired=frozenset(fired),
            criterion_dimension=CRITERIA,
            lead_status="Working - Contacted" if accepted else None,
            accepted=accepted if touched else None,
            rejected=rejected,
            rejection_reason=rng.choice(REJECTION_REASONS) if rejected else None,
            converted=converted,
            won=won,
            lost=lost,
            amount_won=float(rng.randrange(5, 80) * 1000) if won else None,
            first_touch_at=at + timedelta(hours=rng.expovariate(1 / 20)) if touched else None,
        ))
    return out

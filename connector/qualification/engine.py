"""``qualify(contact, definition, now) -> Decision``: pure, deterministic, fast.

The definition is compiled once (``compiler.compiled``) into one generated function that does
the scoring below for this definition's rules (see ``compiler``); ``qualify`` calls it and
wraps the outcome in a ``Decision``. ``grade_of`` and ``decay_factor`` state the same rules in
plain Python, for readers and tests.

Scoring, in order:
1. every gate is evaluated (all of them, so the explanation is complete);
2. every criterion whose condition holds fires with ``points``; a criterion with ``decay`` is
   multiplied by ``0.5 ** (age / half_life_days)`` where the age, in whole days, is read from
   its ``timestamp`` property (no readable timestamp, or points that round to 0: the criterion
   does not fire). Whole days keep a score stable between runs on the same day;
3. each dimension is the sum of its fired points, capped at its ``cap``;
4. ``fit_score`` / ``engagement_score`` sum the dimensions of that kind; ``score`` is both.
   Points count to two decimals (exact integer hundredths inside, see ``compiler``);
5. the grade is the band holding the score; the handoff rule decides ``qualified``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from connector.qualification.compiler import compiled
from connector.qualification.decision import Decision, new_decision
from connector.qualification.definition import Definition
from connector.records import Contact

LN2 = math.log(2.0)


def decay_factor(age_days: float, half_life_days: float) -> float:
    """``0.5 ** (whole days of age / half-life)``, as the engine applies it."""
    return math.exp(-LN2 * int(max(0.0, age_days)) / half_life_days)


def grade_of(bands: tuple[tuple[str, float, float], ...], score: float) -> str:
    """The band holding ``score``: ``low <= score < high``, the hottest band closed above."""
    for name, low, high in bands:
        if low <= score < high:
            return name
    return bands[-1][0] if score >= bands[-1][1] else bands[0][0]


def qualify(contact: Contact, definition: Definition, now: datetime) -> Decision:
    """Apply ``definition`` to ``contact`` as of ``now`` (naive ``now`` is taken as UTC)."""
    rules = compiled(definition)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    props = contact.properties
    (passed, flags, fired, dimensions, fit, engagement, score, grade,
     qualified) = rules.evaluate(props, now.timestamp(), {})
    gates = rules.all_gates_passed
    if not passed:
        gates = tuple([gate.passed if ok else gate.failed(props)
                       for gate, ok in zip(rules.gates, flags, strict=True)])
    return new_decision(
        contact_id=contact.id,
        qualified=qualified,
        grade=grade,
        score=score,
        fit_score=fit,
        engagement_score=engagement,
        dimensions=dimensions,
        gates=gates,
        fired=tuple(fired),
        version=definition.version,
        definition_hash=definition.hash,
        decided_at=now,
    )

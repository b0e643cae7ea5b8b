"""``qualify(contact, definition, now) -> Decision``: pure, deterministic, fast.

The definition is compiled once (``Definition.compiled``, see ``compiler``); per contact the
work is the predicates and switches, the decay of the few behavioural criteria that fired, and
the sums.

Scoring, in order:
1. every gate is evaluated (all of them, so the explanation is complete);
2. every criterion whose condition holds fires with ``points``; a criterion with ``decay`` is
   multiplied by ``0.5 ** (age / half_life_days)`` where the age, in whole days, is read from
   its ``timestamp`` property (no readable timestamp, or points that round to 0: the criterion
   does not fire). Whole days keep a score stable between runs on the same day;
3. each dimension is the sum of its fired points, capped at its ``cap``;
4. ``fit_score`` / ``engagement_score`` sum the dimensions of that kind; ``score`` is both;
5. the grade is the band holding the score; the handoff rule decides ``qualified``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from connector.qualification.conditions import Facts
from connector.qualification.decision import CriterionHit, Decision, GateResult
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
    rules = definition.compiled
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    props = contact.properties
    facts = Facts(props, now.timestamp())

    gates: list[GateResult] = []
    all_passed = True
    for gate in rules.gates:
        if gate.predicate(facts):
            gates.append(gate.passed)
        else:
            all_passed = False
            gates.append(gate.failed(props))

    firing: list[int] = []
    for switch in rules.switches:
        found = switch(facts)
        if found:
            firing.extend(found)
    for i, predicate in rules.generic:
        if predicate(facts):
            firing.append(i)
    firing.sort()  # definition order, whatever the evaluation order

    sums = [0.0] * len(rules.dimension_rows)
    fired: list[CriterionHit] = []
    decayed = False
    criteria = rules.criteria
    for i in firing:
        criterion = criteria[i]
        if criterion.decay_property is None:
            fired.append(criterion.hit)
            sums[criterion.dimension_index] += criterion.points
            continue
        age = facts.age_days(criterion.decay_property)
        hit = None if age is None else criterion.decayed(int(age))
        if hit is not None:
            fired.append(hit)
            sums[criterion.dimension_index] += hit.points
            decayed = True

    dimensions: dict[str, float] = {}
    fit = engagement = 0.0
    for (name, cap, is_fit), total in zip(rules.dimension_rows, sums, strict=True):
        value = round(total, 2) if decayed else total
        if value > cap:
            value = cap
        dimensions[name] = value
        if is_fit:
            fit += value
        else:
            engagement += value
    if decayed:  # sums of 2-decimal points: round away the binary noise
        fit, engagement = round(fit, 2), round(engagement, 2)
    score = round(fit + engagement, 2) if decayed else fit + engagement
    grade = grade_of(rules.bands, score)
    return Decision(
        contact_id=contact.id,
        qualified=all_passed and rules.handoff(grade, score, dimensions),
        grade=grade,
        score=score,
        fit_score=fit,
        engagement_score=engagement,
        dimensions=dimensions,
        gates=tuple(gates),
        fired=tuple(fired),
        version=definition.version,
        definition_hash=definition.hash,
        decided_at=now,
    )

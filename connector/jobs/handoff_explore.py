"""Exploration: which leads the handoff job sends to sales, and with what probability.

The handoff rule decides who reaches sales, so the outcomes the report sees come from leads the
rule already liked: measured among them alone, a criterion that doubles conversion over all
leads can look useless or harmful (selection bias). ``[handoff] explore_share`` fixes that: a
random share of the leads that pass every gate but not the handoff rule is handed off anyway,
flagged as *exploration* (in the ledger snapshot, the Salesforce receipt and the reasons reps
read). The report weights every outcome by ``1 / probability`` (see docs/report.md).

The draw is deterministic per lead: ``sha256(seed, contact id, definition hash)`` read as a
number in [0, 1) and compared with the share, so reruns, crashes and overlapping pulls never
change who is explored; a new definition draws again. Leads that fail a gate are never explored.

A rule that hands off *every* lead passing the gates (all grades, no score bar, no required
dimension: the demo's "calibration pilot") selects nobody: its leads are recorded as ``census``
(probability 1, unbiased), and the report reads their lifts without exploration.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from connector.qualification import Decision
from connector.qualification.definition import Definition, HandoffRule

SelectionKind = Literal["rule", "exploration", "census"]
RULE: SelectionKind = "rule"
EXPLORATION: SelectionKind = "exploration"
CENSUS: SelectionKind = "census"
SNAPSHOT_KEY = "selection"
"""Key of the selection in a stored snapshot's ``extra`` (``{"kind", "probability"}``)."""


@dataclass(frozen=True)
class Selection:
    """Why a lead was handed off and the probability it had of being handed off."""

    kind: SelectionKind
    probability: float

    @property
    def explored(self) -> bool:
        return self.kind == EXPLORATION

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "probability": self.probability}


RULE_SELECTION = Selection(RULE, 1.0)
CENSUS_SELECTION = Selection(CENSUS, 1.0)


def hands_off_every_passing_lead(definition: Definition) -> bool:
    """The handoff rule hands off every lead that passes the gates (a census, not a choice)."""
    def unrestricted(rule: HandoffRule) -> bool:
        every_grade = not rule.grades or set(definition.grade_names) <= set(rule.grades)
        return every_grade and rule.min_score is None and not rule.require_any \
            and not rule.require_all and not rule.require_criteria

    rule = definition.handoff
    return any(unrestricted(clause) for clause in (rule, *rule.alternatives))


def draw(seed: str, contact_id: str, definition_hash: str) -> float:
    """A uniform number in [0, 1) fixed by its inputs (64 bits of a SHA-256)."""
    blob = "\x1f".join((seed, contact_id, definition_hash)).encode()
    return int.from_bytes(hashlib.sha256(blob).digest()[:8], "big") / 2.0**64


def select(contact_id: str, decision: Decision, *, share: float, seed: str,
           census: bool = False) -> Selection | None:
    """The lead's selection, or None when it is not handed off.

    Rule-qualified: always (probability 1; ``census`` when the rule hands off every lead that
    passes the gates). Passed every gate but not the rule: exploration with probability
    ``share``. Failed a gate: never."""
    if decision.qualified:
        return CENSUS_SELECTION if census else RULE_SELECTION
    if share <= 0.0 or decision.failed_gates:
        return None
    if draw(seed, contact_id, decision.definition_hash) < share:
        return Selection(EXPLORATION, share)
    return None


def exploration_summary(decision: Decision, selection: Selection) -> str:
    """The reasons line reps read, for an explored lead (the decision's own summary says "not
    handed off", which is true of the rule but not of the lead)."""
    head = decision.summary().split(" [not handed off", 1)[0]
    return (f"EXPLORATION: handed off at random ({selection.probability:.0%} of leads that pass "
            f"the gates but not the handoff rule), to measure the definition. {head}")

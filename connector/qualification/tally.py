"""A running summary of decisions by grade: constant memory, whatever the number of contacts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from connector.qualification.decision import Decision
from connector.qualification.definition import Definition


@dataclass
class GradeCount:
    contacts: int = 0
    handed_off: int = 0
    score_sum: float = 0.0
    fit_sum: float = 0.0
    engagement_sum: float = 0.0

    def average(self, total: float) -> float:
        return round(total / self.contacts, 2) if self.contacts else 0.0


@dataclass
class Tally:
    """Counts per grade (cold -> hot), handoffs, and how often each gate held a lead back."""

    grades: dict[str, GradeCount]
    gate_failures: Counter[str] = field(default_factory=Counter)
    held_by_rule: int = 0  # passed every gate, not handed off by the handoff rule
    bad_rows: int = 0

    @classmethod
    def for_definition(cls, definition: Definition) -> Tally:
        return cls({name: GradeCount() for name in definition.grade_names})

    @property
    def contacts(self) -> int:
        return sum(g.contacts for g in self.grades.values())

    @property
    def handed_off(self) -> int:
        return sum(g.handed_off for g in self.grades.values())

    def add(self, decision: Decision) -> None:
        count = self.grades.setdefault(decision.grade, GradeCount())
        count.contacts += 1
        count.score_sum += decision.score
        count.fit_sum += decision.fit_score
        count.engagement_sum += decision.engagement_score
        if decision.qualified:
            count.handed_off += 1
            return
        failed = [gate.name for gate in decision.gates if not gate.passed]
        self.gate_failures.update(failed)
        if not failed:
            self.held_by_rule += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "contacts": self.contacts,
            "handed_off": self.handed_off,
            "bad_rows": self.bad_rows,
            "grades": {
                name: {
                    "contacts": g.contacts,
                    "handed_off": g.handed_off,
                    "avg_score": g.average(g.score_sum),
                    "avg_fit": g.average(g.fit_sum),
                    "avg_engagement": g.average(g.engagement_sum),
                }
                for name, g in self.grades.items()
            },
            "held_back": {
                "by_gate": dict(sorted(self.gate_failures.items(), key=lambda kv: -kv[1])),
                "by_handoff_rule": self.held_by_rule,
            },
        }

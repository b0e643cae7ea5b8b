"""The outcome of qualifying one contact: a self-contained, explainable value.

A ``Decision`` carries everything needed to say why a lead was (or was not) handed off without
the contact at hand: every gate's result, every criterion that fired with its points after
decay, the per-dimension scores after caps, and the definition's version and hash. Its snapshot
is what the handoff ledger stores and what calibration joins outcomes back to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SUMMARY_REASONS = 4


@dataclass(frozen=True)
class GateResult:
    name: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class CriterionHit:
    """A criterion that fired: ``points = base_points * decay_factor`` (rounded to 2 places)."""

    criterion: str
    dimension: str
    points: float
    base_points: float
    decay_factor: float
    reason: str


@dataclass(frozen=True)
class Decision:
    contact_id: str
    qualified: bool
    grade: str
    score: float
    fit_score: float
    engagement_score: float
    dimensions: Mapping[str, float]
    gates: tuple[GateResult, ...]
    fired: tuple[CriterionHit, ...]
    version: str
    definition_hash: str
    decided_at: datetime

    @property
    def failed_gates(self) -> tuple[GateResult, ...]:
        return tuple(gate for gate in self.gates if not gate.passed)

    def summary(self) -> str:
        """One line: ``hot 82 (fit 30, engagement 52): demo request 7d ago; VP title; ...``."""
        head = (f"{self.grade} {fmt(self.score)} (fit {fmt(self.fit_score)}, "
                f"engagement {fmt(self.engagement_score)})")
        top = sorted(self.fired, key=lambda hit: -hit.points)[:SUMMARY_REASONS]
        if top:
            head += ": " + "; ".join(hit.reason for hit in top)
        if self.qualified:
            return head
        failed = self.failed_gates
        why = ("failed " + ", ".join(g.name for g in failed)) if failed else "handoff rule not met"
        return f"{head} [not handed off: {why}]"

    def to_snapshot(self) -> dict[str, Any]:
        return {
            "qualified": self.qualified,
            "grade": self.grade,
            "score": self.score,
            "fit_score": self.fit_score,
            "engagement_score": self.engagement_score,
            "dimensions": dict(self.dimensions),
            "gates": [{"name": g.name, "passed": g.passed, "reason": g.reason} for g in self.gates],
            "fired": [
                {
                    "criterion": h.criterion,
                    "dimension": h.dimension,
                    "points": h.points,
                    "base_points": h.base_points,
                    "decay_factor": h.decay_factor,
                    "reason": h.reason,
                }
                for h in self.fired
            ],
            "version": self.version,
            "definition_hash": self.definition_hash,
            "decided_at": iso_utc(self.decided_at),
        }

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any], contact_id: str | None = None) -> Decision:
        """Rebuild a decision from ``to_snapshot()`` output (``contact_id`` is not in it: pass
        it, or it is read from a ``contact_id`` key when present)."""
        return cls(
            contact_id=str(contact_id if contact_id is not None else data.get("contact_id", "")),
            qualified=bool(data["qualified"]),
            grade=str(data["grade"]),
            score=float(data["score"]),
            fit_score=float(data["fit_score"]),
            engagement_score=float(data["engagement_score"]),
            dimensions={str(k): float(v) for k, v in data["dimensions"].items()},
            gates=tuple(
                GateResult(str(g["name"]), bool(g["passed"]), str(g["reason"]))
                for g in data["gates"]
            ),
            fired=tuple(
                CriterionHit(
                    criterion=str(h["criterion"]),
                    dimension=str(h["dimension"]),
                    points=float(h["points"]),
                    base_points=float(h["base_points"]),
                    decay_factor=float(h["decay_factor"]),
                    reason=str(h["reason"]),
                )
                for h in data["fired"]
            ),
            version=str(data["version"]),
            definition_hash=str(data["definition_hash"]),
            decided_at=datetime.fromisoformat(str(data["decided_at"])),
        )

    def as_source_fields(self) -> dict[str, str]:
        """The decision as string mapping sources for the Salesforce handoff receipt."""
        return {
            "decision.qualified": "true" if self.qualified else "false",
            "decision.grade": self.grade,
            "decision.score": fmt(self.score),
            "decision.fit_score": fmt(self.fit_score),
            "decision.engagement_score": fmt(self.engagement_score),
            "decision.version": self.version,
            "decision.hash": self.definition_hash,
            "decision.summary": self.summary(),
            "decision.decided_at": iso_utc(self.decided_at),
        }


_new_object = object.__new__


def new_decision(**fields: Any) -> Decision:
    """``Decision(**fields)``, three times faster: a frozen dataclass's ``__init__`` sets each of
    its 12 fields through ``object.__setattr__``, and the engine builds one decision per contact.
    ``Decision`` has no ``__post_init__``, so filling ``__dict__`` gives the very same value."""
    decision: Decision = _new_object(Decision)
    decision.__dict__.update(fields)
    return decision


def fmt(number: float) -> str:
    """``82.0`` -> ``82``, ``12.5`` -> ``12.5``, ``3.333`` -> ``3.33``."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")

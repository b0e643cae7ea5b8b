"""Shadow comparison: what a candidate definition would change, before anything is written.

``compare`` is a pure function over any iterable of contacts (an exported file today, a HubSpot
pull tomorrow): both definitions see the same contacts at the same ``now``. Memory is bounded by
``max_affected`` (the contacts listed), not by the number of contacts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from connector.qualification.decision import fmt
from connector.qualification.definition import Definition
from connector.qualification.engine import qualify
from connector.records import Contact

Change = Literal["newly handed off", "no longer handed off", "grade moved"]


@dataclass(frozen=True)
class AffectedContact:
    contact_id: str
    change: Change
    current_grade: str
    candidate_grade: str
    current_score: float
    candidate_score: float
    candidate_summary: str

    def as_json(self) -> dict[str, Any]:
        return {
            "contact_id": self.contact_id,
            "change": self.change,
            "current": {"grade": self.current_grade, "score": self.current_score},
            "candidate": {"grade": self.candidate_grade, "score": self.candidate_score},
            "candidate_summary": self.candidate_summary,
        }


@dataclass(frozen=True)
class ShadowReport:
    current: tuple[str, str]  # (version, hash)
    candidate: tuple[str, str]
    contacts: int
    current_handed_off: int
    candidate_handed_off: int
    newly_handed_off: int
    no_longer_handed_off: int
    current_grades: tuple[str, ...]
    candidate_grades: tuple[str, ...]
    grade_moves: Mapping[tuple[str, str], int]  # (current grade, candidate grade) -> contacts
    affected_total: int
    affected: tuple[AffectedContact, ...]  # the first ``max_affected`` of them

    @property
    def unchanged(self) -> bool:
        return self.affected_total == 0

    def headline(self) -> str:
        """``the candidate would hand off 312 new leads and hold back 41 (of 10000 contacts)``."""
        moved = sum(n for (a, b), n in self.grade_moves.items() if a != b)
        return (f"the candidate would hand off {self.newly_handed_off} new "
                f"lead{'s' if self.newly_handed_off != 1 else ''} and hold back "
                f"{self.no_longer_handed_off} (of {self.contacts} contacts; "
                f"{self.current_handed_off} -> {self.candidate_handed_off} handed off, "
                f"{moved} change grade)")

    def as_json(self) -> dict[str, Any]:
        return {
            "current": {"version": self.current[0], "hash": self.current[1]},
            "candidate": {"version": self.candidate[0], "hash": self.candidate[1]},
            "contacts": self.contacts,
            "handed_off": {"current": self.current_handed_off,
                           "candidate": self.candidate_handed_off},
            "newly_handed_off": self.newly_handed_off,
            "no_longer_handed_off": self.no_longer_handed_off,
            "grade_moves": [
                {"from": a, "to": b, "contacts": n}
                for (a, b), n in sorted(self.grade_moves.items())
            ],
            "affected_total": self.affected_total,
            "affected": [a.as_json() for a in self.affected],
            "headline": self.headline(),
        }


def compare(contacts: Iterable[Contact], current: Definition, candidate: Definition,
            now: datetime, *, max_affected: int | None = 50) -> ShadowReport:
    """Qualify every contact with both definitions at ``now`` and count the differences."""
    moves: Counter[tuple[str, str]] = Counter()
    total = before_count = after_count = newly = dropped = affected_total = 0
    affected: list[AffectedContact] = []
    for contact in contacts:
        before = qualify(contact, current, now)
        after = qualify(contact, candidate, now)
        total += 1
        before_count += before.qualified
        after_count += after.qualified
        moves[(before.grade, after.grade)] += 1
        change: Change | None = None
        if after.qualified and not before.qualified:
            newly += 1
            change = "newly handed off"
        elif before.qualified and not after.qualified:
            dropped += 1
            change = "no longer handed off"
        elif before.grade != after.grade:
            change = "grade moved"
        if change is None:
            continue
        affected_total += 1
        if max_affected is None or len(affected) < max_affected:
            affected.append(AffectedContact(contact.id, change, before.grade, after.grade,
                                            before.score, after.score, after.summary()))
    return ShadowReport(
        current=(current.version, current.hash),
        candidate=(candidate.version, candidate.hash),
        contacts=total,
        current_handed_off=before_count,
        candidate_handed_off=after_count,
        newly_handed_off=newly,
        no_longer_handed_off=dropped,
        current_grades=current.grade_names,
        candidate_grades=candidate.grade_names,
        grade_moves=dict(moves),
        affected_total=affected_total,
        affected=tuple(affected),
    )


def score_delta(item: AffectedContact) -> str:
    delta = item.candidate_score - item.current_score
    return ("+" if delta > 0 else "") + fmt(delta)

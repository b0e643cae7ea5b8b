"""What the report needs from the qualification definition: the handoff bar and the labels.

The *current* threshold of the threshold table is the score at which the handoff rule starts
handing leads off: the lower boundary of the coldest handed-off grade, or ``handoff.min_score``
when that is higher. Suggestions are phrased as moving that boundary. With ``[[handoff.or]]``
alternatives the bar is the main rule's, and its name says that alternatives hand off below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from connector.qualification.definition import Definition


@dataclass(frozen=True)
class HandoffBar:
    score: float
    name: str
    """What to edit in the definition, e.g. "lower boundary of grade hot"."""


def handoff_bar(definition: Definition) -> HandoffBar | None:
    """The score where the handoff rule starts; None when the rule has no score bar (every
    grade is handed off and no ``min_score``)."""
    bar: HandoffBar | None = None
    handed = set(definition.handoff.grades)
    if handed:
        bands = [g for g in definition.grades if g.name in handed]
        if bands and all(g.min is not None for g in bands):
            coldest = min(bands, key=lambda g: g.min or 0.0)
            bar = HandoffBar(float(coldest.min or 0.0), f"lower boundary of grade {coldest.name}")
    min_score = definition.handoff.min_score
    if min_score is not None and (bar is None or min_score > bar.score):
        bar = HandoffBar(float(min_score), "handoff min_score")
    if bar is not None and definition.handoff.alternatives:
        # "hot, or warm and referred": the main rule's bar, and the report says it is not all
        bar = HandoffBar(bar.score, f"{bar.name} (the [[handoff.or]] alternatives also hand "
                                    "off leads below it)")
    return bar


def labels(definition: Definition) -> dict[str, str]:
    """Criterion and dimension id -> the label people read (only those that have one)."""
    out = {d.name: d.label for d in definition.dimensions if d.label}
    out.update({c.id: c.label for c in definition.criteria if c.label})
    return out

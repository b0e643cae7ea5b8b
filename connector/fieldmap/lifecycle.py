"""HubSpot lifecycle stages only move forward.

HubSpot's order is subscriber < lead < marketingqualifiedlead < salesqualifiedlead < opportunity
< customer < evangelist. ``other`` (and any custom stage) has no rank. A feedback rule marked
``forward_only = true`` proposes a stage; ``decide`` compares it with the contact's current stage:
a move forward is written, a move backwards (or sideways) is not, and says why in a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LIFECYCLE_ORDER: tuple[str, ...] = (
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
)
_RANK = {stage: index for index, stage in enumerate(LIFECYCLE_ORDER)}


def rank(stage: str | None) -> int | None:
    """Position in HubSpot's order, or None for blank / unranked stages (``other``)."""
    if stage is None:
        return None
    return _RANK.get(stage.strip().lower())


def furthest(stages: Iterable[str]) -> str | None:
    """The most advanced ranked stage among ``stages`` (None if none is ranked)."""
    ranked = [s for s in stages if rank(s) is not None]
    return max(ranked, key=lambda s: rank(s) or 0) if ranked else None


@dataclass(frozen=True)
class StageDecision:
    """``write`` is the stage to send, or None with a ``note`` saying why nothing is sent."""

    write: str | None
    note: str | None = None


def decide(proposed: str, current: str | None) -> StageDecision:
    """Forward-only: write ``proposed`` only if it ranks above ``current``.

    A blank current stage, or an unranked one such as ``other``, can be set to any ranked stage.
    """
    new_rank = rank(proposed)
    if new_rank is None:
        return StageDecision(None, f"{proposed!r} is not a ranked lifecycle stage: not written")
    current_rank = rank(current) if current and current.strip() else None
    if current_rank is None:
        return StageDecision(proposed)
    if new_rank > current_rank:
        return StageDecision(proposed)
    if new_rank == current_rank:
        return StageDecision(None)
    return StageDecision(
        None,
        f"lifecycle stage stays {current!r}: {proposed!r} would move it backwards",
    )

"""Small definitions and contacts written for hand-computed expectations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from connector.qualification import Definition, parse_definition
from connector.records import Contact

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

DIMENSIONS = """
[dimensions.fit]
kind = "fit"
cap = 30

[dimensions.authority]
kind = "fit"
cap = 20

[dimensions.urgency]
kind = "engagement"
cap = 20

[dimensions.engagement]
kind = "engagement"
cap = 30
"""

GRADES = """
[[grades]]
name = "cold"
max = 40

[[grades]]
name = "warm"
min = 40
max = 70

[[grades]]
name = "hot"
min = 70
"""

HANDOFF = """
[handoff]
grades = ["hot"]
"""


def definition(criteria: str, *, gates: str = "", dimensions: str = DIMENSIONS,
               grades: str = GRADES, handoff: str = HANDOFF, lists: str = "",
               version: str = "test 1") -> Definition:
    text = "\n".join([f'version = "{version}"', lists, dimensions, gates, criteria, grades,
                      handoff])
    return parse_definition(text, file="test.toml")


def criterion(cid: str, dimension: str, points: float, condition: str, *,
              decay: str = "") -> str:
    text = f'\n[criteria.{cid}]\ndimension = "{dimension}"\npoints = {points}\n'
    text += f"condition = {condition}\n"
    if decay:
        text += f"decay = {decay}\n"
    return text


def contact(cid: str = "1", **properties: str | None) -> Contact:
    return Contact(cid, dict(properties))


def days_ago(days: float, *, now: datetime = NOW) -> str:
    """An ISO timestamp as HubSpot writes it, ``days`` before ``now``."""
    moment = now - timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

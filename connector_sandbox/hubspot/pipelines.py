"""The portal's owners and its deal pipeline, as ``GET /crm/v3/owners`` and
``GET /crm/v3/pipelines/deals`` return them.

The pipeline is HubSpot's default "Sales Pipeline" with its seven default stages. Stage
``metadata`` values are strings, as in HubSpot (and as the SDK's ``dict[str, str]`` types
them): ``isClosed`` is ``"true"`` / ``"false"``, ``probability`` a decimal between ``"0.0"``
and ``"1.0"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PIPELINE_ID = "default"
PIPELINE_LABEL = "Sales Pipeline"
STAMP = "2019-08-06T02:43:14.491Z"
OWNERS_UPDATED = "2024-03-11T09:15:02.120Z"


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    probability: str
    closed: bool

    def as_dict(self, order: int) -> dict[str, Any]:
        return {"label": self.label, "displayOrder": order,
                "metadata": {"isClosed": "true" if self.closed else "false",
                             "probability": self.probability},
                "id": self.id, "createdAt": STAMP, "updatedAt": STAMP, "archived": False,
                "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT"}


STAGES = (
    Stage("appointmentscheduled", "Appointment Scheduled", "0.2", False),
    Stage("qualifiedtobuy", "Qualified To Buy", "0.4", False),
    Stage("presentationscheduled", "Presentation Scheduled", "0.6", False),
    Stage("decisionmakerboughtin", "Decision Maker Bought-In", "0.8", False),
    Stage("contractsent", "Contract Sent", "0.9", False),
    Stage("closedwon", "Closed Won", "1.0", True),
    Stage("closedlost", "Closed Lost", "0.0", True),
)
STAGE_BY_ID = {s.id: s for s in STAGES}


def pipeline() -> dict[str, Any]:
    return {"label": PIPELINE_LABEL, "displayOrder": 0, "id": PIPELINE_ID,
            "stages": [s.as_dict(n) for n, s in enumerate(STAGES)],
            "createdAt": STAMP, "updatedAt": STAMP, "archived": False}


@dataclass(frozen=True)
class Owner:
    id: str
    user_id: int
    email: str
    first_name: str
    last_name: str
    team: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "email": self.email, "type": "PERSON",
                "firstName": self.first_name, "lastName": self.last_name,
                "userId": self.user_id, "userIdIncludingInactive": self.user_id,
                "createdAt": STAMP, "updatedAt": OWNERS_UPDATED, "archived": False,
                "teams": [{"id": self.team, "name": TEAMS[self.team], "primary": True}]}


TEAMS = {"4101": "Inbound Sales", "4102": "Marketing"}
OWNERS = (
    Owner("60011201", 77001234, "morgan.reyes@sandbox.example", "Morgan", "Reyes", "4101"),
    Owner("60011202", 77001235, "priya.natarajan@sandbox.example", "Priya", "Natarajan",
          "4101"),
    Owner("60011203", 77001236, "tom.becker@sandbox.example", "Tom", "Becker", "4101"),
    Owner("60011204", 77001237, "ana.lima@sandbox.example", "Ana", "Lima", "4102"),
)

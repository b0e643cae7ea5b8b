"""The simulated sales team: it works the Leads the connector hands off, over simulated time.

    clock = SimClock(start)
    sandbox = start_sandbox(workdir, clock=clock)
    ...run the handoff...
    SalesTeam(sandbox, seed=7).work(days=42)       # six weeks, in a second or two

Every Lead carrying the external id (a handed-off lead) gets a plan the moment the team first sees
it, drawn from a generator seeded with ``(seed, HubSpot id)``: a lead's fate never depends on when
or in which order it was seen, so the team is deterministic per seed.

The plan follows the contact's hidden true intent (``HubSpotSimulator.hidden_intent``), never the
connector's score, so a definition that predicts intent shows up well calibrated and one that does
not shows up badly. The one thing reps read is the handoff grade: they call hot leads first (the
SLA differs by grade, as in real teams).

- **first touch** a few hours after handoff (a few leads are never touched):
  ``Status = Working - Contacted`` and ``First_Touch_At__c`` (when the org has the field);
- **a decision** days later (five on average, a few take weeks): convert (``convert_lead``:
  Account, Contact and an Opportunity with the expected amount), reject
  (``Closed - Not Converted`` with a ``Disqualification_Reason__c`` that fits the contact) or
  nurture (``Nurturing``; some nurtured leads come back within weeks and convert, others are
  rejected);
- **the opportunity** moves to a middle stage, then closes ``Closed Won`` (with the amount) or
  ``Closed Lost``; the win probability follows intent too.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from simple_salesforce import format_soql

from connector_sandbox.salesforce.api_errors import RecordRejected
from connector_sandbox.salesforce.sftime import format_datetime, parse_datetime
from connector_sandbox.simclock import SimClock
from connector_sandbox.synthetic import COMPETITOR_DOMAINS, FREE_MAIL_DOMAINS

if TYPE_CHECKING:
    from connector_sandbox.runner import Sandbox

FIRST_TOUCH_FIELD = "First_Touch_At__c"
NEVER_TOUCHED = 0.04
TOUCH_MEDIAN_HOURS = {"hot": 2.0, "warm": 8.0, "cold": 24.0}
DEAL_SIZE = {"1-5": 3_000, "5-25": 8_000, "25-50": 15_000, "50-100": 25_000,
             "100-500": 45_000, "500-1000": 80_000, "1000+": 140_000}
MIDDLE_STAGES = ("Needs Analysis", "Proposal/Price Quote", "Negotiation/Review")


@dataclass(frozen=True)
class Step:
    """One thing a rep does to a lead at ``at``: touch, nurture, reject, convert, progress, won,
    lost (with the reason, amount or stage it needs)."""

    at: datetime
    action: str
    reason: str | None = None
    amount: float | None = None
    stage: str | None = None


@dataclass(frozen=True)
class LeadPlan:
    lead_id: str
    hubspot_id: str
    intent: float
    steps: tuple[Step, ...]

    @property
    def fate(self) -> str:
        """The last planned action (``untouched`` if none): what the lead ends as."""
        return self.steps[-1].action if self.steps else "untouched"


def rejection_reason(rng: random.Random, props: Mapping[str, Any]) -> str:
    """A reason that fits what the contact shows (a competitor's domain, free mail, a junior
    title, no budget, no timeline...), drawn with weights so every reason stays possible."""
    email = str(props.get("email") or "").lower()
    domain = email.rpartition("@")[2]
    seniority = props.get("hs_seniority")
    weights = {
        "Competitor": 12.0 if domain in COMPETITOR_DOMAINS else 0.1,
        "Bad Data": 2.5 if (not email or domain in FREE_MAIL_DOMAINS) else 0.3,
        "No Authority": {"student": 4.0, "employee": 3.0, "manager": 1.0}.get(str(seniority),
                                                                             0.3),
        "No Budget": {"under_10k": 3.0, "unknown": 1.0}.get(str(props.get("budget_range")), 0.5),
        "Bad Timing": 2.0 if props.get("purchase_timeline") in ("no_timeline", "this_year")
        else 0.5,
        "No Need": 1.5 + (1.0 if not props.get("pain_point") else 0.0),
    }
    names = list(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def plan_for(*, lead_id: str, hubspot_id: str, seed: int, intent: float, grade: str,
             properties: Mapping[str, Any], arrived: datetime) -> LeadPlan:
    """Everything that will happen to one lead, from its hidden intent (pure, deterministic)."""
    rng = random.Random(f"{seed}:{hubspot_id}")
    if rng.random() < NEVER_TOUCHED:
        return LeadPlan(lead_id, hubspot_id, intent, ())
    median = TOUCH_MEDIAN_HOURS.get(grade.lower(), 12.0)
    at = arrived + timedelta(hours=median * math.exp(rng.gauss(0.0, 0.8)))
    steps = [Step(at, "touch")]
    at += timedelta(days=1.0 + min(30.0, rng.expovariate(1 / 4.0)))  # a long tail
    p_convert = 0.03 + 0.7 * intent
    p_reject = (1 - p_convert) * (0.3 + 0.5 * (1 - intent))
    draw = rng.random()
    if draw >= p_convert + p_reject:  # nurture; some come back within weeks
        steps.append(Step(at, "nurture"))
        at += timedelta(days=rng.uniform(7.0, 21.0))
        again = rng.random()
        if again < 0.35 * intent:
            draw = 0.0
        elif again < 0.35 * intent + 0.4:
            draw = p_convert
        else:
            return LeadPlan(lead_id, hubspot_id, intent, tuple(steps))
    if draw >= p_convert:
        steps.append(Step(at, "reject", reason=rejection_reason(rng, properties)))
        return LeadPlan(lead_id, hubspot_id, intent, tuple(steps))
    size = DEAL_SIZE.get(str(properties.get("numemployees")), 10_000)
    amount = float(round(size * math.exp(rng.gauss(0.0, 0.35)), -2))
    steps.append(Step(at, "convert", amount=amount))
    at += timedelta(days=rng.uniform(2.0, 8.0))
    steps.append(Step(at, "progress", stage=rng.choice(MIDDLE_STAGES)))
    at += timedelta(days=rng.uniform(4.0, 18.0))
    if rng.random() < 0.2 + 0.6 * intent:
        won = float(round(amount * rng.uniform(0.85, 1.1), -2))
        steps.append(Step(at, "won", amount=won))
    else:
        steps.append(Step(at, "lost"))
    return LeadPlan(lead_id, hubspot_id, intent, tuple(steps))


class SalesTeam:
    """Works every handed-off Lead of ``sandbox`` as simulated time passes (see the module)."""

    def __init__(self, sandbox: Sandbox, seed: int = 7, *, clock: SimClock | None = None) -> None:
        found = clock or sandbox.hubspot.config.clock
        if not isinstance(found, SimClock):
            raise ValueError("the sales team needs a sandbox started with clock=SimClock(...)")
        self.clock: SimClock = found
        self.sandbox = sandbox
        self.seed = seed
        self.org = sandbox.salesforce.org
        self.ext = sandbox.endpoints.sf_external_id_field
        lead = self.org.catalog.get("Lead")
        self.has_first_touch = lead is not None and any(
            f.name == FIRST_TOUCH_FIELD for f in lead.fields)
        self.plans: dict[str, LeadPlan] = {}
        self.opportunities: dict[str, str] = {}
        self.done: Counter[str] = Counter()
        self._queue: list[tuple[datetime, int, str, Step]] = []
        self._seq = 0
        self._seen_since: datetime | None = None

    def work(self, days: float, *, step_hours: float = 6.0) -> Counter[str]:
        """Let ``days`` of simulated time pass: look for new Leads every ``step_hours`` and do
        what falls due, in time order. Returns what was done in this call, by action."""
        if days < 0 or step_hours <= 0:
            raise ValueError("days must be >= 0 and step_hours > 0")
        end = self.clock.now() + timedelta(days=days)
        step = timedelta(hours=step_hours)
        before = Counter(self.done)
        while True:
            self._discover()
            horizon = min(self.clock.now() + step, end)
            self._run_until(horizon)
            self.clock.set(max(horizon, self.clock.now()))
            if self.clock.now() >= end:
                break
        self._discover()
        return self.done - before

    def _discover(self) -> None:
        """Plan the handed-off Leads not seen yet (on later looks: those changed since)."""
        fields = ", ".join(["Id", self.ext, "Handoff_Grade__c", "Handoff_At__c", "CreatedDate",
                            "IsConverted"])
        started = self.clock.now()
        if self._seen_since is None:
            soql = format_soql("SELECT {:literal} FROM Lead WHERE {:literal} != null",
                               fields, self.ext)
        else:
            soql = format_soql("SELECT {:literal} FROM Lead WHERE {:literal} != null AND "
                               "SystemModstamp >= {}", fields, self.ext,
                               self._seen_since - timedelta(seconds=1))
        for lead in self.org.query(soql):
            if lead["Id"] not in self.plans and not lead.get("IsConverted"):
                self._plan(lead)
        self._seen_since = started

    def _plan(self, lead: Mapping[str, Any]) -> None:
        hubspot_id = str(lead[self.ext])
        props = self.sandbox.hubspot.contacts.get(hubspot_id) or {}
        arrived = _moment(lead.get("Handoff_At__c")) or _moment(lead.get("CreatedDate")) \
            or self.clock.now()
        plan = plan_for(lead_id=str(lead["Id"]), hubspot_id=hubspot_id, seed=self.seed,
                        intent=self.sandbox.hubspot.hidden_intent(hubspot_id),
                        grade=str(lead.get("Handoff_Grade__c") or ""), properties=props,
                        arrived=arrived)
        self.plans[plan.lead_id] = plan
        for step in plan.steps:
            self._seq += 1
            heapq.heappush(self._queue, (step.at, self._seq, plan.lead_id, step))

    def _run_until(self, horizon: datetime) -> None:
        while self._queue and self._queue[0][0] <= horizon:
            at, _, lead_id, step = heapq.heappop(self._queue)
            self.clock.set(max(at, self.clock.now()))
            try:
                self._do(lead_id, step)
                self.done[step.action] += 1
            except (RecordRejected, KeyError):
                self.done[f"refused {step.action}"] += 1

    def _do(self, lead_id: str, step: Step) -> None:
        org = self.org
        if step.action == "touch":
            fields: dict[str, Any] = {"Status": "Working - Contacted"}
            if self.has_first_touch:
                fields[FIRST_TOUCH_FIELD] = format_datetime(self.clock.now())
            org.update("Lead", lead_id, fields)
        elif step.action == "nurture":
            org.update("Lead", lead_id, {"Status": "Nurturing"})
        elif step.action == "reject":
            org.update("Lead", lead_id, {"Status": "Closed - Not Converted",
                                         "Disqualification_Reason__c": step.reason})
        elif step.action == "convert":
            ids = org.convert_lead(lead_id, opportunity=True, amount=step.amount)
            if ids.get("opportunityId"):
                self.opportunities[lead_id] = str(ids["opportunityId"])
        else:
            stage = {"won": "Closed Won", "lost": "Closed Lost"}.get(step.action, step.stage)
            org.set_opportunity_stage(self.opportunities[lead_id], stage or MIDDLE_STAGES[0],
                                      amount=step.amount if step.action == "won" else None)


def _moment(value: Any) -> datetime | None:
    try:
        return parse_datetime(str(value)) if value else None
    except ValueError:
        return None

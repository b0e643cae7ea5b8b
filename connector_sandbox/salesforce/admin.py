"""Test control under ``/__sandbox__`` (plain JSON, no auth, never counted or faulted).

    POST   /__sandbox__/reset                    fresh org, sessions, usage, calls and faults
    GET    /__sandbox__/calls   DELETE to zero   calls by endpoint and status, daily API usage
    GET    /__sandbox__/faults  PUT to replace   fault rules ({"rules": [...]} or a list)
    GET    /__sandbox__/config  PATCH to change  daily_api_limit, session_ttl_s,
                                                 lead_email_duplicate_rule, query_page_size,
                                                 lock_failures (next N records: row lock)
    POST   /__sandbox__/expire-sessions          every issued token becomes invalid
    POST   /__sandbox__/sessions                 issue a token for the integration user
    GET    /__sandbox__/records/{sobject}        dump (``?deleted=true`` includes deleted rows)
    POST   /__sandbox__/leads/{id}/convert       {opportunity?, converted_status?, amount?}
    POST   /__sandbox__/opportunities/{id}/stage {stage, amount?}
    POST   /__sandbox__/seed                     {people: [...], leads, contacts, seed?}
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..faults import ADMIN_PREFIX, FaultRule
from .api_errors import RecordRejected
from .wire import Request, Response

if TYPE_CHECKING:
    from .simulator import SalesforceSimulator

AdminHandler = Callable[[Request, re.Match[str]], Any]


def _json(status: int, value: Any) -> Response:
    return Response(status, json.dumps(value).encode(), b"application/json")


class AdminRoutes:
    def __init__(self, sim: SalesforceSimulator) -> None:
        self.sim = sim
        table: list[tuple[str, str, AdminHandler]] = [
            ("POST", r"/reset", self.reset),
            ("GET", r"/calls", self.calls),
            ("DELETE", r"/calls", self.clear_calls),
            ("GET", r"/faults", self.faults),
            ("PUT", r"/faults", self.set_faults),
            ("GET", r"/config", self.config),
            ("PATCH", r"/config", self.patch_config),
            ("POST", r"/expire-sessions", self.expire_sessions),
            ("POST", r"/sessions", self.issue_session),
            ("GET", r"/records/(?P<sobject>\w+)", self.records),
            ("POST", r"/leads/(?P<id>\w+)/convert", self.convert),
            ("POST", r"/opportunities/(?P<id>\w+)/stage", self.stage),
            ("POST", r"/seed", self.seed),
        ]
        self.table = [(method, re.compile(ADMIN_PREFIX + pattern + "/?"), handler)
                      for method, pattern, handler in table]

    def handle(self, req: Request) -> Response:
        matched = False
        for method, pattern, handler in self.table:
            match = pattern.fullmatch(req.path)
            if match is None:
                continue
            matched = True
            if method != req.method:
                continue
            try:
                result = handler(req, match)
            except (ValueError, TypeError, KeyError) as exc:
                return _json(400, {"error": str(exc)})
            except RecordRejected as exc:
                return _json(400, {"error": str(exc),
                                   "errors": [i.as_dict() for i in exc.issues]})
            return result if isinstance(result, Response) else _json(200, result)
        return _json(405 if matched else 404, {"error": f"no admin route {req.method} {req.path}"})

    @staticmethod
    def body(req: Request) -> dict[str, Any]:
        if not req.body:
            return {}
        value = json.loads(req.body)
        if not isinstance(value, dict):
            raise ValueError("expected a JSON object")
        return value

    def reset(self, req: Request, m: re.Match[str]) -> Any:
        self.sim.reset()
        return {"ok": True}

    def calls(self, req: Request, m: re.Match[str]) -> Any:
        snapshot = self.sim.counter.snapshot()
        snapshot["api_usage"] = {"used": self.sim.usage.used(),
                                 "max": self.sim.settings.daily_api_limit}
        return snapshot

    def clear_calls(self, req: Request, m: re.Match[str]) -> Any:
        self.sim.counter.reset()
        return {"ok": True}

    def faults(self, req: Request, m: re.Match[str]) -> Any:
        return {"rules": [r.as_dict() for r in self.sim.faults.rules()]}

    def set_faults(self, req: Request, m: re.Match[str]) -> Any:
        value = json.loads(req.body or b"[]")
        rules = value.get("rules", []) if isinstance(value, dict) else value
        self.sim.faults.set_rules([FaultRule.from_dict(r) for r in rules])
        return self.faults(req, m)

    def config(self, req: Request, m: re.Match[str]) -> Any:
        return self.sim.settings.as_dict()

    def patch_config(self, req: Request, m: re.Match[str]) -> Any:
        self.sim.settings.patch(self.body(req))
        return self.sim.settings.as_dict()

    def expire_sessions(self, req: Request, m: re.Match[str]) -> Any:
        return {"expired": self.sim.expire_sessions()}

    def issue_session(self, req: Request, m: re.Match[str]) -> Any:
        return {"access_token": self.sim.issue_session(), "instance_url": req.origin}

    def records(self, req: Request, m: re.Match[str]) -> Any:
        rows = self.sim.org.dump(m["sobject"])
        if req.query.get("deleted", "").lower() != "true":
            rows = [r for r in rows if not r.get("IsDeleted")]
        return {"sobject": m["sobject"], "totalSize": len(rows), "records": rows}

    def convert(self, req: Request, m: re.Match[str]) -> Any:
        body = self.body(req)
        return self.sim.org.convert_lead(
            m["id"], opportunity=bool(body.get("opportunity", True)),
            converted_status=str(body.get("converted_status", "Closed - Converted")),
            amount=body.get("amount"))

    def stage(self, req: Request, m: re.Match[str]) -> Any:
        body = self.body(req)
        self.sim.org.set_opportunity_stage(m["id"], str(body["stage"]), body.get("amount"))
        return self.sim.org.get("Opportunity", m["id"])

    def seed(self, req: Request, m: re.Match[str]) -> Any:
        body = self.body(req)
        return self.sim.seed_org(body.get("people", []), leads=int(body.get("leads", 0)),
                                 contacts=int(body.get("contacts", 0)),
                                 seed=int(body.get("seed", 0)))

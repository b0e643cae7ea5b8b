"""The org: its store, users and write engine behind one lock, and the in-process API that tests
and the simulated sales team use (``sim.org``). REST handlers go through the same objects, so an
in-process write and an API write behave the same way (validation, timestamps, indexes)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .api_errors import RecordRejected
from .catalog import Catalog
from .config import RuntimeSettings, SalesforceSimConfig
from .dml import Operation, WriteContext, WriteEngine
from .ids import IdFactory, to18
from .sftime import format_datetime
from .soql_run import execute, prepare, render
from .store import OrgStore, Row

_REP_NAMES = (("Avery", "Brooks"), ("Jordan", "Lee"), ("Morgan", "Diaz"), ("Riley", "Chen"),
              ("Sam", "Okafor"), ("Taylor", "Novak"), ("Casey", "Ibarra"), ("Drew", "Larsen"))


class Org:
    def __init__(self, config: SalesforceSimConfig, settings: RuntimeSettings,
                 clock: Callable[[], datetime]) -> None:
        self.config = config
        self.clock = clock
        self.lock = threading.RLock()
        self.catalog = Catalog.standard(config.external_id_field, config.external_id_unique)
        self.ids = IdFactory()
        self.store = OrgStore(self.catalog)
        self.engine = WriteEngine(self.store, self.ids, settings, self.rep_ids)
        self.org_id = ""
        self.integration_user_id = ""
        self._reps: list[str] = []
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.store.clear()
            self.ids.reset()
            self.org_id = self.ids.new("Organization")
            now = self.now()
            users = [("Integration", "User", self.config.username, "integ", "Integration User")]
            for i in range(self.config.sales_reps):
                first, last = _REP_NAMES[i % len(_REP_NAMES)]
                suffix = "" if i < len(_REP_NAMES) else str(i)
                users.append((first, last + suffix,
                              f"{first.lower()}.{last.lower()}{suffix}@sandbox.example",
                              (first[0] + last)[:8].lower(), "Account Executive"))
            ids = [self.ids.new("User") for _ in users]
            for uid, (first, last, username, alias, title) in zip(ids, users, strict=True):
                self.store.put("User", {
                    "Id": uid, "Username": username, "FirstName": first, "LastName": last,
                    "Name": f"{first} {last}", "Email": username, "Alias": alias, "Title": title,
                    "IsActive": True, "CreatedDate": now, "CreatedById": ids[0],
                    "LastModifiedDate": now, "LastModifiedById": ids[0], "SystemModstamp": now,
                }, None)
            self.integration_user_id = ids[0]
            self._reps = ids[1:]

    def rep_ids(self) -> list[str]:
        return list(self._reps)

    def now(self) -> str:
        return format_datetime(self.clock())

    def context(self, **kw: Any) -> WriteContext:
        kw.setdefault("user_id", self.integration_user_id)
        kw.setdefault("version", self.config.api_version)
        return WriteContext(**kw)

    def _sobject(self, name: str) -> Any:
        sobject = self.catalog.get(name)
        if sobject is None:
            raise KeyError(f"unknown sObject type {name!r}")
        return sobject

    # -- in-process API -------------------------------------------------------------------
    def insert(self, sobject: str, fields: Mapping[str, Any], *, duplicate_rule: bool = False,
               auto_assign: bool = False) -> str:
        """Create a record with the API's validation; raises ``RecordRejected``."""
        ctx = self.context(duplicate_rule=duplicate_rule, auto_assign=auto_assign)
        return self._save(Operation("create", self._sobject(sobject), fields), ctx)

    def update(self, sobject: str, record_id: str, fields: Mapping[str, Any], *,
               duplicate_rule: bool = False) -> None:
        ctx = self.context(duplicate_rule=duplicate_rule)
        self._save(Operation("update", self._sobject(sobject), fields, record_id), ctx)

    def save_as_system(self, sobject: str, fields: Mapping[str, Any],
                       record_id: str | None = None) -> str:
        """Write read-only fields too (conversion, seeding); still type-checked."""
        kind = "create" if record_id is None else "update"
        op = Operation(kind, self._sobject(sobject), fields, record_id)
        return self._save(op, self.context(system=True, duplicate_rule=False))

    def _save(self, op: Operation, ctx: WriteContext) -> str:
        with self.lock:
            result = self.engine.save([op], ctx, self.now())[0]
        if not result.success:
            raise RecordRejected(result.errors)
        assert result.id is not None
        return result.id

    def get(self, sobject: str, record_id: str) -> dict[str, Any] | None:
        """A copy of the stored record with every field of the object (None where unset)."""
        obj = self._sobject(sobject)
        full = to18(record_id)
        with self.lock:
            row = self.store.get(obj.name, full) if full else None
        if row is None:
            return None
        return {f.name: row.get(f.name) for f in obj.fields}

    def query(self, soql: str, *, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every record of a SOQL query, rendered as the REST API renders them."""
        with self.lock:
            bound = prepare(soql, self.store, self.clock())
            rows = execute(bound, self.store, include_deleted=include_deleted)
            if bound.count_only:
                return []
            return [render(bound, r, self.config.api_version, self.store) for r in rows]

    def count(self, sobject: str) -> int:
        with self.lock:
            return self.store.count(self._sobject(sobject).name)

    def delete(self, sobject: str, record_id: str) -> None:
        obj = self._sobject(sobject)
        with self.lock:
            row = self.store.get(obj.name, to18(record_id) or "")
            if row is None or row.get("IsDeleted"):
                raise KeyError(record_id)
            now = self.now()
            new = dict(row, IsDeleted=True, SystemModstamp=now, LastModifiedDate=now)
            self.store.put(obj.name, new, row)

    def dump(self, sobject: str) -> list[Row]:
        obj = self._sobject(sobject)
        with self.lock:
            return [dict(r) for r in self.store.rows(obj.name)]

    def convert_lead(self, lead_id: str, *, opportunity: bool = True,
                     converted_status: str = "Closed - Converted",
                     amount: float | None = None) -> dict[str, str | None]:
        from .conversion import convert_lead
        with self.lock:
            return convert_lead(self, lead_id, opportunity=opportunity,
                                converted_status=converted_status, amount=amount)

    def set_opportunity_stage(self, opp_id: str, stage: str, amount: float | None = None) -> None:
        """Move an Opportunity to ``stage``; IsWon / IsClosed / Probability follow the stage."""
        fields: dict[str, Any] = {"StageName": stage}
        if amount is not None:
            fields["Amount"] = amount
        self.update("Opportunity", opp_id, fields)

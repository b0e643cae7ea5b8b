"""The simulated org as ``outcomes.apply_outcomes`` uses it, over loopback HTTPS.

Leads are found with SOQL and rejected with an sObject Collections update through the
connector's own Salesforce client (a rep's edit, as the real API takes it); conversion and
closing an Opportunity go through the simulator's admin API (``/__sandbox__/leads/{id}/convert``,
``/__sandbox__/opportunities/{id}/stage``), since Salesforce converts leads in its UI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import requests

from connector.salesforce.client import SalesforceClient
from connector_sandbox.faults import ADMIN_PREFIX
from connector_sandbox.outcomes import OrgRefused
from connector_sandbox.runner import SandboxEndpoints

REJECTED_STATUS = "Closed - Not Converted"
REASON_FIELD = "Disqualification_Reason__c"
TIMEOUT_S = 30.0


class SandboxOrg:
    def __init__(self, client: SalesforceClient, endpoints: SandboxEndpoints) -> None:
        self.client = client
        self.ext = endpoints.sf_external_id_field
        self.admin = endpoints.salesforce_url.rstrip("/") + ADMIN_PREFIX
        self.session = requests.Session()
        self.session.verify = endpoints.ca_file
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify

    def close(self) -> None:
        self.session.close()
        self.client.close()

    def handed_off_leads(self, emails: Sequence[str]) -> dict[str, dict[str, Any]]:
        wanted = {e.lower() for e in emails}
        rows = self.client.find_by_field("Lead", "Email", sorted(wanted),
                                         ["Email", "Status", "IsConverted", self.ext])
        out: dict[str, dict[str, Any]] = {}
        for row in rows:
            email = str(row.get("Email") or "").lower()
            if row.get(self.ext) and email in wanted and email not in out:
                out[email] = row
        return out

    def convert(self, lead_id: str, amount: float | None) -> str | None:
        body: dict[str, Any] = {"opportunity": True}
        if amount is not None:
            body["amount"] = amount
        result = self._admin(f"/leads/{lead_id}/convert", body)
        opportunity = result.get("opportunityId")
        return str(opportunity) if opportunity else None

    def close_opportunity(self, opportunity_id: str, won: bool, amount: float | None) -> None:
        body: dict[str, Any] = {"stage": "Closed Won" if won else "Closed Lost"}
        if won and amount is not None:
            body["amount"] = amount
        self._admin(f"/opportunities/{opportunity_id}/stage", body)

    def reject(self, rejections: Sequence[tuple[str, str | None]]) -> list[str | None]:
        records = [{"Id": lead_id, "Status": REJECTED_STATUS,
                    **({REASON_FIELD: reason} if reason else {})}
                   for lead_id, reason in rejections]
        results = self.client.update("Lead", records)
        return [None if r.success else (str(r.error) if r.error else "refused")
                for r in results]

    def _admin(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.session.post(self.admin + path, json=body, timeout=TIMEOUT_S)
        data = response.json() if response.content else {}
        if response.status_code >= 400:
            errors = data.get("errors") or []
            detail = "; ".join(f"{e.get('statusCode', '')} {e.get('message', '')}".strip()
                               for e in errors if isinstance(e, dict))
            raise OrgRefused(detail or str(data.get("error") or response.status_code))
        return data if isinstance(data, dict) else {}

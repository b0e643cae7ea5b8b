"""Lead conversion as Salesforce does it: an Account, a Contact and (optionally) an Opportunity
are created from the Lead, which becomes read-only with ``IsConverted``, ``ConvertedDate``, the
three ``Converted*Id`` fields and a converted ``Status``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api_errors import RecordIssue, RecordRejected
from .catalog import CONVERTED_LEAD_STATUSES, INDUSTRIES
from .ids import to18
from .sftime import quarter_end

if TYPE_CHECKING:
    from .org import Org


def _reject(code: str, message: str) -> RecordRejected:
    return RecordRejected([RecordIssue(code, message)])


def convert_lead(org: Org, lead_id: str, *, opportunity: bool, converted_status: str,
                 amount: float | None) -> dict[str, str | None]:
    """Convert ``lead_id``; returns the new ids. Call with ``org.lock`` held."""
    full = to18(lead_id) or ""
    lead = org.store.get("Lead", full)
    if lead is None or lead.get("IsDeleted"):
        raise _reject("INVALID_CROSS_REFERENCE_KEY", f"invalid cross reference id: {lead_id}")
    if lead.get("IsConverted"):
        raise _reject("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
    if converted_status not in CONVERTED_LEAD_STATUSES:
        raise _reject("INVALID_STATUS", f"invalid converted status: {converted_status}")
    owner = lead.get("OwnerId") or org.integration_user_id
    company = lead.get("Company") or "Unknown"
    industry = lead.get("Industry") if lead.get("Industry") in INDUSTRIES else None
    account: dict[str, Any] = {"Name": company, "OwnerId": owner,
                               "NumberOfEmployees": lead.get("NumberOfEmployees")}
    if industry:
        account["Industry"] = industry
    account_id = org.save_as_system("Account", account)
    contact_id = org.save_as_system("Contact", {
        "FirstName": lead.get("FirstName"), "LastName": lead.get("LastName"),
        "Email": lead.get("Email"), "Phone": lead.get("Phone"), "Title": lead.get("Title"),
        "AccountId": account_id, "OwnerId": owner, "LeadSource": lead.get("LeadSource")})
    opportunity_id = None
    today = org.clock().date()
    if opportunity:
        opp: dict[str, Any] = {
            "Name": f"{company}-"[:120], "StageName": "Prospecting",
            "CloseDate": quarter_end(today).isoformat(), "AccountId": account_id,
            "LeadSource": lead.get("LeadSource"), "OwnerId": owner}
        if amount is not None:
            opp["Amount"] = amount
        opportunity_id = org.save_as_system("Opportunity", opp)
    org.save_as_system("Lead", {
        "IsConverted": True, "ConvertedDate": today.isoformat(), "Status": converted_status,
        "ConvertedAccountId": account_id, "ConvertedContactId": contact_id,
        "ConvertedOpportunityId": opportunity_id}, full)
    return {"leadId": full, "accountId": account_id, "contactId": contact_id,
            "opportunityId": opportunity_id}

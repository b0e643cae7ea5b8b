"""The sandbox org's schema (see ``docs/sandbox-data-model.md``): Lead, Contact, Account,
Opportunity, Task and User, with realistic standard fields and the connector's custom fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from .ids import KEY_PREFIXES
from .schema import FieldDef, PicklistValue, SObjectDef

LEAD_STATUSES = ("Open - Not Contacted", "Working - Contacted", "Nurturing",
                 "Closed - Converted", "Closed - Not Converted")
CONVERTED_LEAD_STATUSES = frozenset({"Closed - Converted"})
# stage -> (probability, is_closed, is_won), as OpportunityStage holds them
OPPORTUNITY_STAGES: dict[str, tuple[int, bool, bool]] = {
    "Prospecting": (10, False, False),
    "Qualification": (10, False, False),
    "Needs Analysis": (20, False, False),
    "Proposal/Price Quote": (75, False, False),
    "Negotiation/Review": (90, False, False),
    "Closed Won": (100, True, True),
    "Closed Lost": (0, True, False),
}
INDUSTRIES = ("Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications",
              "Construction", "Consulting", "Education", "Electronics", "Energy", "Engineering",
              "Entertainment", "Environmental", "Finance", "Food & Beverage", "Government",
              "Healthcare", "Hospitality", "Insurance", "Machinery", "Manufacturing", "Media",
              "Not For Profit", "Recreation", "Retail", "Shipping", "Technology",
              "Telecommunications", "Transportation", "Utilities", "Other")
LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")


def _values(values: Iterable[str], default: str | None = None) -> tuple[PicklistValue, ...]:
    return tuple(PicklistValue(v, v, True, v == default) for v in values)


def text(name: str, label: str, length: int, **kw: Any) -> FieldDef:
    return FieldDef(name, label, kw.pop("type", "string"), length, **kw)


def picklist(name: str, label: str, values: Iterable[str], *, restricted: bool = False,
             default: str | None = None, **kw: Any) -> FieldDef:
    return FieldDef(name, label, "picklist", 255, restricted_picklist=restricted,
                    picklist=_values(values, default), default_value=default,
                    defaulted_on_create=default is not None, **kw)


def ref(name: str, label: str, to: tuple[str, ...], rel: str, **kw: Any) -> FieldDef:
    return FieldDef(name, label, "reference", 18, reference_to=to, relationship_name=rel, **kw)


def read_only(fdef: FieldDef) -> FieldDef:
    return replace(fdef, createable=False, updateable=False)


def number(name: str, label: str, kind: str, precision: int, scale: int, **kw: Any) -> FieldDef:
    if kind == "int":
        return FieldDef(name, label, "int", 0, digits=precision, **kw)
    return FieldDef(name, label, kind, 0, precision=precision, scale=scale, **kw)


def boolean(name: str, label: str, **kw: Any) -> FieldDef:
    kw.setdefault("default_value", False)
    return FieldDef(name, label, "boolean", 0, nillable=False, defaulted_on_create=True, **kw)


def _head(label: str) -> tuple[FieldDef, ...]:
    return (
        read_only(FieldDef("Id", f"{label} ID", "id", 18, nillable=False,
                           defaulted_on_create=True)),
        read_only(boolean("IsDeleted", "Deleted")),
    )


def _owner() -> FieldDef:
    return ref("OwnerId", "Owner ID", ("User",), "Owner", nillable=False,
               defaulted_on_create=True)


def _audit() -> tuple[FieldDef, ...]:
    dt = dict(nillable=False, defaulted_on_create=True, createable=False, updateable=False)
    by = dict(dt)
    return (
        FieldDef("CreatedDate", "Created Date", "datetime", 0, **dt),  # type: ignore[arg-type]
        ref("CreatedById", "Created By ID", ("User",), "CreatedBy", **by),
        FieldDef("LastModifiedDate", "Last Modified Date", "datetime", 0, **dt),  # type: ignore[arg-type]
        ref("LastModifiedById", "Last Modified By ID", ("User",), "LastModifiedBy", **by),
        FieldDef("SystemModstamp", "System Modstamp", "datetime", 0, **dt),  # type: ignore[arg-type]
    )


def _name(length: int = 121) -> FieldDef:
    return read_only(text("Name", "Full Name", length, name_field=True))


def lead(external_id_field: str, external_id_unique: bool) -> SObjectDef:
    fields = (
        *_head("Lead"),
        text("LastName", "Last Name", 80, nillable=False),
        text("FirstName", "First Name", 40),
        _name(),
        text("Title", "Title", 128),
        text("Company", "Company", 255, nillable=False),
        text("City", "City", 40), text("State", "State/Province", 80),
        text("Country", "Country", 80),
        text("Email", "Email", 80, type="email"),
        text("Phone", "Phone", 40, type="phone"),
        text("Website", "Website", 255, type="url"),
        text("Description", "Description", 32000, type="textarea"),
        picklist("LeadSource", "Lead Source", LEAD_SOURCES),
        picklist("Status", "Status", LEAD_STATUSES, restricted=True,
                 default="Open - Not Contacted", nillable=False),
        picklist("Industry", "Industry", INDUSTRIES),
        picklist("Rating", "Rating", ("Hot", "Warm", "Cold")),
        number("AnnualRevenue", "Annual Revenue", "currency", 18, 0),
        number("NumberOfEmployees", "Employees", "int", 8, 0),
        _owner(),
        read_only(boolean("IsConverted", "Converted")),
        read_only(FieldDef("ConvertedDate", "Converted Date", "date", 0)),
        read_only(ref("ConvertedAccountId", "Converted Account ID", ("Account",),
                      "ConvertedAccount")),
        read_only(ref("ConvertedContactId", "Converted Contact ID", ("Contact",),
                      "ConvertedContact")),
        read_only(ref("ConvertedOpportunityId", "Converted Opportunity ID", ("Opportunity",),
                      "ConvertedOpportunity")),
        *_audit(),
        text(external_id_field, "HubSpot Contact ID", 50, custom=True, external_id=True,
             unique=external_id_unique),
        number("Handoff_Score__c", "Handoff Score", "double", 18, 2, custom=True),
        picklist("Handoff_Grade__c", "Handoff Grade", ("hot", "warm", "cold"), restricted=True,
                 custom=True),
        text("Qualification_Version__c", "Qualification Version", 80, custom=True),
        text("Handoff_Reasons__c", "Handoff Reasons", 1000, type="textarea", custom=True),
        FieldDef("Handoff_At__c", "Handoff At", "datetime", 0, custom=True),
        FieldDef("First_Touch_At__c", "First Touch At", "datetime", 0, custom=True),
        picklist("Purchase_Timeline__c", "Purchase Timeline",
                 ("This Quarter", "Next Quarter", "This Year", "No Timeline"), restricted=True,
                 custom=True),
        picklist("Budget_Range__c", "Budget Range",
                 ("Under 10k", "10k-50k", "50k-100k", "Over 100k", "Unknown"), custom=True),
        picklist("Disqualification_Reason__c", "Disqualification Reason",
                 ("No Budget", "No Authority", "No Need", "Bad Timing", "Competitor", "Bad Data"),
                 restricted=True, custom=True),
    )
    return SObjectDef("Lead", "Lead", "Leads", KEY_PREFIXES["Lead"], fields,
                      child_relationships=(("Task", "WhoId", "Tasks"),))


def contact() -> SObjectDef:
    fields = (
        *_head("Contact"),
        ref("AccountId", "Account ID", ("Account",), "Account"),
        text("LastName", "Last Name", 80, nillable=False),
        text("FirstName", "First Name", 40),
        _name(),
        text("Title", "Title", 128),
        text("Email", "Email", 80, type="email"),
        text("Phone", "Business Phone", 40, type="phone"),
        picklist("LeadSource", "Lead Source", LEAD_SOURCES),
        _owner(),
        *_audit(),
    )
    return SObjectDef("Contact", "Contact", "Contacts", KEY_PREFIXES["Contact"], fields,
                      child_relationships=(("Task", "WhoId", "Tasks"),))


def account() -> SObjectDef:
    fields = (
        *_head("Account"),
        text("Name", "Account Name", 255, nillable=False, name_field=True),
        picklist("Industry", "Industry", INDUSTRIES),
        number("NumberOfEmployees", "Employees", "int", 8, 0),
        text("Website", "Website", 255, type="url"),
        _owner(),
        *_audit(),
    )
    return SObjectDef("Account", "Account", "Accounts", KEY_PREFIXES["Account"], fields,
                      child_relationships=(("Contact", "AccountId", "Contacts"),
                                           ("Opportunity", "AccountId", "Opportunities")))


def opportunity() -> SObjectDef:
    fields = (
        *_head("Opportunity"),
        ref("AccountId", "Account ID", ("Account",), "Account"),
        text("Name", "Name", 120, nillable=False, name_field=True),
        picklist("StageName", "Stage", OPPORTUNITY_STAGES, restricted=True, nillable=False),
        number("Amount", "Amount", "currency", 18, 2),
        number("Probability", "Probability (%)", "percent", 3, 0, defaulted_on_create=True),
        FieldDef("CloseDate", "Close Date", "date", 0, nillable=False),
        read_only(boolean("IsClosed", "Closed")),
        read_only(boolean("IsWon", "Won")),
        picklist("LeadSource", "Lead Source", LEAD_SOURCES),
        _owner(),
        *_audit(),
    )
    return SObjectDef("Opportunity", "Opportunity", "Opportunities", KEY_PREFIXES["Opportunity"],
                      fields)


def task() -> SObjectDef:
    fields = (
        *_head("Task"),
        ref("WhoId", "Name ID", ("Contact", "Lead"), "Who"),
        text("Subject", "Subject", 255, type="combobox", nillable=False),
        FieldDef("ActivityDate", "Due Date Only", "date", 0),
        picklist("Status", "Status", ("Not Started", "Completed"), restricted=True,
                 default="Not Started", nillable=False),
        text("Description", "Description", 32000, type="textarea"),
        _owner(),
        *_audit(),
    )
    return SObjectDef("Task", "Task", "Tasks", KEY_PREFIXES["Task"], fields)


def user() -> SObjectDef:
    fields = (
        read_only(FieldDef("Id", "User ID", "id", 18, nillable=False, defaulted_on_create=True)),
        read_only(text("Username", "Username", 80, nillable=False)),
        read_only(text("LastName", "Last Name", 80, nillable=False)),
        read_only(text("FirstName", "First Name", 40)),
        read_only(text("Name", "Full Name", 121, name_field=True)),
        read_only(text("Email", "Email", 128, type="email", nillable=False)),
        read_only(text("Alias", "Alias", 8, nillable=False)),
        read_only(text("Title", "Title", 80)),
        read_only(boolean("IsActive", "Active")),
        *_audit(),
    )
    return SObjectDef("User", "User", "Users", KEY_PREFIXES["User"], fields, createable=False,
                      updateable=False, deletable=False)


class Catalog:
    """The org's objects, looked up case-insensitively."""

    def __init__(self, objects: Iterable[SObjectDef]) -> None:
        self.objects: tuple[SObjectDef, ...] = tuple(objects)
        self._by_lower: Mapping[str, SObjectDef] = {o.name.lower(): o for o in self.objects}

    def get(self, name: str) -> SObjectDef | None:
        return self._by_lower.get(name.lower())

    @classmethod
    def standard(cls, external_id_field: str, external_id_unique: bool = True) -> Catalog:
        return cls([lead(external_id_field, external_id_unique), contact(), account(),
                    opportunity(), task(), user()])

"""The sandbox org's schema (see ``docs/sandbox-data-model.md``): Lead, Contact, Account,
Opportunity, Task and User, with realistic standard fields and the connector's custom fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from .ids import KEY_PREFIXES
from .schema import FieldDef, PicklistValue, SObjectDef

# A default org's standard values (LeadStatus, OpportunityStage): Status and StageName are
# unrestricted picklists there, so the API stores any other string too (the sales team's
# "Nurturing", for one), without the meaning the standard values carry.
LEAD_STATUSES = ("Open - Not Contacted", "Working - Contacted", "Closed - Converted",
                 "Closed - Not Converted")
CONVERTED_LEAD_STATUSES = frozenset({"Closed - Converted"})
# stage -> (probability, is_closed, is_won), as OpportunityStage holds them
OPPORTUNITY_STAGES: dict[str, tuple[int, bool, bool]] = {
    "Prospecting": (10, False, False),
    "Qualification": (10, False, False),
    "Needs Analysis": (20, False, False),
    "Value Proposition": (50, False, False),
    "Id. Decision Makers": (60, False, False),
    "Perception Analysis": (70, False, False),
    "Proposal/Price Quote": (75, False, False),
    "Negotiation/Review": (90, False, False),
    "Closed Won": (100, True, True),
    "Closed Lost": (0, True, False),
}
SALUTATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx.")
GEOCODE_ACCURACIES = ("Address", "NearAddress", "Block", "Street", "ExtendedZip", "Zip",
                      "Neighborhood", "City", "County", "State", "Unknown")
CLEAN_STATUSES = ("Matched", "Different", "Acknowledged", "NotFound", "Inactive", "Pending",
                  "SelectMatch", "Skipped")
OPPORTUNITY_TYPES = ("Existing Customer - Upgrade", "Existing Customer - Replacement",
                     "Existing Customer - Downgrade", "New Customer")
FORECAST_CATEGORIES = ("Omitted", "Pipeline", "Best Case", "Commit", "Closed")
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


def _owner(*to: str) -> FieldDef:
    return ref("OwnerId", "Owner ID", to or ("User",), "Owner", nillable=False,
               defaulted_on_create=True)


def _activity_dates() -> tuple[FieldDef, ...]:
    return (
        read_only(FieldDef("LastActivityDate", "Last Activity", "date", 0)),
        read_only(FieldDef("LastViewedDate", "Last Viewed Date", "datetime", 0)),
        read_only(FieldDef("LastReferencedDate", "Last Referenced Date", "datetime", 0)),
    )


def _address(prefix: str = "", label: str = "") -> tuple[FieldDef, ...]:
    """Street ... GeocodeAccuracy and the read-only compound ``Address`` (``prefix``: Billing,
    Mailing ... on other objects)."""
    whole = f"{prefix}Address"
    part: dict[str, Any] = {"compound": whole}
    return (
        text(f"{prefix}Street", f"{label}Street", 255, type="textarea",
             extra_type="plaintextarea", **part),
        text(f"{prefix}City", f"{label}City", 40, **part),
        text(f"{prefix}State", f"{label}State/Province", 80, **part),
        text(f"{prefix}PostalCode", f"{label}Zip/Postal Code", 20, **part),
        text(f"{prefix}Country", f"{label}Country", 80, **part),
        number(f"{prefix}Latitude", f"{label}Latitude", "double", 18, 15, **part),
        number(f"{prefix}Longitude", f"{label}Longitude", "double", 18, 15, **part),
        picklist(f"{prefix}GeocodeAccuracy", f"{label}Geocode Accuracy", GEOCODE_ACCURACIES,
                 restricted=True, **part),
        read_only(FieldDef(whole, f"{label}Address", "address", 0)),
    )


def _children(*rows: tuple[str, str, str | None] | tuple[str, str, str | None, bool]
              ) -> tuple[tuple[str, str, str | None, bool], ...]:
    return tuple((r[0], r[1], r[2], len(r) > 3 and bool(r[3])) for r in rows)


# what every standard object of a default org has as children (feeds, files, notes, topics)
def _common_children(sobject: str, key: str) -> tuple[tuple[str, str, str | None, bool], ...]:
    return _children(
        ("AttachedContentDocument", "LinkedEntityId", "AttachedContentDocuments", True),
        ("Attachment", "ParentId", "Attachments", True),
        ("CombinedAttachment", "ParentId", "CombinedAttachments", True),
        ("ContentDocumentLink", "LinkedEntityId", None, True),
        (f"{sobject}Feed", "ParentId", "Feeds", True),
        (f"{sobject}History", key, "Histories", True),
        ("Note", "ParentId", "Notes", True),
        ("NoteAndAttachment", "ParentId", "NotesAndAttachments", True),
        ("ProcessInstance", "TargetObjectId", "ProcessInstances", True),
        ("RecordAction", "RecordId", "RecordActions", True),
        ("TopicAssignment", "EntityId", "TopicAssignments", True),
    )


def _activity_children(key: str) -> tuple[tuple[str, str, str | None, bool], ...]:
    return _children(
        ("ActivityHistory", key, "ActivityHistories", True),
        ("EmailMessageRelation", "RelationId", "EmailMessageRelations", True),
        ("Event", key, "Events", True),
        ("EventRelation", "RelationId", "EventRelations", True),
        ("OpenActivity", key, "OpenActivities", True),
        ("Task", key, "Tasks", True),
        ("TaskRelation", "RelationId", "TaskRelations", True),
    )


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
    return read_only(text("Name", "Full Name", length, name_field=True, nillable=False,
                          extra_type="personname"))


def _person(label: str) -> tuple[FieldDef, ...]:
    """LastName, FirstName, Salutation (parts of the compound Name) and Name."""
    part: dict[str, Any] = {"compound": "Name", "extra_type": "personname"}
    return (
        text("LastName", "Last Name", 80, nillable=False, **part),
        text("FirstName", "First Name", 40, **part),
        picklist("Salutation", "Salutation", SALUTATIONS, **part),
        _name(),
    )


def lead(external_id_field: str, external_id_unique: bool) -> SObjectDef:
    fields = (
        *_head("Lead"),
        read_only(ref("MasterRecordId", "Master Record ID", ("Lead",), "MasterRecord")),
        *_person("Lead"),
        text("Title", "Title", 128),
        text("Company", "Company", 255, nillable=False),
        *_address(),
        text("Phone", "Phone", 40, type="phone"),
        text("MobilePhone", "Mobile Phone", 40, type="phone"),
        text("Fax", "Fax", 40, type="phone"),
        text("Email", "Email", 80, type="email"),
        text("Website", "Website", 255, type="url"),
        read_only(text("PhotoUrl", "Photo URL", 255, type="url", extra_type="imageurl")),
        text("Description", "Description", 32000, type="textarea"),
        picklist("LeadSource", "Lead Source", LEAD_SOURCES),
        picklist("Status", "Status", LEAD_STATUSES, default="Open - Not Contacted",
                 nillable=False),
        picklist("Industry", "Industry", INDUSTRIES),
        picklist("Rating", "Rating", ("Hot", "Warm", "Cold")),
        number("AnnualRevenue", "Annual Revenue", "currency", 18, 0),
        number("NumberOfEmployees", "Employees", "int", 8, 0),
        _owner("Group", "User"),
        boolean("HasOptedOutOfEmail", "Email Opt Out"),
        replace(boolean("IsConverted", "Converted"), updateable=False),
        read_only(FieldDef("ConvertedDate", "Converted Date", "date", 0)),
        read_only(ref("ConvertedAccountId", "Converted Account ID", ("Account",),
                      "ConvertedAccount")),
        read_only(ref("ConvertedContactId", "Converted Contact ID", ("Contact",),
                      "ConvertedContact")),
        read_only(ref("ConvertedOpportunityId", "Converted Opportunity ID", ("Opportunity",),
                      "ConvertedOpportunity")),
        boolean("IsUnreadByOwner", "Unread By Owner"),
        *_audit(),
        *_activity_dates(),
        boolean("DoNotCall", "Do Not Call"),
        boolean("HasOptedOutOfFax", "Fax Opt Out"),
        text("Jigsaw", "Data.com Key", 20),
        read_only(text("JigsawContactId", "Jigsaw Contact ID", 20)),
        picklist("CleanStatus", "Clean Status", CLEAN_STATUSES, restricted=True),
        text("CompanyDunsNumber", "Company D-U-N-S Number", 9),
        ref("DandbCompanyId", "D&B Company ID", ("DandBCompany",), "DandbCompany"),
        text("EmailBouncedReason", "Email Bounced Reason", 255),
        FieldDef("EmailBouncedDate", "Email Bounced Date", "datetime", 0),
        ref("IndividualId", "Individual ID", ("Individual",), "Individual"),
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
    children = (
        *_activity_children("WhoId"),
        *_children(("AcceptedEventRelation", "RelationId", "AcceptedEventRelations", True),
                   ("CampaignMember", "LeadId", "CampaignMembers", True),
                   ("DeclinedEventRelation", "RelationId", "DeclinedEventRelations", True),
                   ("EmailStatus", "WhoId", "EmailStatuses", True),
                   ("Lead", "MasterRecordId", None),
                   ("LeadCleanInfo", "LeadId", "LeadCleanInfos", True),
                   ("LeadShare", "LeadId", "Shares", True),
                   ("ListEmailIndividualRecipient", "RecipientId", "ListEmailIndividualRecipients",
                    True),
                   ("UndecidedEventRelation", "RelationId", "UndecidedEventRelations", True)),
        *_common_children("Lead", "LeadId"),
    )
    return SObjectDef("Lead", "Lead", "Leads", KEY_PREFIXES["Lead"], fields,
                      child_relationships=tuple(sorted(children, key=lambda c: c[:2])))


def contact() -> SObjectDef:
    fields = (
        *_head("Contact"),
        read_only(ref("MasterRecordId", "Master Record ID", ("Contact",), "MasterRecord")),
        ref("AccountId", "Account ID", ("Account",), "Account"),
        *_person("Contact"),
        *_address("Mailing", "Mailing "),
        text("Phone", "Business Phone", 40, type="phone"),
        text("MobilePhone", "Mobile Phone", 40, type="phone"),
        text("Email", "Email", 80, type="email"),
        text("Title", "Title", 128),
        picklist("LeadSource", "Lead Source", LEAD_SOURCES),
        _owner(),
        *_audit(),
        *_activity_dates(),
    )
    children = (
        *_activity_children("WhoId"),
        *_children(("CampaignMember", "ContactId", "CampaignMembers", True),
                   ("Case", "ContactId", "Cases"),
                   ("Contact", "MasterRecordId", None),
                   ("ContactShare", "ContactId", "Shares", True),
                   ("OpportunityContactRole", "ContactId", "OpportunityContactRoles", True)),
        *_common_children("Contact", "ContactId"),
    )
    return SObjectDef("Contact", "Contact", "Contacts", KEY_PREFIXES["Contact"], fields,
                      child_relationships=tuple(sorted(children, key=lambda c: c[:2])))


def account() -> SObjectDef:
    fields = (
        *_head("Account"),
        read_only(ref("MasterRecordId", "Master Record ID", ("Account",), "MasterRecord")),
        text("Name", "Account Name", 255, nillable=False, name_field=True, id_lookup=True),
        *_address("Billing", "Billing "),
        text("Phone", "Account Phone", 40, type="phone"),
        text("Website", "Website", 255, type="url"),
        picklist("Industry", "Industry", INDUSTRIES),
        number("AnnualRevenue", "Annual Revenue", "currency", 18, 0),
        number("NumberOfEmployees", "Employees", "int", 8, 0),
        _owner(),
        *_audit(),
        *_activity_dates(),
    )
    children = (
        *_activity_children("WhatId"),
        *_children(("Account", "MasterRecordId", None),
                   ("AccountContactRole", "AccountId", "AccountContactRoles", True),
                   ("AccountShare", "AccountId", "Shares", True),
                   ("Case", "AccountId", "Cases"),
                   ("Contact", "AccountId", "Contacts"),
                   ("Lead", "ConvertedAccountId", None),
                   ("Opportunity", "AccountId", "Opportunities")),
        *_common_children("Account", "AccountId"),
    )
    return SObjectDef("Account", "Account", "Accounts", KEY_PREFIXES["Account"], fields,
                      child_relationships=tuple(sorted(children, key=lambda c: c[:2])))


def opportunity() -> SObjectDef:
    fields = (
        *_head("Opportunity"),
        ref("AccountId", "Account ID", ("Account",), "Account"),
        boolean("IsPrivate", "Private"),
        text("Name", "Name", 120, nillable=False, name_field=True, id_lookup=True),
        text("Description", "Description", 32000, type="textarea"),
        picklist("StageName", "Stage", OPPORTUNITY_STAGES, nillable=False),
        number("Amount", "Amount", "currency", 18, 2),
        number("Probability", "Probability (%)", "percent", 3, 0, defaulted_on_create=True),
        read_only(number("ExpectedRevenue", "Expected Amount", "currency", 18, 2,
                         calculated=True)),
        number("TotalOpportunityQuantity", "Quantity", "double", 18, 2),
        FieldDef("CloseDate", "Close Date", "date", 0, nillable=False),
        picklist("Type", "Opportunity Type", OPPORTUNITY_TYPES),
        text("NextStep", "Next Step", 255),
        picklist("LeadSource", "Lead Source", LEAD_SOURCES),
        read_only(boolean("IsClosed", "Closed")),
        read_only(boolean("IsWon", "Won")),
        read_only(picklist("ForecastCategory", "Forecast Category",
                           ("Omitted", "Pipeline", "BestCase", "Forecast", "Closed"),
                           restricted=True, default="Pipeline", nillable=False)),
        picklist("ForecastCategoryName", "Forecast Category", FORECAST_CATEGORIES),
        ref("CampaignId", "Campaign ID", ("Campaign",), "Campaign"),
        read_only(boolean("HasOpportunityLineItem", "Has Line Item")),
        ref("Pricebook2Id", "Price Book ID", ("Pricebook2",), "Pricebook2"),
        _owner(),
        *_audit(),
        read_only(FieldDef("LastActivityDate", "Last Activity", "date", 0)),
        read_only(number("PushCount", "Push Count", "int", 9, 0)),
        read_only(FieldDef("LastStageChangeDate", "Last Stage Change Date", "datetime", 0)),
        read_only(number("FiscalQuarter", "Fiscal Quarter", "int", 11, 0)),
        read_only(number("FiscalYear", "Fiscal Year", "int", 11, 0)),
        read_only(text("Fiscal", "Fiscal Period", 6)),
        ref("ContactId", "Contact ID", ("Contact",), "Contact"),
        read_only(FieldDef("LastViewedDate", "Last Viewed Date", "datetime", 0)),
        read_only(FieldDef("LastReferencedDate", "Last Referenced Date", "datetime", 0)),
        read_only(boolean("HasOpenActivity", "Has Open Activity")),
        read_only(boolean("HasOverdueTask", "Has Overdue Task")),
        read_only(ref("LastAmountChangedHistoryId", "Opportunity History ID",
                      ("OpportunityHistory",), "LastAmountChangedHistory")),
        read_only(ref("LastCloseDateChangedHistoryId", "Opportunity History ID",
                      ("OpportunityHistory",), "LastCloseDateChangedHistory")),
    )
    children = (
        *_activity_children("WhatId"),
        *_children(("Lead", "ConvertedOpportunityId", None),
                   ("OpportunityCompetitor", "OpportunityId", "OpportunityCompetitors", True),
                   ("OpportunityContactRole", "OpportunityId", "OpportunityContactRoles", True),
                   ("OpportunityFieldHistory", "OpportunityId", "OpportunityFieldHistories",
                    True),
                   ("OpportunityLineItem", "OpportunityId", "OpportunityLineItems", True),
                   ("OpportunityPartner", "OpportunityId", "OpportunityPartnersFrom", True),
                   ("OpportunityShare", "OpportunityId", "Shares", True)),
        *_common_children("Opportunity", "OpportunityId"),
    )
    return SObjectDef("Opportunity", "Opportunity", "Opportunities", KEY_PREFIXES["Opportunity"],
                      fields, child_relationships=tuple(sorted(children, key=lambda c: c[:2])))


def task() -> SObjectDef:
    fields = (
        *_head("Task"),
        ref("WhoId", "Name ID", ("Contact", "Lead"), "Who"),
        ref("WhatId", "Related To ID", ("Account", "Opportunity"), "What"),
        text("Subject", "Subject", 255, type="combobox", nillable=False),
        FieldDef("ActivityDate", "Due Date Only", "date", 0),
        picklist("Status", "Status", ("Not Started", "In Progress", "Completed",
                                      "Waiting on someone else", "Deferred"),
                 default="Not Started", nillable=False),
        picklist("Priority", "Priority", ("High", "Normal", "Low"), default="Normal",
                 nillable=False),
        text("Description", "Description", 32000, type="textarea"),
        _owner("Group", "User"),
        *_audit(),
    )
    children = (
        *_children(("Task", "RecurrenceActivityId", "RecurringTasks"),
                   ("TaskFeed", "ParentId", "Feeds", True),
                   ("TaskRelation", "TaskId", "TaskRelations", True),
                   ("TopicAssignment", "EntityId", "TopicAssignments", True)),
    )
    return SObjectDef("Task", "Task", "Tasks", KEY_PREFIXES["Task"], fields,
                      child_relationships=children)


def user() -> SObjectDef:
    fields = (
        read_only(FieldDef("Id", "User ID", "id", 18, nillable=False, defaulted_on_create=True)),
        read_only(text("Username", "Username", 80, nillable=False, id_lookup=True)),
        read_only(text("LastName", "Last Name", 80, nillable=False)),
        read_only(text("FirstName", "First Name", 40)),
        read_only(text("Name", "Full Name", 121, name_field=True, nillable=False)),
        read_only(text("Email", "Email", 128, type="email", nillable=False)),
        read_only(text("Alias", "Alias", 8, nillable=False)),
        read_only(text("Title", "Title", 80)),
        read_only(boolean("IsActive", "Active")),
        *_audit(),
    )
    children = _children(
        ("Account", "OwnerId", None), ("Contact", "OwnerId", None),
        ("Lead", "OwnerId", None), ("Opportunity", "OwnerId", None),
        ("Task", "OwnerId", None), ("UserFeed", "ParentId", "Feeds", True),
        ("UserRole", "ForecastUserId", None))
    return SObjectDef("User", "User", "Users", KEY_PREFIXES["User"], fields, createable=False,
                      updateable=False, deletable=False, child_relationships=children)


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

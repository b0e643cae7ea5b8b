"""Regenerate the schema fixtures (``python tests/fieldmap/schemas/build_fixtures.py``).

They are the JSON bodies of ``GET /crm/v3/properties/contacts`` (facts sheet A5) and
``GET /sobjects/<Object>/describe`` (C6) for the sandbox portal and org described in
``docs/sandbox-data-model.md``. The JSON files are committed; this script is how they were made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
STAMP = "2026-01-05T10:00:00.000Z"


def hs(
    name: str,
    type_: str,
    field_type: str,
    *,
    options: list[str] | None = None,
    read_only: bool = False,
    group: str = "contactinformation",
    custom: bool = False,
    label: str | None = None,
) -> dict[str, Any]:
    if type_ == "bool" or field_type == "booleancheckbox":
        options = options or ["true", "false"]
    return {
        "name": name,
        "label": label or name.replace("_", " ").title(),
        "type": type_,
        "fieldType": field_type,
        "groupName": group,
        "description": "",
        "options": [
            {"label": v.replace("_", " ").title(), "value": v, "hidden": False, "displayOrder": i}
            for i, v in enumerate(options or [])
        ],
        "displayOrder": -1,
        "hasUniqueValue": name == "hs_object_id",
        "hidden": False,
        "hubspotDefined": not custom,
        "calculated": False,
        "externalOptions": False,
        "formField": not read_only,
        "modificationMetadata": {
            "archivable": custom,
            "readOnlyDefinition": not custom,
            "readOnlyValue": read_only,
        },
        "createdAt": STAMP,
        "updatedAt": STAMP,
        "archived": False,
    }


def hubspot_properties() -> dict[str, Any]:
    text = [
        "email",
        "firstname",
        "lastname",
        "company",
        "jobtitle",
        "phone",
        "city",
        "state",
        "website",
        "country",
    ]
    props = [
        hs("hs_object_id", "number", "number", read_only=True, label="Record ID"),
        hs("createdate", "datetime", "date", read_only=True),
        hs("lastmodifieddate", "datetime", "date", read_only=True),
        *(hs(n, "string", "text") for n in text),
        hs("hs_email_domain", "string", "text", read_only=True),
        hs(
            "industry",
            "enumeration",
            "select",
            options=[
                "COMPUTER_SOFTWARE",
                "FINANCIAL_SERVICES",
                "HOSPITAL_HEALTH_CARE",
                "RETAIL",
                "MANUFACTURING",
                "EDUCATION_MANAGEMENT",
                "MARKETING_AND_ADVERTISING",
                "INFORMATION_TECHNOLOGY_AND_SERVICES",
                "GOVERNMENT_ADMINISTRATION",
                "NON_PROFIT_ORGANIZATION_MANAGEMENT",
            ],
        ),
        hs(
            "numemployees",
            "enumeration",
            "select",
            options=["1-5", "5-25", "25-50", "50-100", "100-500", "500-1000", "1000+"],
        ),
        hs("annualrevenue", "number", "number"),
        hs(
            "lifecyclestage",
            "enumeration",
            "radio",
            options=[
                "subscriber",
                "lead",
                "marketingqualifiedlead",
                "salesqualifiedlead",
                "opportunity",
                "customer",
                "evangelist",
                "other",
            ],
        ),
        hs(
            "hs_lead_status",
            "enumeration",
            "radio",
            options=[
                "NEW",
                "OPEN",
                "IN_PROGRESS",
                "OPEN_DEAL",
                "UNQUALIFIED",
                "ATTEMPTED_TO_CONTACT",
                "CONNECTED",
                "BAD_TIMING",
            ],
        ),
        hs(
            "hs_analytics_source",
            "enumeration",
            "select",
            read_only=True,
            group="analyticsinformation",
            options=[
                "ORGANIC_SEARCH",
                "PAID_SEARCH",
                "EMAIL_MARKETING",
                "SOCIAL_MEDIA",
                "REFERRALS",
                "OTHER_CAMPAIGNS",
                "DIRECT_TRAFFIC",
                "OFFLINE",
                "PAID_SOCIAL",
            ],
        ),
        hs(
            "hs_analytics_num_page_views",
            "number",
            "number",
            read_only=True,
            group="analyticsinformation",
        ),
        hs(
            "hs_analytics_num_visits",
            "number",
            "number",
            read_only=True,
            group="analyticsinformation",
        ),
        hs(
            "hs_analytics_last_visit_timestamp",
            "datetime",
            "date",
            read_only=True,
            group="analyticsinformation",
        ),
        hs(
            "num_conversion_events",
            "number",
            "number",
            read_only=True,
            group="conversioninformation",
        ),
        hs(
            "recent_conversion_event_name",
            "string",
            "text",
            read_only=True,
            group="conversioninformation",
        ),
        hs(
            "first_conversion_event_name",
            "string",
            "text",
            read_only=True,
            group="conversioninformation",
        ),
        hs(
            "recent_conversion_date",
            "datetime",
            "date",
            read_only=True,
            group="conversioninformation",
        ),
        hs(
            "first_conversion_date",
            "datetime",
            "date",
            read_only=True,
            group="conversioninformation",
        ),
        hs("hs_email_click", "number", "number", read_only=True, group="emailinformation"),
        hs(
            "hs_email_last_click_date", "datetime", "date", read_only=True, group="emailinformation"
        ),
        hs(
            "hs_email_optout",
            "enumeration",
            "booleancheckbox",
            read_only=True,
            group="emailinformation",
        ),
        hs(
            "hs_seniority",
            "enumeration",
            "select",
            options=["executive", "vp", "director", "manager", "employee", "student"],
        ),
        hs(
            "hs_role",
            "enumeration",
            "select",
            options=[
                "engineering",
                "finance",
                "it",
                "marketing",
                "operations",
                "sales",
                "hr",
                "other",
            ],
        ),
        hs(
            "purchase_timeline",
            "enumeration",
            "select",
            custom=True,
            options=["this_quarter", "next_quarter", "this_year", "no_timeline"],
        ),
        hs(
            "budget_range",
            "enumeration",
            "select",
            custom=True,
            options=["under_10k", "10k_50k", "50k_100k", "over_100k", "unknown"],
        ),
        hs("pain_point", "string", "textarea", custom=True),
        hs("pricing_page_views", "number", "number", custom=True),
        hs("last_pricing_page_visit", "datetime", "date", custom=True),
        hs("demo_requested", "bool", "booleancheckbox", custom=True),
    ]
    return {"results": props}


_SOAP = {
    "id": "tns:ID",
    "string": "xsd:string",
    "textarea": "xsd:string",
    "email": "xsd:string",
    "phone": "xsd:string",
    "url": "xsd:string",
    "picklist": "xsd:string",
    "reference": "tns:ID",
    "boolean": "xsd:boolean",
    "datetime": "xsd:dateTime",
    "date": "xsd:date",
    "currency": "xsd:double",
    "double": "xsd:double",
    "int": "xsd:int",
}
_LENGTHS = {
    "id": 18,
    "reference": 18,
    "picklist": 255,
    "email": 80,
    "phone": 40,
    "url": 255,
    "string": 255,
    "textarea": 255,
}


def sf(
    name: str,
    type_: str,
    *,
    length: int | None = None,
    required: bool = False,
    createable: bool = True,
    updateable: bool | None = None,
    external_id: bool = False,
    unique: bool = False,
    restricted: bool = False,
    picklist: list[str] | None = None,
    default: str | None = None,
    defaulted: bool = False,
    reference_to: list[str] | None = None,
) -> dict[str, Any]:
    system = not createable and updateable is None
    updateable = createable if updateable is None else updateable
    boolean = type_ == "boolean"
    return {
        "name": name,
        "label": name.removesuffix("__c").replace("_", " "),
        "type": type_,
        "soapType": _SOAP[type_],
        "length": length if length is not None else _LENGTHS.get(type_, 0),
        "byteLength": 3 * (length if length is not None else _LENGTHS.get(type_, 0)),
        "precision": 18 if type_ in ("currency", "double") else 0,
        "scale": 2 if type_ in ("currency", "double") else 0,
        "digits": 9 if type_ == "int" else 0,
        "nillable": not (required or boolean or type_ == "id" or system and name != "Id"),
        "createable": createable,
        "updateable": updateable,
        "defaultedOnCreate": defaulted or boolean or system,
        "calculated": False,
        "autoNumber": False,
        "custom": name.endswith("__c"),
        "externalId": external_id,
        "unique": unique,
        "idLookup": type_ == "id" or external_id or name == "Email",
        "nameField": False,
        "filterable": True,
        "sortable": type_ != "textarea",
        "restrictedPicklist": restricted,
        "dependentPicklist": False,
        "defaultValue": default,
        "referenceTo": reference_to or [],
        "relationshipName": name.removesuffix("Id") if reference_to else None,
        "picklistValues": [
            {"active": True, "defaultValue": v == default, "label": v, "validFor": None, "value": v}
            for v in picklist or []
        ],
    }


def stamps() -> list[dict[str, Any]]:
    return [
        sf("CreatedDate", "datetime", createable=False),
        sf("LastModifiedDate", "datetime", createable=False),
        sf("SystemModstamp", "datetime", createable=False),
        sf("IsDeleted", "boolean", createable=False),
    ]


def owner() -> dict[str, Any]:
    return sf("OwnerId", "reference", required=True, defaulted=True, reference_to=["User"])


def describe(name: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": name,
        "label": name,
        "labelPlural": f"{name}s",
        "keyPrefix": {
            "Lead": "00Q",
            "Contact": "003",
            "Account": "001",
            "Opportunity": "006",
            "Task": "00T",
        }[name],
        "custom": False,
        "createable": True,
        "updateable": True,
        "deletable": True,
        "queryable": True,
        "fields": fields,
        "recordTypeInfos": [],
        "childRelationships": [],
        "urls": {"describe": f"/services/data/v59.0/sobjects/{name}/describe"},
    }


INDUSTRIES = [
    "Agriculture",
    "Apparel",
    "Banking",
    "Biotechnology",
    "Chemicals",
    "Communications",
    "Construction",
    "Consulting",
    "Education",
    "Electronics",
    "Energy",
    "Engineering",
    "Entertainment",
    "Environmental",
    "Finance",
    "Food & Beverage",
    "Government",
    "Healthcare",
    "Hospitality",
    "Insurance",
    "Machinery",
    "Manufacturing",
    "Media",
    "Not For Profit",
    "Other",
    "Recreation",
    "Retail",
    "Shipping",
    "Technology",
    "Telecommunications",
    "Transportation",
    "Utilities",
]
LEAD_SOURCES = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"]


def lead() -> dict[str, Any]:
    return describe(
        "Lead",
        [
            sf("Id", "id", createable=False),
            sf("FirstName", "string", length=40),
            sf("LastName", "string", length=80, required=True),
            sf("Company", "string", length=255, required=True),
            sf("Email", "email", length=80),
            sf("Phone", "phone", length=40),
            sf("Title", "string", length=128),
            sf("City", "string", length=40),
            sf("State", "string", length=80),
            sf("Country", "string", length=80),
            sf("Industry", "picklist", picklist=INDUSTRIES),
            sf("NumberOfEmployees", "int"),
            sf("AnnualRevenue", "currency"),
            sf("LeadSource", "picklist", picklist=LEAD_SOURCES),
            sf(
                "Status",
                "picklist",
                required=True,
                restricted=True,
                defaulted=True,
                default="Open - Not Contacted",
                picklist=[
                    "Open - Not Contacted",
                    "Working - Contacted",
                    "Nurturing",
                    "Closed - Converted",
                    "Closed - Not Converted",
                ],
            ),
            sf("Rating", "picklist", picklist=["Hot", "Warm", "Cold"]),
            sf("Description", "textarea", length=32000),
            owner(),
            sf("IsConverted", "boolean", updateable=False),
            sf("ConvertedDate", "date", createable=False, updateable=False),
            sf(
                "ConvertedAccountId",
                "reference",
                createable=False,
                updateable=False,
                reference_to=["Account"],
            ),
            sf(
                "ConvertedContactId",
                "reference",
                createable=False,
                updateable=False,
                reference_to=["Contact"],
            ),
            sf(
                "ConvertedOpportunityId",
                "reference",
                createable=False,
                updateable=False,
                reference_to=["Opportunity"],
            ),
            *stamps(),
            sf("HubSpot_Contact_Id__c", "string", length=50, external_id=True, unique=True),
            sf("Handoff_Score__c", "double"),
            sf("Handoff_Grade__c", "picklist", restricted=True, picklist=["hot", "warm", "cold"]),
            sf("Qualification_Version__c", "string", length=80),
            sf("Handoff_Reasons__c", "textarea", length=1000),
            sf("Handoff_At__c", "datetime"),
            sf("First_Touch_At__c", "datetime"),
            sf(
                "Purchase_Timeline__c",
                "picklist",
                restricted=True,
                picklist=["This Quarter", "Next Quarter", "This Year", "No Timeline"],
            ),
            sf(
                "Budget_Range__c",
                "picklist",
                picklist=["Under 10k", "10k-50k", "50k-100k", "Over 100k", "Unknown"],
            ),
            sf(
                "Disqualification_Reason__c",
                "picklist",
                restricted=True,
                picklist=[
                    "No Budget",
                    "No Authority",
                    "No Need",
                    "Bad Timing",
                    "Competitor",
                    "Bad Data",
                ],
            ),
        ],
    )


def contact() -> dict[str, Any]:
    return describe(
        "Contact",
        [
            sf("Id", "id", createable=False),
            sf("FirstName", "string", length=40),
            sf("LastName", "string", length=80, required=True),
            sf("Email", "email", length=80),
            sf("Phone", "phone", length=40),
            sf("Title", "string", length=128),
            sf("AccountId", "reference", reference_to=["Account"]),
            owner(),
            *stamps()[:3],
        ],
    )


def account() -> dict[str, Any]:
    return describe(
        "Account",
        [
            sf("Id", "id", createable=False),
            sf("Name", "string", length=255, required=True),
            sf("Industry", "picklist", picklist=INDUSTRIES),
            sf("NumberOfEmployees", "int"),
            owner(),
            *stamps()[:3],
        ],
    )


def opportunity() -> dict[str, Any]:
    return describe(
        "Opportunity",
        [
            sf("Id", "id", createable=False),
            sf("Name", "string", length=120, required=True),
            sf(
                "StageName",
                "picklist",
                required=True,
                picklist=[
                    "Prospecting",
                    "Qualification",
                    "Needs Analysis",
                    "Proposal/Price Quote",
                    "Negotiation/Review",
                    "Closed Won",
                    "Closed Lost",
                ],
            ),
            sf("Amount", "currency"),
            sf("CloseDate", "date", required=True),
            sf("IsWon", "boolean", createable=False, updateable=False),
            sf("IsClosed", "boolean", createable=False, updateable=False),
            sf("AccountId", "reference", reference_to=["Account"]),
            sf("LeadSource", "picklist", picklist=LEAD_SOURCES),
            owner(),
            *stamps()[:3],
        ],
    )


def task() -> dict[str, Any]:
    return describe(
        "Task",
        [
            sf("Id", "id", createable=False),
            sf("Subject", "string", length=255, required=True),
            sf("WhoId", "reference", reference_to=["Lead", "Contact"]),
            owner(),
            sf("ActivityDate", "date"),
            sf(
                "Status",
                "picklist",
                required=True,
                defaulted=True,
                default="Not Started",
                picklist=["Not Started", "Completed"],
            ),
            sf("Description", "textarea", length=32000),
        ],
    )


def main() -> None:
    files = {
        "hubspot_contact_properties.json": hubspot_properties(),
        "salesforce_lead_describe.json": lead(),
        "salesforce_contact_describe.json": contact(),
        "salesforce_account_describe.json": account(),
        "salesforce_opportunity_describe.json": opportunity(),
        "salesforce_task_describe.json": task(),
    }
    for name, body in files.items():
        (HERE / name).write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

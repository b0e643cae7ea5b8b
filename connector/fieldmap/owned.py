"""What the connector owns in each system, declared as data.

HubSpot: the contact properties the connector writes back (``owned_hubspot_properties``, in the
``POST /crm/v3/properties/contacts`` body shape) so ``connector setup`` can create what is missing.
Salesforce: the Lead fields the handoff needs (the external id and the receipt fields) that only a
Salesforce admin can create; ``salesforce_requirements`` says which are missing.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import dataclass

from connector.errors import Problem
from connector.fieldmap.model import Mapping

OWNED_GROUP = "contactinformation"
#: Values the handoff job writes to ``handoff_status`` (a text property, so that a new outcome
#: never makes HubSpot reject the write-back).
HANDOFF_STATUS_VALUES: tuple[str, ...] = ("created", "updated", "adopted", "existing_contact")


@dataclass(frozen=True)
class OwnedProperty:
    name: str
    label: str
    type: str
    field_type: str
    description: str
    options: tuple[tuple[str, str], ...] = ()

    def body(self, display_order: int) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "fieldType": self.field_type,
            "groupName": OWNED_GROUP,
            "description": self.description,
            "displayOrder": display_order,
            "hasUniqueValue": False,
            "formField": False,
            "options": [
                {"label": label, "value": value, "displayOrder": i, "hidden": False}
                for i, (value, label) in enumerate(self.options)
            ],
        }


_BOOL = (("true", "Yes"), ("false", "No"))
OWNED_PROPERTIES: tuple[OwnedProperty, ...] = (
    OwnedProperty(
        "sf_lead_id",
        "Salesforce Lead ID",
        "string",
        "text",
        "Id of the Salesforce Lead this contact was handed off as.",
    ),
    OwnedProperty(
        "sf_contact_id",
        "Salesforce Contact ID",
        "string",
        "text",
        "Id of the Salesforce Contact the lead was converted to.",
    ),
    OwnedProperty(
        "sf_opportunity_id",
        "Salesforce Opportunity ID",
        "string",
        "text",
        "Id of the Salesforce Opportunity the lead was converted to.",
    ),
    OwnedProperty(
        "handoff_status",
        "Handoff status",
        "string",
        "text",
        "Outcome of the last handoff: created, updated, adopted or existing_contact.",
    ),
    OwnedProperty(
        "handoff_grade",
        "Handoff grade",
        "string",
        "text",
        "Grade given by the qualification definition at handoff.",
    ),
    OwnedProperty(
        "handoff_score",
        "Handoff score",
        "number",
        "number",
        "Score given by the qualification definition at handoff.",
    ),
    OwnedProperty(
        "handoff_definition_version",
        "Handoff definition version",
        "string",
        "text",
        "Version of the qualification definition that handed the lead off.",
    ),
    OwnedProperty(
        "handoff_reasons",
        "Handoff reasons",
        "string",
        "textarea",
        "One-line summary of why the lead was handed off.",
    ),
    OwnedProperty(
        "handoff_at", "Handed off at", "datetime", "date", "When the lead was handed off to sales."
    ),
    OwnedProperty(
        "sales_lead_status",
        "Sales lead status",
        "string",
        "text",
        "Lead Status in Salesforce, as sales set it.",
    ),
    OwnedProperty(
        "sales_disqualification_reason",
        "Sales disqualification reason",
        "string",
        "text",
        "Why sales rejected the lead (Salesforce Disqualification Reason).",
    ),
    OwnedProperty(
        "sales_first_touch_at",
        "First sales touch",
        "datetime",
        "date",
        "When a rep first worked the lead (Salesforce First_Touch_At__c).",
    ),
    OwnedProperty(
        "sales_converted",
        "Converted by sales",
        "bool",
        "booleancheckbox",
        "Whether sales converted the lead.",
        _BOOL,
    ),
    OwnedProperty(
        "sales_converted_at", "Converted on", "date", "date", "Date sales converted the lead."
    ),
    OwnedProperty(
        "sales_opportunity_stage",
        "Sales opportunity stage",
        "string",
        "text",
        "Stage of the opportunity created from the lead.",
    ),
    OwnedProperty(
        "sales_amount_won",
        "Sales amount won",
        "number",
        "number",
        "Amount of the opportunity, once won.",
    ),
)
OWNED_PROPERTY_NAMES: frozenset[str] = frozenset(p.name for p in OWNED_PROPERTIES)


def owned_hubspot_properties() -> list[dict[str, object]]:
    """The connector's HubSpot contact properties as ``POST /crm/v3/properties/contacts`` bodies."""
    return [prop.body(order) for order, prop in enumerate(OWNED_PROPERTIES)]


def missing_owned_properties(existing: list[dict[str, object]]) -> list[dict[str, object]]:
    """The bodies of the owned properties absent from ``existing`` (GET properties results)."""
    names = {p.get("name") for p in existing}
    return [body for body in owned_hubspot_properties() if body["name"] not in names]


RECEIPT_FIELDS: dict[str, str] = {
    "Handoff_Score__c": "Number(16, 2)",
    "Handoff_Grade__c": "Picklist (restricted): hot, warm, cold",
    "Qualification_Version__c": "Text(80)",
    "Handoff_Reasons__c": "Long Text Area(1000)",
    "Handoff_At__c": "Date/Time",
    "First_Touch_At__c": "Date/Time (set when a rep first works the lead)",
    "Purchase_Timeline__c": "Picklist (restricted): This Quarter, Next Quarter, This Year, "
    "No Timeline",
    "Budget_Range__c": "Picklist",
    "Disqualification_Reason__c": "Picklist (restricted): No Budget, No Authority, No Need, "
    "Bad Timing, Competitor, Bad Data",
}
EXTERNAL_ID_SETUP = "Text(50), External ID, Unique"


def salesforce_requirements(
    mapping: Mapping,
    describes: MappingABC[str, MappingABC[str, object]],
    *,
    external_id_field: str | None = None,
) -> list[Problem]:
    """What the Salesforce admin must create for ``mapping``: custom fields it writes (lead) or
    reads (feedback) that the describes lack, and the external id field (lead, when given)."""
    needed: list[tuple[str, str, str]] = []  # (object, field, key)
    if mapping.direction == "lead":
        needed += [(mapping.target_object, r.target, f"{r.key}.target") for r in mapping.rules]
        if external_id_field:
            needed.append((mapping.target_object, external_id_field, "external_id_field"))
    else:
        for rule in mapping.rules:
            for source in rule.all_sources():
                obj, _, name = source.partition(".")
                needed.append((obj, name, f"{rule.key}.source"))
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for obj, name, key in needed:
        if (obj, name) in seen or not name.endswith("__c") and name != external_id_field:
            continue
        seen.add((obj, name))
        describe = describes.get(obj)
        fields = describe.get("fields", []) if describe else []
        by_name = (
            {f.get("name"): f for f in fields if isinstance(f, dict)}
            if isinstance(fields, list)
            else {}
        )
        current = by_name.get(name)
        if name == external_id_field and current is not None and not current.get("externalId"):
            problems.append(
                _ask(
                    mapping,
                    key,
                    f"{obj}.{name} exists but is not an External ID",
                    "mark it External ID and Unique",
                )
            )
        elif current is None:
            setup = (
                EXTERNAL_ID_SETUP
                if name == external_id_field
                else RECEIPT_FIELDS.get(name, "a custom field of the mapped type")
            )
            problems.append(
                _ask(
                    mapping,
                    key,
                    f"Salesforce field {obj}.{name} does not exist",
                    f"ask the Salesforce admin to create {obj}.{name}: {setup}",
                )
            )
    return problems


def _ask(mapping: Mapping, key: str, message: str, suggestion: str) -> Problem:
    return Problem(mapping.path, key, message, "error", mapping.line_of(key), suggestion)

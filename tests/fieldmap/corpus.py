"""A corpus of broken mappings: each is one of the example files with one distinct mistake.

Every case names the check that must catch it (offline, or live against both schemas), the key
it must be reported at and its severity. ``test_corpus`` runs them against the JSON fixtures,
``test_live_sandbox`` against the simulators' real endpoints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from connector.fieldmap.model import Direction

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    "lead": ROOT / "mappings" / "lead.toml",
    "feedback": ROOT / "mappings" / "feedback.toml",
}


@dataclass(frozen=True)
class Case:
    id: str
    base: Direction
    edits: tuple[tuple[str, str], ...]
    mode: Literal["offline", "live"]
    key: str
    severity: Literal["error", "warning"]
    load_as: Direction | None = None
    external_id_field: str = "HubSpot_Contact_Id__c"
    setup_done: bool = True
    message: str = ""
    line: bool = field(default=True)
    #: where the simulator's schema differs from the fixtures' (e.g. IsConverted is read-only
    #: there), the message the same mistake gets against the sandbox
    sandbox_message: str | None = None

    @property
    def direction(self) -> Direction:
        return self.load_as or self.base

    def text(self) -> str:
        text = EXAMPLES[self.base].read_text(encoding="utf-8")
        for old, new in self.edits:
            assert text.count(old) == 1, f"{self.id}: {old!r} occurs {text.count(old)} times"
            text = text.replace(old, new)
        return text


def _c(
    id: str,
    base: Direction,
    edits: list[tuple[str, str]],
    mode: Literal["offline", "live"],
    key: str,
    severity: Literal["error", "warning"] = "error",
    **kw: object,
) -> Case:
    return Case(id, base, tuple(edits), mode, key, severity, **kw)  # type: ignore[arg-type]


OFFLINE: list[Case] = [
    _c(
        "toml-syntax",
        "lead",
        [("[fields.email]\n", "[fields.email\n")],
        "offline",
        "",
        message="TOML syntax",
    ),
    _c(
        "unknown-transform",
        "lead",
        [('["email", "max_length"]', '["emial", "max_length"]')],
        "offline",
        "fields.email.transforms",
        message="unknown transform 'emial'",
    ),
    _c(
        "duplicate-target",
        "lead",
        [('target = "Title"', 'target = "FirstName"')],
        "offline",
        "fields.title.target",
        message="duplicate target",
    ),
    _c(
        "source-not-pulled",
        "lead",
        [('source = "jobtitle"', 'source = "job_title"')],
        "offline",
        "fields.title.source",
        message="not among the properties the pull requests",
    ),
    _c(
        "bad-sync-rule",
        "lead",
        [
            (
                'target = "Phone"\ntransforms = [{ name = "phone", '
                'keep_invalid = true }, "truncate"]\nsync = "if_blank"',
                'target = "Phone"\ntransforms = [{ name = "phone", '
                'keep_invalid = true }, "truncate"]\nsync = "sometimes"',
            )
        ],
        "offline",
        "fields.phone.sync",
        message="unknown sync rule",
    ),
    _c(
        "unknown-rule-key",
        "lead",
        [('target = "FirstName"\ntransforms', 'target = "FirstName"\ntransform')],
        "offline",
        "fields.first_name.transform",
        message="unknown key",
    ),
    _c(
        "unmapped-default-without-default",
        "lead",
        [('target = "Industry"\nunmapped = "skip"', 'target = "Industry"\nunmapped = "default"')],
        "offline",
        "fields.industry.unmapped",
        message="needs a default",
    ),
    _c(
        "several-sources-without-join",
        "lead",
        [('source = "firstname"', 'source = ["firstname", "lastname"]')],
        "offline",
        "fields.first_name.source",
        message="need a join",
    ),
    _c(
        "transform-for-the-other-direction",
        "lead",
        [('transforms = ["sf_datetime"]', 'transforms = ["hs_datetime"]')],
        "offline",
        "fields.handoff_at.transforms",
        message="writes HubSpot formats",
    ),
    _c(
        "unknown-decision-field",
        "lead",
        [('"decision.score"', '"decision.scor"')],
        "offline",
        "fields.handoff_score.source",
        message="unknown decision field",
    ),
    _c(
        "bad-transform-option",
        "lead",
        [
            (
                'transforms = ["trim", "truncate"]\ndefault = "[not provided]"             '
                "# Salesforce requires LastName",
                'transforms = ["trim", { name = "truncate", length = 0 }]\n'
                'default = "[not provided]"',
            )
        ],
        "offline",
        "fields.last_name.transforms",
        message="length = 0 is not valid",
    ),
    _c(
        "source-and-constant",
        "lead",
        [('constant = "Web"', 'constant = "Web"\nsource = "email"')],
        "offline",
        "fields.lead_source.constant",
        message="not both",
    ),
    _c(
        "bad-phone-region",
        "lead",
        [('phone_region = "US"', 'phone_region = "XX"')],
        "offline",
        "mapping.phone_region",
        message="unknown phone region",
    ),
    _c(
        "wrong-direction-file",
        "lead",
        [],
        "offline",
        "mapping.direction",
        load_as="feedback",
        message="used as the feedback mapping",
    ),
    _c(
        "forward-only-in-lead-mapping",
        "lead",
        [('target = "Rating"', 'target = "Rating"\nforward_only = true')],
        "offline",
        "fields.rating.forward_only",
    ),
    _c(
        "lifecycle-without-forward-only",
        "feedback",
        [
            (
                'target = "lifecyclestage"\nforward_only = true\nunmapped = "skip"\n'
                'value_map = { true = "customer" }',
                'target = "lifecyclestage"\nunmapped = "skip"\nvalue_map = { true = "customer" }',
            )
        ],
        "offline",
        "fields.lifecycle_won.forward_only",
        message="may only move forward",
    ),
    _c(
        "forward-only-to-a-non-stage",
        "feedback",
        [('value_map = { true = "customer" }', 'value_map = { true = "won" }')],
        "offline",
        "fields.lifecycle_won.value_map.true",
        message="not a lifecycle stage",
    ),
    _c(
        "feedback-source-without-object",
        "feedback",
        [
            (
                'source = "Lead.Status"\ntarget = "sales_lead_status"',
                'source = "Status"\ntarget = "sales_lead_status"',
            )
        ],
        "offline",
        "fields.sales_lead_status.source",
        message="Object.Field",
    ),
    _c(
        "malformed-condition",
        "feedback",
        [
            (
                'when = { source = "Opportunity.IsWon", equals = true }',
                'when = { source = "Opportunity.IsWon", equals = true, in = [true] }',
            )
        ],
        "offline",
        "fields.amount_won.when",
    ),
    _c(
        "missing-target",
        "lead",
        [('target = "Description"\n', "")],
        "offline",
        "fields.pain_point.target",
        message="missing target",
    ),
]

LIVE: list[Case] = [
    _c(
        "unknown-hubspot-property",
        "lead",
        [('source = "jobtitle"', 'source = "job_title"')],
        "live",
        "fields.title.source",
        message="HubSpot has no contact property 'job_title'",
    ),
    _c(
        "unknown-salesforce-field",
        "lead",
        [('target = "Title"', 'target = "JobTitle"')],
        "live",
        "fields.title.target",
        message="has no field 'JobTitle'",
    ),
    _c(
        "missing-receipt-field",
        "lead",
        [('target = "Handoff_Reasons__c"', 'target = "Handoff_Summary__c"')],
        "live",
        "fields.handoff_reasons.target",
        message="has no field",
    ),
    _c(
        "target-not-createable",
        "lead",
        [
            (
                'target = "Handoff_At__c"\ntransforms = ["sf_datetime"]',
                'target = "ConvertedDate"\ntransforms = ["sf_date"]',
            )
        ],
        "live",
        "fields.handoff_at.target",
        message="not createable",
    ),
    _c(
        "target-not-updateable",
        "lead",
        [
            (
                'source = "annualrevenue"\ntarget = "AnnualRevenue"\ntransforms = ["number"]',
                'source = "demo_requested"\ntarget = "IsConverted"\ntransforms = ["boolean"]',
            )
        ],
        "live",
        "fields.annual_revenue.target",
        message="not updateable",  # IsConverted is createable, as in a default org
    ),
    _c(
        "text-into-a-number-field",
        "lead",
        [
            (
                'source = "annualrevenue"\ntarget = "AnnualRevenue"\ntransforms = ["number"]',
                'source = "jobtitle"\ntarget = "AnnualRevenue"',
            )
        ],
        "live",
        "fields.annual_revenue.target",
        message="type mismatch: text -> AnnualRevenue",
    ),
    _c(
        "number-string-without-parsing",
        "lead",
        [
            (
                'target = "Handoff_Score__c"\ntransforms = ["number"]',
                'target = "Handoff_Score__c"\ntransforms = ["trim"]',
            )
        ],
        "live",
        "fields.handoff_score.target",
        message="arrives as a string",
    ),
    _c(
        "datetime-into-a-date-field",
        "feedback",
        [('transforms = ["hs_date"]', 'transforms = ["hs_datetime"]')],
        "live",
        "fields.converted_at.transforms",
        message="a datetime value into the date field",
    ),
    _c(
        "value-missing-from-restricted-picklist",
        "lead",
        [('this_quarter = "This Quarter"', 'this_quarter = "This Qtr"')],
        "live",
        "fields.purchase_timeline.value_map.this_quarter",
        message="not a value of the restricted picklist",
    ),
    _c(
        "value-missing-from-unrestricted-picklist",
        "lead",
        [('RETAIL = "Retail"', 'RETAIL = "Retail Trade"')],
        "live",
        "fields.industry.value_map.RETAIL",
        "warning",
        message="not a value of the picklist",
    ),
    _c(
        "constant-missing-from-picklist",
        "lead",
        [('constant = "Web"', 'constant = "Website"')],
        "live",
        "fields.lead_source.constant",
        "warning",
    ),
    _c(
        "enumeration-option-missing-in-hubspot",
        "feedback",
        [('"Nurturing" = "BAD_TIMING"', '"Nurturing" = "NURTURING"')],
        "live",
        "fields.hs_lead_status.value_map.Nurturing",
        message="not a value of the restricted",
    ),
    _c(
        "picklist-source-without-value-map",
        "lead",
        [
            (
                'unmapped = "skip"\nvalue_map = { this_quarter = "This Quarter", next_quarter = '
                '"Next Quarter", this_year = "This Year", no_timeline = "No Timeline" }\n',
                "",
            )
        ],
        "live",
        "fields.purchase_timeline.value_map",
        message="source values",
    ),
    _c(
        "value-can-exceed-target-length",
        "lead",
        [
            (
                'target = "Title"\ntransforms = ["trim", "truncate"]',
                'target = "Title"\ntransforms = ["trim"]',
            )
        ],
        "live",
        "fields.title.transforms",
        "warning",
        message="can exceed Title's 128",
    ),
    _c(
        "truncate-longer-than-target",
        "lead",
        [
            (
                'target = "FirstName"\ntransforms = ["trim", "truncate"]',
                'target = "FirstName"\ntransforms = ["trim", { name = "truncate", length = 100 }]',
            )
        ],
        "live",
        "fields.first_name.transforms",
        message="longer than FirstName's 40",
    ),
    _c(
        "required-on-create-not-mapped",
        "lead",
        [
            (
                '[fields.company]\nsource = "company"\ntarget = "Company"\n'
                'transforms = ["trim", "truncate"]\ndefault = "[not provided]"             '
                "# Salesforce requires Company\nrequired = true\n",
                "",
            )
        ],
        "live",
        "fields",
        message="Lead.Company is required on create",
    ),
    _c(
        "required-on-create-without-default",
        "lead",
        [
            (
                'default = "[not provided]"             # Salesforce requires Company\n'
                "required = true\n",
                "",
            )
        ],
        "live",
        "fields.company.default",
        "warning",
        message="required on create",
    ),
    _c(
        "external-id-field-missing",
        "lead",
        [],
        "live",
        "external_id_field",
        external_id_field="HubSpot_Id__c",
        message="does not exist",
        line=False,
    ),
    _c(
        "external-id-field-not-external-id",
        "lead",
        [],
        "live",
        "external_id_field",
        external_id_field="Qualification_Version__c",
        message="not marked External ID",
        line=False,
    ),
    _c(
        "connector-property-not-created",
        "feedback",
        [],
        "live",
        "fields.sf_lead_id.target",
        setup_done=False,
        message="does not exist yet",
    ),
    _c(
        "unknown-salesforce-source",
        "feedback",
        [('"Lead.Disqualification_Reason__c"', '"Lead.Rejection_Reason__c"')],
        "live",
        "fields.disqualification_reason.source",
        message="has no field 'Rejection_Reason__c'",
    ),
    _c(
        "read-only-hubspot-target",
        "feedback",
        [('target = "sales_opportunity_stage"', 'target = "hs_email_domain"')],
        "live",
        "fields.opportunity_stage.target",
        message="read-only",
    ),
    _c(
        "unknown-hubspot-target",
        "feedback",
        [('target = "sales_lead_status"', 'target = "sales_status"')],
        "live",
        "fields.sales_lead_status.target",
        message="HubSpot has no contact property",
    ),
    _c(
        "text-into-a-boolean-property",
        "feedback",
        [
            (
                'source = "Lead.IsConverted"\ntarget = "sales_converted"',
                'source = "Lead.Status"\ntarget = "sales_converted"',
            )
        ],
        "live",
        "fields.converted.target",
        message="type mismatch: text -> sales_converted",
    ),
    _c(
        "value-map-on-a-non-picklist",
        "lead",
        [
            (
                'target = "Title"\n',
                'target = "Title"\nvalue_map = { CEO = "Chief Executive" }\nunmapped = "skip"\n',
            )
        ],
        "live",
        "fields.title.value_map",
        "warning",
        message="not a picklist",
    ),
    _c(
        "unknown-target-object",
        "lead",
        [('target_object = "Lead"', 'target_object = "Leads"')],
        "live",
        "mapping.target_object",
        message="Salesforce has no object 'Leads'",
    ),
]

ALL: list[Case] = OFFLINE + LIVE

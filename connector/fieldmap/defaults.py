"""Defaults until the settings module supplies them: where the files are, what the pull asks for.

``DEFAULT_PULLED_PROPERTIES`` is every HubSpot contact property of the sandbox portal
(``docs/sandbox-data-model.md``); a test keeps the two in step.
"""

from __future__ import annotations

DEFAULT_LEAD_MAPPING = "mappings/lead.toml"
DEFAULT_FEEDBACK_MAPPING = "mappings/feedback.toml"
DEFAULT_DEFINITION = "mappings/qualification.toml"
DEFAULT_EXTERNAL_ID_FIELD = "HubSpot_Contact_Id__c"
#: Salesforce objects ``validate --live`` and ``setup`` describe.
DESCRIBED_OBJECTS: tuple[str, ...] = ("Lead", "Contact", "Opportunity")

DEFAULT_PULLED_PROPERTIES: frozenset[str] = frozenset(
    {
        "hs_object_id",
        "createdate",
        "lastmodifieddate",
        "email",
        "hs_email_domain",
        "firstname",
        "lastname",
        "company",
        "jobtitle",
        "phone",
        "city",
        "state",
        "website",
        "country",
        "industry",
        "numemployees",
        "annualrevenue",
        "lifecyclestage",
        "hs_lead_status",
        "hs_analytics_source",
        "hs_analytics_num_page_views",
        "hs_analytics_num_visits",
        "hs_analytics_last_visit_timestamp",
        "num_conversion_events",
        "recent_conversion_event_name",
        "first_conversion_event_name",
        "recent_conversion_date",
        "first_conversion_date",
        "hs_email_click",
        "hs_email_last_click_date",
        "hs_email_optout",
        "hs_seniority",
        "hs_role",
        "purchase_timeline",
        "budget_range",
        "pain_point",
        "pricing_page_views",
        "last_pricing_page_visit",
        "demo_requested",
    }
)

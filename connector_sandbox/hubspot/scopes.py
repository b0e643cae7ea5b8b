"""What the simulated private app may not read: HubSpot resources the sandbox does not simulate.

A real private app holds the scopes its admin ticked; a call outside them is refused with 403
``MISSING_SCOPES`` (``errors.missing_scopes_body``), not 404. Third-party clients depend on that:
the singer taps probe every stream at start-up and skip the ones answering 403, but stop on any
other error. So every path of HubSpot's public API that the simulator does not serve answers
403 with the granular scope HubSpot would ask for; a path outside HubSpot's API stays 404.
"""

from __future__ import annotations

import re

# the object types of HubSpot's CRM (names and ids) -> the scope that reads their records
_OBJECT_SCOPES = {
    "companies": "crm.objects.companies.read", "company": "crm.objects.companies.read",
    "0-2": "crm.objects.companies.read",
    "tickets": "tickets", "ticket": "tickets", "0-5": "tickets",
    "products": "e-commerce", "product": "e-commerce", "0-7": "e-commerce",
    "line_items": "e-commerce", "line_item": "e-commerce", "0-8": "e-commerce",
    "quotes": "crm.objects.quotes.read", "0-14": "crm.objects.quotes.read",
    "leads": "crm.objects.leads.read", "0-136": "crm.objects.leads.read",
    "goals": "crm.objects.goals.read", "goal_targets": "crm.objects.goals.read",
    "feedback_submissions": "crm.objects.feedback_submissions.read",
    "calls": "crm.objects.contacts.read", "emails": "sales-email-read",
    "meetings": "crm.objects.contacts.read", "notes": "crm.objects.contacts.read",
    "tasks": "crm.objects.contacts.read", "communications": "crm.objects.contacts.read",
    "postal_mail": "crm.objects.contacts.read", "users": "crm.objects.users.read",
}
# the first path segment of HubSpot's legacy and non-CRM APIs -> the scope they need
FAMILY_SCOPES = {
    "properties": "crm.schemas.contacts.read",
    "contacts": "crm.objects.contacts.read",
    "companies": "crm.objects.companies.read",
    "deals": "crm.objects.deals.read",
    "owners": "crm.objects.owners.read",
    "engagements": "crm.objects.contacts.read",
    "email": "content",
    "forms": "forms",
    "form-integrations": "forms",
    "automation": "automation",
    "settings": "settings.users.read",
    "crm-pipelines": "crm.objects.deals.read",
    "marketing": "marketing.campaigns.read",
    "cms": "content",
    "content": "content",
    "events": "analytics.behavioral_events.send",
    "conversations": "conversations.read",
    "files": "files",
    "communication-preferences": "communication_preferences.read",
    "analytics": "business-intelligence",
    "webhooks": "webhooks",
    "integrations": "oauth",
}
_CRM = re.compile(r"^/crm/v\d+/(objects|properties|pipelines|associations|lists|schemas|imports|"
                  r"exports|owners|timeline|extensions|property-validations)"
                  r"(?:/([^/]+))?")
_LEGACY = re.compile(r"^/([a-z-]+)/(?:public/)?v\d+(?:/([^/]+))?")
_LEGACY_SCHEMAS = frozenset({"contacts", "companies", "deals", "tickets", "products"})
SIMULATED_OBJECTS = frozenset({"contacts", "contact", "0-1", "deals", "deal", "0-3"})
"""object types the simulator serves: their unrouted paths stay 404."""


def object_scope(object_type: str) -> str:
    """The scope reading records of ``object_type`` (custom objects: ``crm.objects.custom``)."""
    name = object_type.lower()
    if name in _OBJECT_SCOPES:
        return _OBJECT_SCOPES[name]
    return "crm.objects.custom.read" if name.startswith(("p_", "2-")) else ""


def schema_scope(object_type: str) -> str:
    """The scope reading the property definitions of ``object_type``."""
    scope = object_scope(object_type)
    if scope.startswith("crm.objects.") and scope.endswith(".read"):
        return scope.replace("crm.objects.", "crm.schemas.", 1)
    return scope


def required_scopes(path: str) -> tuple[str, ...]:
    """The scopes HubSpot would ask for ``path``; empty when the path is not HubSpot's API."""
    crm = _CRM.match(path)
    if crm:
        family, name = crm.group(1), crm.group(2) or ""
        if family == "schemas":
            return ("crm.schemas.custom.read",)
        if family == "properties":
            scope = schema_scope(name)
        elif family == "lists":
            scope = "crm.lists.read"
        elif family in ("objects", "pipelines", "associations"):
            if name.lower() in SIMULATED_OBJECTS:
                return ()
            scope = object_scope(name)
        else:
            scope = FAMILY_SCOPES.get(family, "")
        return (scope or "crm.objects.custom.read",)
    if path.startswith("/crm-object-schemas/"):  # the SDK's spelling of /crm/v3/schemas
        return ("crm.schemas.custom.read",)
    legacy = _LEGACY.match(path)
    if legacy and legacy.group(1) in FAMILY_SCOPES:
        family, name = legacy.group(1), legacy.group(2) or ""
        if family == "properties" and name in _LEGACY_SCHEMAS:
            return (f"crm.schemas.{name}.read",)
        return (FAMILY_SCOPES[family],)
    return ()

"""Contact property definitions of the seeded portal (docs/sandbox-data-model.md) and the
rules HubSpot applies to written values: enumeration options, numbers, dates, read-only.

``PropertyRegistry.normalize`` turns a written value into the string HubSpot would store (or
``None`` for ``""``, which clears it) or reports why the value is refused.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .timefmt import iso_date, parse_ms, to_iso

TYPES = ("string", "number", "date", "datetime", "enumeration", "bool")
FIELD_TYPES_BY_TYPE: dict[str, frozenset[str]] = {
    "string": frozenset({"text", "textarea", "file", "phonenumber", "html"}),
    "number": frozenset({"number", "calculation_equation"}),
    "date": frozenset({"date"}),
    "datetime": frozenset({"date"}),
    "enumeration": frozenset({"select", "radio", "checkbox", "booleancheckbox"}),
    "bool": frozenset({"booleancheckbox"}),
}
MAX_STRING = 65_536
CREATED_AT = "2019-08-06T02:43:14.491Z"
UNIQUE_ID_PROPERTIES = frozenset({"email", "hs_object_id"})


@dataclass(frozen=True)
class Option:
    label: str
    value: str
    display_order: int = 0
    hidden: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "value": self.value, "displayOrder": self.display_order,
                "hidden": self.hidden, "description": ""}


@dataclass(frozen=True)
class PropertyDef:
    name: str
    label: str
    type: str
    field_type: str
    group_name: str = "contactinformation"
    description: str = ""
    options: tuple[Option, ...] = ()
    read_only: bool = False
    hubspot_defined: bool = True
    has_unique_value: bool = False
    display_order: int = -1
    created_at: str = CREATED_AT
    updated_at: str = CREATED_AT
    created_user_id: str | None = None
    """set on properties made through the API (HubSpot-defined ones have none)."""
    updated_user_id: str | None = None
    option_values: frozenset[str] = field(default=frozenset(), init=False, compare=False,
                                          repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "option_values", frozenset(o.value for o in self.options))

    @property
    def is_boolean(self) -> bool:
        return self.type == "bool" or self.field_type == "booleancheckbox"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "label": self.label, "type": self.type,
            "fieldType": self.field_type, "groupName": self.group_name,
            "description": self.description, "options": [o.as_dict() for o in self.options],
            "displayOrder": self.display_order, "calculated": False, "externalOptions": False,
            "hasUniqueValue": self.has_unique_value, "hidden": False,
            "hubspotDefined": self.hubspot_defined, "formField": not self.read_only,
            "modificationMetadata": {"archivable": not self.hubspot_defined,
                                     "readOnlyDefinition": self.hubspot_defined,
                                     "readOnlyValue": self.read_only},
            "createdAt": self.created_at, "updatedAt": self.updated_at, "archived": False,
            "dataSensitivity": "non_sensitive",
            **({"createdUserId": self.created_user_id} if self.created_user_id else {}),
            **({"updatedUserId": self.updated_user_id} if self.updated_user_id else {}),
        }


class ValueProblem(Exception):
    """A written value HubSpot would refuse: ``code`` is HubSpot's ``error`` token."""

    def __init__(self, name: str, code: str, message: str) -> None:
        super().__init__(message)
        self.name, self.code, self.message = name, code, message

    def as_dict(self) -> dict[str, Any]:
        return {"isValid": False, "message": self.message, "error": self.code, "name": self.name}


def _options(values: str, labels: Mapping[str, str] | None = None) -> tuple[Option, ...]:
    names = values.split()
    return tuple(Option((labels or {}).get(v, v.replace("_", " ").title()), v, i)
                 for i, v in enumerate(names))


_BOOL = (Option("Yes", "true", 0), Option("No", "false", 1))
_CONVERSION = "conversioninformation"
_ANALYTICS = "analyticsinformation"
_QUAL = "lead_qualification"


def seeded_properties() -> list[PropertyDef]:
    """The portal's contact properties as seeded (docs/sandbox-data-model.md)."""
    p = PropertyDef
    text = [("email", "Email"), ("firstname", "First Name"), ("lastname", "Last Name"),
            ("company", "Company Name"), ("jobtitle", "Job Title"), ("phone", "Phone Number"),
            ("city", "City"), ("state", "State/Region"), ("website", "Website URL"),
            ("country", "Country/Region")]
    props = [p("hs_object_id", "Record ID", "number", "number", read_only=True,
               has_unique_value=True),
             p("createdate", "Create Date", "datetime", "date", read_only=True),
             p("lastmodifieddate", "Last Modified Date", "datetime", "date", read_only=True),
             p("hs_email_domain", "Email Domain", "string", "text", read_only=True)]
    props += [p(n, label, "string", "text", has_unique_value=n == "email") for n, label in text]
    props += [
        p("industry", "Industry", "enumeration", "select", options=_options(
            "COMPUTER_SOFTWARE FINANCIAL_SERVICES HOSPITAL_HEALTH_CARE RETAIL MANUFACTURING "
            "EDUCATION_MANAGEMENT MARKETING_AND_ADVERTISING INFORMATION_TECHNOLOGY_AND_SERVICES "
            "GOVERNMENT_ADMINISTRATION NON_PROFIT_ORGANIZATION_MANAGEMENT")),
        p("numemployees", "Number of Employees", "enumeration", "select",
          options=_options("1-5 5-25 25-50 50-100 100-500 500-1000 1000+")),
        p("annualrevenue", "Annual Revenue", "number", "number"),
        p("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", options=_options(
            "subscriber lead marketingqualifiedlead salesqualifiedlead opportunity customer "
            "evangelist other", {"marketingqualifiedlead": "Marketing Qualified Lead",
                                 "salesqualifiedlead": "Sales Qualified Lead"})),
        p("hs_lead_status", "Lead Status", "enumeration", "radio", options=_options(
            "NEW OPEN IN_PROGRESS OPEN_DEAL UNQUALIFIED ATTEMPTED_TO_CONTACT CONNECTED "
            "BAD_TIMING")),
        p("hs_analytics_source", "Original Source", "enumeration", "select", _ANALYTICS,
          read_only=True, options=_options(
              "ORGANIC_SEARCH PAID_SEARCH EMAIL_MARKETING SOCIAL_MEDIA REFERRALS "
              "OTHER_CAMPAIGNS DIRECT_TRAFFIC OFFLINE PAID_SOCIAL")),
        p("hs_analytics_num_page_views", "Number of Pageviews", "number", "number", _ANALYTICS,
          read_only=True),
        p("hs_analytics_num_visits", "Number of Sessions", "number", "number", _ANALYTICS,
          read_only=True),
        p("hs_analytics_last_visit_timestamp", "Time of Last Session", "datetime", "date",
          _ANALYTICS, read_only=True),
        p("num_conversion_events", "Number of Form Submissions", "number", "number",
          _CONVERSION, read_only=True),
        p("recent_conversion_event_name", "Recent Conversion", "string", "text", _CONVERSION,
          read_only=True),
        p("first_conversion_event_name", "First Conversion", "string", "text", _CONVERSION,
          read_only=True),
        p("recent_conversion_date", "Recent Conversion Date", "datetime", "date", _CONVERSION,
          read_only=True),
        p("first_conversion_date", "First Conversion Date", "datetime", "date", _CONVERSION,
          read_only=True),
        p("hs_email_click", "Marketing emails clicked", "number", "number", "emailinformation",
          read_only=True),
        p("hs_email_last_click_date", "Last marketing email click date", "datetime", "date",
          "emailinformation", read_only=True),
        p("hs_email_optout", "Unsubscribed from all email", "enumeration", "booleancheckbox",
          "emailinformation", options=_BOOL),
        p("hs_seniority", "Seniority", "enumeration", "select",
          options=_options("executive vp director manager employee student",
                           {"vp": "VP"})),
        p("hs_role", "Employment Role", "enumeration", "select", options=_options(
            "engineering finance it marketing operations sales hr other", {"it": "IT",
                                                                           "hr": "HR"})),
        p("hs_object_source", "Record source", "string", "text", read_only=True),
        p("hs_object_source_id", "Record source ID", "string", "text", read_only=True),
        p("hs_object_source_label", "Record source detail", "string", "text",
          read_only=True),
    ]
    custom = [
        p("purchase_timeline", "Purchase Timeline", "enumeration", "select",
          options=_options("this_quarter next_quarter this_year no_timeline")),
        p("budget_range", "Budget Range", "enumeration", "select",
          options=_options("under_10k 10k_50k 50k_100k over_100k unknown", {
              "under_10k": "Under $10k", "10k_50k": "$10k-$50k", "50k_100k": "$50k-$100k",
              "over_100k": "Over $100k"})),
        p("pain_point", "What problem are you trying to solve?", "string", "textarea"),
        p("pricing_page_views", "Pricing Page Views", "number", "number"),
        p("last_pricing_page_visit", "Last Pricing Page Visit", "datetime", "date"),
        p("demo_requested", "Demo Requested", "bool", "booleancheckbox", options=_BOOL),
    ]
    props += [replace(c, group_name=_QUAL, hubspot_defined=False) for c in custom]
    return [replace(prop, display_order=i) for i, prop in enumerate(props)]


class PropertyRegistry:
    """One object type's properties (the contacts' by default); thread-safe; custom ones can
    be added at run time."""

    def __init__(self, seeded: Callable[[], list[PropertyDef]] = seeded_properties) -> None:
        self._lock = threading.Lock()
        self._seeded = seeded
        self._props: dict[str, PropertyDef] = {}
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._props = {prop.name: prop for prop in self._seeded()}

    def get(self, name: str) -> PropertyDef | None:
        return self._props.get(name)

    def all(self) -> list[PropertyDef]:
        with self._lock:
            return list(self._props.values())

    def put(self, prop: PropertyDef) -> None:
        with self._lock:
            self._props[prop.name] = prop

    def remove(self, name: str) -> None:
        with self._lock:
            self._props.pop(name, None)

    def is_unique(self, name: str) -> bool:
        prop = self._props.get(name)
        return name in UNIQUE_ID_PROPERTIES or (prop is not None and prop.has_unique_value)

    def normalize(self, name: str, value: Any, *, trusted: bool = False) -> str | None:
        """The stored form of ``value`` for property ``name``; ``None`` clears it.

        ``trusted`` (in-process writes by tests and the simulated sales team) may set read-only
        properties. Raises ``ValueProblem`` for an unknown property or a refused value."""
        prop = self._props.get(name)
        if prop is None:
            raise ValueProblem(name, "PROPERTY_DOESNT_EXIST", f'Property "{name}" does not exist')
        if prop.read_only and not trusted:
            raise ValueProblem(name, "READ_ONLY_VALUE",
                               f"{name} is a read only property; its value cannot be set.")
        if value is None or value == "":
            return None
        return _coerce(prop, value)


def _coerce(prop: PropertyDef, value: Any) -> str:
    name = prop.name
    if prop.is_boolean:
        text = str(value).strip().lower()
        if text not in ("true", "false"):
            raise ValueProblem(name, "INVALID_BOOLEAN",
                               f"{value!r} is not a valid boolean; use true or false.")
        return text
    if isinstance(value, bool):
        value = "true" if value else "false"
    if prop.type == "enumeration":
        text = str(value)
        chosen = text.split(";") if prop.field_type == "checkbox" else [text]
        bad = [v for v in chosen if v not in prop.option_values]
        if bad:
            allowed = ", ".join(sorted(prop.option_values))
            raise ValueProblem(name, "INVALID_OPTION",
                               f"{bad[0]} was not one of the allowed options: [{allowed}]")
        return text
    if prop.type == "number":
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueProblem(name, "INVALID_DOUBLE",
                               f"{value} was not a valid number.") from None
        if not math.isfinite(number):
            raise ValueProblem(name, "INVALID_DOUBLE", f"{value} was not a valid number.")
        return str(int(number)) if number.is_integer() and abs(number) < 1e18 else repr(number)
    if prop.type in ("datetime", "date"):
        try:
            ms = parse_ms(value)
        except ValueError:
            raise ValueProblem(name, "INVALID_DATE",
                               f"{value} is not a valid date or datetime.") from None
        return to_iso(ms) if prop.type == "datetime" else iso_date(ms)
    text = str(value)
    if name == "email":
        text = text.strip().lower()
        local, at, domain = text.partition("@")
        if not (local and at and "." in domain and " " not in text and "@" not in domain):
            raise ValueProblem(name, "INVALID_EMAIL", f"Email address {value} is invalid")
    if len(text) > MAX_STRING:
        raise ValueProblem(name, "INVALID_STRING",
                           f"the value of {name} is {len(text)} characters long; "
                           f"the maximum is {MAX_STRING}.")
    return text

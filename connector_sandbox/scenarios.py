"""Ready-made contact states for tests and benchmarks that drive the sandbox."""

from __future__ import annotations

from datetime import datetime


def hot_lead_properties(cid: str, tag: str, at: datetime) -> dict[str, str]:
    """What a contact looks like right after a hand-raise: a VP at a 500-1000 software company
    in territory, business email, demo request and pricing visits at ``at``, timeline this
    quarter. The example definition grades it hot and hands it off."""
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {
        "email": f"{tag}-{cid}@northwind-analytics.example",
        "jobtitle": "VP of Revenue Operations", "hs_seniority": "vp", "hs_role": "operations",
        "country": "United States", "numemployees": "500-1000",
        "industry": "COMPUTER_SOFTWARE", "budget_range": "50k_100k",
        "purchase_timeline": "this_quarter", "demo_requested": "true",
        "recent_conversion_event_name": "Demo request", "recent_conversion_date": stamp,
        "pain_point": "We lose hours every week routing leads by hand from HubSpot to Salesforce",
        "pricing_page_views": "4", "last_pricing_page_visit": stamp,
        "hs_email_optout": "false", "lifecyclestage": "lead",
    }

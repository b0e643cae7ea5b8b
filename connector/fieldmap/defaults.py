"""Defaults for the mapping tools when no config is given: where the files are, what the pull
asks for (``connector.settings`` holds the list; a test keeps it equal to every contact property
of the sandbox portal in ``docs/sandbox-data-model.md``).
"""

from __future__ import annotations

from connector import settings

DEFAULT_LEAD_MAPPING = "mappings/lead.toml"
DEFAULT_FEEDBACK_MAPPING = "mappings/feedback.toml"
DEFAULT_DEFINITION = "mappings/qualification.toml"
DEFAULT_EXTERNAL_ID_FIELD = "HubSpot_Contact_Id__c"
#: Salesforce objects ``validate --live`` and ``setup`` describe.
DESCRIBED_OBJECTS: tuple[str, ...] = ("Lead", "Contact", "Opportunity")

#: What the pull asks for by default: the settings' list (one source of truth).
DEFAULT_PULLED_PROPERTIES: frozenset[str] = frozenset(settings.DEFAULT_PULLED_PROPERTIES)

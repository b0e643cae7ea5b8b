"""Lead handoff connector: HubSpot -> one shared qualification definition -> Salesforce, and back."""

__version__ = "0.1.0"

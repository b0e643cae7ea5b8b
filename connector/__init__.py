"""Lead handoff connector: HubSpot -> one shared qualification definition -> Salesforce."""

__version__ = "0.1.0"

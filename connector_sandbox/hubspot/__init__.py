"""A loopback simulator of HubSpot's CRM v3 contacts API, spoken to by the unmodified
``hubspot-api-client``. See ``simulator.py`` for the composition and ``docs/sandbox.md``.

    from connector_sandbox.hubspot import HubSpotSimulator, HubSpotSimConfig
"""

from .config import TIER_LIMITS, HubSpotSimConfig
from .simulator import HubSpotSimulator

__all__ = ["TIER_LIMITS", "HubSpotSimConfig", "HubSpotSimulator"]

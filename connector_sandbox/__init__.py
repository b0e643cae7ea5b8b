"""Loopback simulators of HubSpot CRM v3 and Salesforce REST, synthetic data, a sales team.

See ``docs/sandbox.md``. The simulators are real HTTP(S) servers spoken to by the unmodified SDKs.
"""

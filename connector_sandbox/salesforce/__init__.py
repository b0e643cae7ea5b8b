"""Loopback simulator of the Salesforce REST API (HTTPS, spoken to by unmodified simple-salesforce).

    from connector_sandbox.salesforce import (
        LoopbackSession, SalesforceSimConfig, SalesforceSimulator)

Modules: ``simulator`` (wiring), ``app`` (routing, auth gate, limits), ``rest_records`` /
``rest_collections`` / ``rest_query`` / ``rest_composite`` (handlers), ``auth`` (SOAP login,
OAuth, sessions), ``org`` / ``dml`` / ``payload`` / ``store`` (records, save semantics,
indexes), ``conversion``, ``soql_parse`` /
``soql_bind`` / ``soql_run`` (SOQL), ``catalog`` / ``schema`` (describe metadata), ``values``
(field validation), ``limits``, ``cursors``, ``seed``, ``admin``, ``loopback``.
"""

from .api_errors import RecordIssue, RecordRejected
from .config import SalesforceSimConfig, ValidationRule
from .loopback import LoopbackSession
from .simulator import SalesforceSimulator

__all__ = [
    "LoopbackSession",
    "RecordIssue",
    "RecordRejected",
    "SalesforceSimConfig",
    "SalesforceSimulator",
    "ValidationRule",
]

"""The SOQL the jobs need, written in one place with ``simple_salesforce.format_soql``: object
and field names are checked API names (``{:literal}``), values are quoted by ``format_soql``.
Jobs ask for "Leads changed since T", they never write SOQL themselves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from simple_salesforce import format_soql

from connector.errors import FatalError

_API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_FIELD_PATH = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*")


def api_name(name: str) -> str:
    """SOQL identifiers (object and field names) come from config: allow only API names."""
    if not _API_NAME.fullmatch(name):
        raise FatalError(f"not a Salesforce API name: {name!r}", system="salesforce",
                         code="BAD_NAME")
    return name


def field_list(fields: Sequence[str]) -> str:
    """``A, B, Owner.Name``: API names or relationship paths of them, comma separated."""
    for name in fields:
        if not _FIELD_PATH.fullmatch(name):
            raise FatalError(f"not a Salesforce field name: {name!r}", system="salesforce",
                             code="BAD_NAME")
    if not fields:
        raise FatalError("a SOQL query needs at least one field", system="salesforce",
                         code="BAD_NAME")
    return ", ".join(fields)


def changed_leads(fields: Sequence[str], external_id_field: str, since: datetime) -> str:
    """Our Leads (those with the external id set) modified at or after ``since``, oldest first."""
    return format_soql(
        "SELECT {:literal} FROM Lead WHERE {:literal} != null AND SystemModstamp >= {} "
        "ORDER BY SystemModstamp, Id", field_list(fields), api_name(external_id_field), since)


def changed_opportunities(fields: Sequence[str], since: datetime) -> str:
    """Opportunities modified at or after ``since``, oldest first."""
    return format_soql(
        "SELECT {:literal} FROM Opportunity WHERE SystemModstamp >= {} "
        "ORDER BY SystemModstamp, Id", field_list(fields), since)

"""The live schema source of ``validate --live`` and ``setup``, built from a command's
arguments (the ``SchemaSource`` protocol itself is pure and lives in ``fieldmap``)."""

from __future__ import annotations

import argparse

from connector.connections import LiveSchemaSource
from connector.fieldmap.schema_source import SchemaSource
from connector.settings import load_settings


def live_schema_source(args: argparse.Namespace) -> SchemaSource:
    """The schema source of the configured HubSpot portal and Salesforce org."""
    return LiveSchemaSource(load_settings(getattr(args, "config", None)))

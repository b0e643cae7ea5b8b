"""Start both simulators together, seeded, on loopback, and describe how to reach them.

``start_sandbox`` is what ``connector sandbox``, ``connector demo``, the pytest fixtures and the
benchmarks use. It writes ``endpoints.json`` into the work folder so that other processes
(``connector handoff`` in sandbox mode, a daemon) can find the running simulators. The
credentials are the simulators' example credentials, not secrets of any real system.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from connector_sandbox.hubspot import HubSpotSimConfig, HubSpotSimulator
from connector_sandbox.import_contacts import ImportReport, import_contacts
from connector_sandbox.salesforce import SalesforceSimConfig, SalesforceSimulator
from connector_sandbox.server import ServedApp, TestCA, serve_in_thread
from connector_sandbox.synthetic import people_from_contacts

ENDPOINTS_FILE = "endpoints.json"


@dataclass(frozen=True)
class SandboxEndpoints:
    """How to reach a running sandbox. Everything here is a sandbox example value."""

    hubspot_url: str
    hubspot_token: str
    salesforce_url: str
    ca_file: str
    sf_username: str
    sf_password: str
    sf_security_token: str
    sf_consumer_key: str
    sf_client_secret: str
    sf_private_key_file: str
    sf_external_id_field: str

    def write(self, workdir: Path) -> Path:
        workdir.mkdir(parents=True, exist_ok=True)
        path = workdir / ENDPOINTS_FILE
        path.write_text(json.dumps(asdict(self), indent=2))
        return path

    @classmethod
    def read(cls, workdir: Path) -> SandboxEndpoints:
        return cls(**json.loads((workdir / ENDPOINTS_FILE).read_text()))


@dataclass
class Sandbox:
    hubspot: HubSpotSimulator
    salesforce: SalesforceSimulator
    endpoints: SandboxEndpoints
    servers: tuple[ServedApp, ...]
    workdir: Path
    imported: ImportReport | None = None  # what ``contacts_file`` loaded

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        (self.workdir / ENDPOINTS_FILE).unlink(missing_ok=True)

    def reset_counters(self) -> None:
        self.hubspot.counter.reset()
        self.salesforce.counter.reset()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_sandbox(
    workdir: Path,
    *,
    seed: int = 7,
    contacts: int = 2_000,
    existing_leads: int = 60,
    existing_contacts: int = 40,
    hubspot_port: int = 0,
    salesforce_port: int = 0,
    search_lag_s: float = 0.0,
    rate_limits: bool = True,
    hubspot_tier: Literal["free", "starter", "pro", "enterprise"] = "pro",
    daily_api_limit: int = 100_000,
    external_id_field: str = "HubSpot_Contact_Id__c",
    clock: Callable[[], datetime] | None = None,
    seed_start: datetime | None = None,
    contacts_file: str | os.PathLike[str] | None = None,
) -> Sandbox:
    """Start both simulators seeded with ``contacts`` HubSpot contacts and an org that already
    holds some of them as Leads and Contacts (the duplicates a real org has). With
    ``contacts_file`` the portal also holds your own contacts (``import_contacts``): pass
    ``contacts=0`` and no existing Leads / Contacts to calibrate on them alone."""
    workdir.mkdir(parents=True, exist_ok=True)
    tls = TestCA.create(workdir / "tls")
    hubspot = HubSpotSimulator(HubSpotSimConfig(
        tier=hubspot_tier, rate_limits=rate_limits, search_lag_s=search_lag_s, clock=clock,
        seed=seed))
    salesforce = SalesforceSimulator(SalesforceSimConfig(
        external_id_field=external_id_field, daily_api_limit=daily_api_limit, clock=clock,
        seed=seed))
    if contacts:
        hubspot.seed_contacts(contacts, seed=seed, start=seed_start)
    imported = import_contacts(hubspot, contacts_file) if contacts_file is not None else None
    if existing_leads or existing_contacts:
        people = people_from_contacts(
            (hubspot.contacts.get(cid) or {} for cid in hubspot.contacts.all_ids()),
            existing_leads + existing_contacts, seed)
        salesforce.seed_org(people, leads=existing_leads, contacts=existing_contacts, seed=seed)
    key_file = workdir / "sf-jwt-private-key.pem"
    key_file.write_text(salesforce.jwt_private_key_pem)
    key_file.chmod(0o600)
    hs_server = serve_in_thread(hubspot.app, port=hubspot_port, name="hubspot-sandbox")
    sf_server = serve_in_thread(salesforce.app, port=salesforce_port, tls=tls,
                                name="salesforce-sandbox")
    cfg = salesforce.config
    endpoints = SandboxEndpoints(
        hubspot_url=hs_server.url, hubspot_token=hubspot.config.token,
        salesforce_url=sf_server.url, ca_file=str(tls.ca_file),
        sf_username=cfg.username, sf_password=cfg.password,
        sf_security_token=cfg.security_token, sf_consumer_key=cfg.consumer_key,
        sf_client_secret=cfg.client_secret, sf_private_key_file=str(key_file),
        sf_external_id_field=external_id_field)
    endpoints.write(workdir)
    return Sandbox(hubspot, salesforce, endpoints, (hs_server, sf_server), workdir, imported)

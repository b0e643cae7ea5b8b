"""What the Salesforce simulator tests share: a served simulator with client builders, and
payload helpers."""

from __future__ import annotations

import gc
import ssl
from dataclasses import dataclass, field
from typing import Any

import httpx
import requests
from simple_salesforce import Salesforce

from connector_sandbox.salesforce import LoopbackSession, SalesforceSimulator
from connector_sandbox.salesforce.ids import to18
from connector_sandbox.server import ServedApp, TestCA

# simple-salesforce types ``sf.Lead`` as ``SFType | SFBulkType | SFBulk2Type`` (its __getattr__)
# and ``restful`` as ``Any | None``; tests use the client attribute-style, so they see it as Any.
Client = Any
EXT = "HubSpot_Contact_Id__c"
UPSERT = f"composite/sobjects/Lead/{EXT}"


def lead(i: int | str, **extra: Any) -> dict[str, Any]:
    """A valid Lead for a collection call (``attributes`` included)."""
    body: dict[str, Any] = {"attributes": {"type": "Lead"}, EXT: f"hs-{i}", "FirstName": "Ada",
                            "LastName": f"Lovelace {i}", "Company": "Analytical Engines",
                            "Email": f"ada{i}@engines.example"}
    body.update(extra)
    return body


def codes(result: dict[str, Any]) -> list[str]:
    """The statusCodes of one collection result."""
    return [e["statusCode"] for e in result["errors"]]


def unused_id(prefix: str) -> str:
    """A well-formed 18-character id of ``prefix``'s type that no record has."""
    full = to18(f"{prefix}Dn000000ZZZZ")
    assert full is not None
    return full


def content(error: BaseException) -> Any:
    """The parsed body simple-salesforce keeps on ``SalesforceError`` (typed there as bytes)."""
    return getattr(error, "content")  # noqa: B009


@dataclass
class SfSandbox:
    sim: SalesforceSimulator
    served: ServedApp
    ca: TestCA
    sessions: list[requests.Session] = field(default_factory=list)
    """Every client session handed out; closed before the server stops (an idle keep-alive
    TLS connection would otherwise hold uvicorn's graceful shutdown for seconds)."""

    @property
    def url(self) -> str:
        return self.served.url

    @property
    def ca_file(self) -> str:
        return str(self.ca.ca_file)

    def session(self) -> requests.Session:
        session = requests.Session()
        session.verify = self.ca_file
        session.trust_env = False
        self.sessions.append(session)
        return session

    def direct(self, token: str | None = None) -> Any:
        """A direct-session client (no credentials: it cannot re-login)."""
        return Salesforce(instance_url=self.url, session_id=token or self.sim.issue_session(),
                          session=self.session())

    def loopback(self) -> LoopbackSession:
        session = LoopbackSession(self.url, ca_file=self.ca_file)
        self.sessions.append(session)
        return session

    def stop(self) -> None:
        for session in self.sessions:
            session.close()
        gc.collect()  # sockets of responses cut by injected drops are closed on collection
        self.served.stop()

    def soap_client(self) -> Any:
        cfg = self.sim.config
        return Salesforce(username=cfg.username, password=cfg.password,
                          security_token=cfg.security_token, session=self.loopback())

    def jwt_client(self) -> Any:
        cfg = self.sim.config
        return Salesforce(username=cfg.username, consumer_key=cfg.consumer_key,
                          privatekey=self.sim.jwt_private_key_pem, session=self.loopback())

    def admin(self) -> httpx.Client:
        context = ssl.create_default_context(cafile=self.ca_file)
        return httpx.Client(base_url=self.url, verify=context, trust_env=False)

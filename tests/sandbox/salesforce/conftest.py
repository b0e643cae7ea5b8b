"""Fixtures for the Salesforce simulator tests: one simulator served over real TLS per module,
reset before each test, and clients built the way the connector builds them (unmodified
simple-salesforce on a ``requests.Session`` that trusts the test CA, ``trust_env = False``)."""

from __future__ import annotations

import gc
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
from simple_salesforce import Salesforce

from connector.sandbox.salesforce import LoopbackSession, SalesforceSimConfig, SalesforceSimulator
from connector.sandbox.server import ServedApp, TestCA, serve_in_thread


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


@pytest.fixture(scope="session")
def sf_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA.create(tmp_path_factory.mktemp("sf-tls"))


@pytest.fixture(scope="session")
def sf_factory(sf_ca: TestCA) -> Iterator[Callable[..., SfSandbox]]:
    """Start extra simulators with their own config; all stopped at the end of the session."""
    started: list[SfSandbox] = []

    def make(**config: Any) -> SfSandbox:
        sim = SalesforceSimulator(SalesforceSimConfig(**config))
        box = SfSandbox(sim, serve_in_thread(sim.app, tls=sf_ca, name="sf-test"), sf_ca)
        started.append(box)
        return box

    yield make
    for box in started:
        box.stop()


@pytest.fixture(scope="session")
def sf_shared(sf_factory: Callable[..., SfSandbox]) -> SfSandbox:
    return sf_factory()


@pytest.fixture
def sfx(sf_shared: SfSandbox) -> SfSandbox:
    """The shared simulator, reset to a fresh org for this test."""
    sf_shared.sim.reset()
    return sf_shared


@pytest.fixture
def sf(sfx: SfSandbox) -> Any:
    """A direct-session simple-salesforce client on the fresh simulator."""
    return sfx.direct()


"""Fixtures for the Salesforce simulator tests: one simulator served over real TLS for the
session, reset before each test (``sfx``), extra ones with their own config (``sf_factory``), and a
direct-session simple-salesforce client (``sf``). Client builders live in ``helpers.SfSandbox``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from connector_sandbox.salesforce import SalesforceSimConfig, SalesforceSimulator
from connector_sandbox.server import TestCA, serve_in_thread

from .helpers import SfSandbox


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


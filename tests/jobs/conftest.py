"""Helpers for the handoff end-to-end tests: a seeded sandbox, settings, a job context, and
the expected outcome computed independently by qualifying every seeded contact."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connector.connections import LiveSchemaSource
from connector.fieldmap.provision import run_setup
from connector.jobs.context import JobContext, build_context, load_rules
from connector.qualification import qualify
from connector.records import Contact
from connector.settings import HandoffSettings, SandboxSettings, Settings, StoreSettings
from connector_sandbox.runner import Sandbox, start_sandbox

ROOT = Path(__file__).resolve().parents[2]
EXT = "HubSpot_Contact_Id__c"


def make_settings(sandbox: Sandbox, store_url: str, **handoff: Any) -> Settings:
    return Settings(store=StoreSettings(url=store_url),
                    sandbox=SandboxSettings(workdir=str(sandbox.workdir)),
                    handoff=replace(HandoffSettings(), **handoff), base_dir=str(ROOT))


def setup_portal(sandbox: Sandbox, settings: Settings) -> None:
    """``connector setup``: create the HubSpot properties the connector writes back."""
    _, lead, feedback = load_rules(settings)
    outcome = run_setup(LiveSchemaSource(settings, endpoints=sandbox.endpoints), [lead, feedback],
                        external_id_field=EXT)
    assert not [p for p in outcome.problems if p.severity == "error"]


def context(sandbox: Sandbox, settings: Settings, **kw: Any) -> JobContext:
    return build_context(settings, endpoints=sandbox.endpoints, **kw)


def qualified_ids(sandbox: Sandbox, settings: Settings, now: datetime | None = None) -> set[str]:
    definition, _, _ = load_rules(settings)
    now = now or datetime.now(UTC)
    out = set()
    for cid in sandbox.hubspot.contacts.all_ids():
        props = sandbox.hubspot.contacts.get(cid) or {}
        if qualify(Contact(cid, props), definition, now).qualified:
            out.add(cid)
    return out


def org_leads(sandbox: Sandbox) -> list[dict[str, Any]]:
    return sandbox.salesforce.org.query(f"SELECT Id, Email, {EXT} FROM Lead")


def sf_writes(sandbox: Sandbox) -> int:
    """Record writes only (logins and Composite reads are POSTs too, but write nothing)."""
    counter = sandbox.salesforce.counter
    return sum(counter.total(f"{verb} /services/data/*/{kind}*") for verb in ("POST", "PATCH",
               "DELETE") for kind in ("sobjects", "composite/sobjects"))


def hs_writes(sandbox: Sandbox) -> int:
    return sandbox.hubspot.counter.total("POST /crm/v3/objects/contacts/batch/update") + \
        sandbox.hubspot.counter.total("PATCH *")


@dataclass
class World:
    sandbox: Sandbox
    settings: Settings
    tmp: Path

    def ctx(self, **kw: Any) -> JobContext:
        return context(self.sandbox, self.settings, **kw)


# what the ``world_factory`` fixture yields: ``make(contacts=..., seed=..., **sandbox_kw)``
WorldFactory = Callable[..., World]


@pytest.fixture
def world_factory(tmp_path: Path) -> Iterator[WorldFactory]:
    started: list[Sandbox] = []

    def make(contacts: int = 1500, seed: int = 5, **kw: Any) -> World:
        sandbox = start_sandbox(tmp_path / f"sb{len(started)}", seed=seed, contacts=contacts,
                                existing_leads=kw.pop("existing_leads", 40),
                                existing_contacts=kw.pop("existing_contacts", 30),
                                rate_limits=kw.pop("rate_limits", False), **kw)
        started.append(sandbox)
        settings = make_settings(sandbox, f"sqlite:///{tmp_path / f'state{len(started)}.db'}")
        setup_portal(sandbox, settings)
        sandbox.reset_counters()
        return World(sandbox, settings, tmp_path)

    yield make
    for sandbox in started:
        sandbox.stop()


def world_config(world: World, path: Path, extra: str = "") -> Path:
    """A config file for running ``connector`` as a process against ``world``: its store, its
    sandbox, the shipped mappings, then ``extra`` (more TOML sections)."""
    path.write_text(f"""
[store]
url = "{world.settings.store.url}"
[sandbox]
workdir = "{world.sandbox.workdir}"
[mappings]
qualification = "{ROOT / 'mappings/qualification.toml'}"
lead = "{ROOT / 'mappings/lead.toml'}"
feedback = "{ROOT / 'mappings/feedback.toml'}"
""" + extra)
    return path

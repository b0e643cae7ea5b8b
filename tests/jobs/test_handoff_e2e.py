"""The handoff job end to end against the sandbox, through the unmodified SDKs over loopback."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connector.jobs.context import JobContext
from connector.jobs.handoff import HandoffJob, HandoffReport
from tests.jobs.conftest import (
    EXT,
    World,
    WorldFactory,
    hs_writes,
    org_leads,
    qualified_ids,
    sf_writes,
)


def seed_duplicates(world: World, qualified: set[str], leads: int, contacts: int) -> list[str]:
    """Put some *qualified* contacts into the org already (as Leads and Contacts without our
    external id), the duplicates a real org has. Returns their HubSpot ids."""
    chosen = sorted(qualified)[: leads + contacts]
    people = []
    for cid in chosen:
        p = world.sandbox.hubspot.contacts.get(cid) or {}
        people.append({k: p.get(k) or "" for k in
                       ("email", "firstname", "lastname", "company", "jobtitle", "phone")})
    world.sandbox.salesforce.seed_org(people[:leads], leads=leads, contacts=0, seed=1)
    world.sandbox.salesforce.seed_org(people[leads:], leads=0, contacts=contacts, seed=2)
    return chosen


# world, its context, the first run's report, the qualified ids, the seeded duplicates' ids and
# the org's Leads before that run
BigWorld = tuple[World, JobContext, HandoffReport, set[str], list[str], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def big_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BigWorld]:
    """10k seeded contacts, with existing Leads and Contacts sharing emails with qualified
    contacts, after one full handoff run."""
    from connector_sandbox.runner import start_sandbox
    from tests.jobs.conftest import make_settings, setup_portal

    tmp = tmp_path_factory.mktemp("big")
    sandbox = start_sandbox(tmp / "sb", seed=21, contacts=10_000, existing_leads=50,
                            existing_contacts=40, rate_limits=False)
    settings = make_settings(sandbox, f"sqlite:///{tmp / 'state.db'}")
    setup_portal(sandbox, settings)
    world = World(sandbox, settings, tmp)
    expected = qualified_ids(sandbox, settings)
    seeded = seed_duplicates(world, expected, leads=6, contacts=6)
    before_leads = org_leads(sandbox)
    sandbox.reset_counters()
    ctx = world.ctx()
    report = HandoffJob(ctx).run()
    yield world, ctx, report, expected, seeded, before_leads
    ctx.store.close()
    sandbox.stop()


def test_hands_off_exactly_what_the_definition_says(big_world: BigWorld) -> None:
    world, ctx, report, expected, _, _ = big_world
    assert report.status == "succeeded"
    ledger = ctx.store.ledger_for(sorted(expected))
    assert set(ledger) == expected
    assert report.counts["qualified"] - report.counts["unchanged"] == len(expected)
    outcomes = Counter(e.outcome for e in ledger.values())
    assert sum(outcomes.values()) == len(expected)
    assert report.counts["failed"] == 0
    assert ctx.store.get_cursor("handoff") is not None


def test_no_lead_is_duplicated(big_world: BigWorld) -> None:
    world, _, _, expected, _, _ = big_world
    leads = org_leads(world.sandbox)
    by_ext = Counter(r[EXT] for r in leads if r.get(EXT))
    assert by_ext and max(by_ext.values()) == 1
    by_email = Counter((r.get("Email") or "").lower() for r in leads if r.get(EXT))
    assert max(by_email.values()) == 1
    assert set(by_ext) <= expected


def test_existing_contact_and_adopted_lead_paths(big_world: BigWorld) -> None:
    world, ctx, _, _, seeded, before = big_world
    ledger = ctx.store.ledger_for(seeded)
    adopted = [cid for cid in seeded[:6] if ledger[cid].outcome == "adopted"]
    existing = [cid for cid in seeded[6:] if ledger[cid].outcome == "existing_contact"]
    assert len(adopted) == 6 and len(existing) == 6
    before_ids = {r["Id"] for r in before}
    for cid in adopted:  # stamped with our id, no second Lead for that email
        entry = ledger[cid]
        assert entry.salesforce_id in before_ids
        assert entry.salesforce_id is not None  # implied by the line above (ids are strings)
        lead = world.sandbox.salesforce.org.get("Lead", entry.salesforce_id)
        assert lead and lead[EXT] == cid
        email = entry.email
        assert sum(1 for r in org_leads(world.sandbox)
                   if (r.get("Email") or "").lower() == email) == 1
    for cid in existing:  # no Lead was created for a known Contact
        entry = ledger[cid]
        assert entry.salesforce_object == "Contact"
        assert not [r for r in org_leads(world.sandbox) if r.get(EXT) == cid]


def test_receipt_written_back_to_hubspot_and_salesforce(big_world: BigWorld) -> None:
    world, ctx, _, expected, _, _ = big_world
    cid = sorted(expected)[-1]
    entry = ctx.store.ledger_for([cid])[cid]
    props = world.sandbox.hubspot.contacts.get(cid) or {}
    assert props["sf_lead_id"] == entry.salesforce_id
    assert props["handoff_grade"] == entry.snapshot.grade
    assert props["handoff_definition_version"] == entry.snapshot.version
    if entry.salesforce_object == "Lead":
        lead = world.sandbox.salesforce.org.get("Lead", entry.salesforce_id) or {}
        assert lead.get("Handoff_Grade__c") == entry.snapshot.grade
        assert lead.get("Qualification_Version__c") == entry.snapshot.version


def test_second_run_makes_zero_salesforce_writes(big_world: BigWorld) -> None:
    world, ctx, _, _, _, _ = big_world
    world.sandbox.reset_counters()
    report = HandoffJob(ctx).run()
    assert report.status == "succeeded"
    assert sf_writes(world.sandbox) == 0
    assert hs_writes(world.sandbox) == 0
    assert report.counts["created"] == report.counts["updated"] == 0


def test_dry_run_writes_nothing_anywhere(world_factory: WorldFactory) -> None:
    world = world_factory(contacts=1500)
    ctx = world.ctx()
    report = HandoffJob(ctx).run(dry_run=True)
    assert report.counts["would_create"] > 0
    assert sf_writes(world.sandbox) == 0 and hs_writes(world.sandbox) == 0
    assert ctx.store.get_cursor("handoff") is None
    assert not ctx.store.recent_runs()
    assert not ctx.store.ledger_for(qualified_ids(world.sandbox, world.settings))
    created = [i for i in report.items if i.action == "create"]
    assert created and created[0].diff["LastName"][0] is None


def test_dry_run_shows_field_level_diff_for_updates(world_factory: WorldFactory) -> None:
    world = world_factory(contacts=1500)
    ctx = world.ctx()
    HandoffJob(ctx).run()
    cid = sorted(qualified_ids(world.sandbox, world.settings))[0]
    world.sandbox.hubspot.contacts.update(cid, {"jobtitle": "Chief Revenue Officer"})
    world.sandbox.reset_counters()
    report = HandoffJob(ctx).run(dry_run=True)
    item = next(i for i in report.items if i.contact_id == cid)
    assert item.action == "update"
    assert item.diff["Title"][1] == "Chief Revenue Officer"
    assert sf_writes(world.sandbox) == 0


def test_rejected_record_dead_letters_then_succeeds_after_mapping_fix(
        world_factory: WorldFactory, tmp_path: Path) -> None:
    world = world_factory(contacts=1500)
    lead_toml = (Path(world.settings.base_dir) / "mappings/lead.toml").read_text()
    broken = tmp_path / "lead-broken.toml"
    # a picklist value Salesforce's restricted Purchase_Timeline__c does not have
    broken.write_text(lead_toml.replace('this_quarter = "This Quarter"',
                                        'this_quarter = "ASAP"'))
    from dataclasses import replace

    settings = replace(world.settings, mappings=replace(world.settings.mappings,
                                                        lead=str(broken)))
    world.settings = settings
    ctx = world.ctx()
    report = HandoffJob(ctx).run()
    letters = list(ctx.store.iter_dead_letters(job="handoff"))
    assert report.counts["failed"] == len(letters) > 0
    assert {d.error_code for d in letters} == {"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"}
    assert all("Purchase_Timeline__c" in d.fields for d in letters)
    # the admin fixes the mapping and replays
    broken.write_text(lead_toml)
    ctx2 = world.ctx()
    retry = HandoffJob(ctx2).retry_dead_letters()
    assert retry.counts["failed"] == 0
    assert sum(retry.counts[k] for k in ("created", "updated", "adopted", "existing_contact")) \
        == len(letters)
    assert not list(ctx2.store.iter_dead_letters(job="handoff"))
    for d in letters:
        assert [r for r in org_leads(world.sandbox) if r.get(EXT) == d.record_key]


def test_unrestricted_status_is_checked_by_the_connector_and_dead_letters(
        world_factory: WorldFactory, tmp_path: Path) -> None:
    """Lead.Status is an unrestricted picklist (a default org stores any text there): the
    connector checks a mapped value against describe's values itself, dead-letters the records
    without writing them, and a replay after the fix goes through."""
    world = world_factory(contacts=1500)
    lead_toml = (Path(world.settings.base_dir) / "mappings/lead.toml").read_text()
    mapping = tmp_path / "lead-status.toml"
    mapping.write_text(lead_toml + '\n[fields.status]\ntarget = "Status"\n'
                       'constant = "Qualified"\nsync = "create_only"\n')
    from dataclasses import replace

    world.settings = replace(world.settings, mappings=replace(world.settings.mappings,
                                                              lead=str(mapping)))
    ctx = world.ctx()
    report = HandoffJob(ctx).run()
    letters = list(ctx.store.iter_dead_letters(job="handoff"))
    assert report.counts["failed"] == len(letters) > 0
    assert {d.error_code for d in letters} == {"INVALID_PICKLIST_VALUE"}
    assert all(d.fields == ("Status",) for d in letters)
    statuses = lead_statuses(world)
    assert "Qualified" not in statuses.values()
    assert not set(statuses) & {d.record_key for d in letters}  # none of them was written
    mapping.write_text(mapping.read_text().replace('"Qualified"', '"Working - Contacted"'))
    ctx2 = world.ctx()
    retry = HandoffJob(ctx2).retry_dead_letters()
    assert retry.counts["failed"] == 0
    assert not list(ctx2.store.iter_dead_letters(job="handoff"))
    statuses = lead_statuses(world)
    assert {statuses[d.record_key] for d in letters} == {"Working - Contacted"}


def lead_statuses(world: World) -> dict[str, str]:
    rows = world.sandbox.salesforce.org.query(f"SELECT {EXT}, Status FROM Lead")
    return {str(r[EXT]): str(r["Status"]) for r in rows if r.get(EXT)}


def test_too_long_value_dead_letters_with_field_name(world_factory: WorldFactory,
                                                     tmp_path: Path) -> None:
    world = world_factory(contacts=1500)
    cid = sorted(qualified_ids(world.sandbox, world.settings))[0]
    world.sandbox.hubspot.contacts.update(cid, {"jobtitle": "VP " + "x" * 200})
    lead_toml = (Path(world.settings.base_dir) / "mappings/lead.toml").read_text()
    no_truncate = tmp_path / "lead.toml"
    no_truncate.write_text(lead_toml.replace('target = "Title"\ntransforms = ["trim", "truncate"]',
                                             'target = "Title"\ntransforms = ["trim"]'))
    from dataclasses import replace

    world.settings = replace(world.settings, mappings=replace(world.settings.mappings,
                                                              lead=str(no_truncate)))
    ctx = world.ctx()
    HandoffJob(ctx).run()
    letter = next(d for d in ctx.store.iter_dead_letters(job="handoff") if d.record_key == cid)
    assert letter.error_code == "STRING_TOO_LONG" and "Title" in letter.fields

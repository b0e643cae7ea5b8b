"""Receipts after a crash equal a clean run's; one Lead per email within a batch, whatever the
letter case; control characters never reach Salesforce."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connector.errors import RetriableError
from connector.jobs.context import load_rules
from connector.jobs.control_chars import strip_control
from connector.jobs.handoff import HandoffJob, HandoffReport
from connector.jobs.handoff_batch import HandoffBatch, dedup_new_leads
from connector.jobs.handoff_plan import ActionKind, Planned, Target
from connector.qualification import qualify
from connector.records import Contact
from connector.settings import Settings
from connector_sandbox.faults import FaultRule
from tests.jobs.conftest import EXT, ROOT, World, WorldFactory, org_leads


def outcomes(world: World) -> dict[str, str]:
    ctx = world.ctx()
    ids = world.sandbox.hubspot.contacts.all_ids()
    return {cid: e.outcome for cid, e in ctx.store.ledger_for(ids).items()}


def receipts(world: World) -> dict[str, str]:
    contacts = world.sandbox.hubspot.contacts
    return {cid: str((contacts.get(cid) or {}).get("handoff_status"))
            for cid in contacts.all_ids() if (contacts.get(cid) or {}).get("handoff_status")}


def test_receipts_after_a_crash_between_push_and_commit_equal_a_clean_runs(
        world_factory: WorldFactory) -> None:
    clean = world_factory(contacts=400, seed=8)
    assert HandoffJob(clean.ctx()).run().status == "succeeded"
    crashed = world_factory(contacts=400, seed=8)
    # every write-back fails: the first batch's Leads are created / adopted in Salesforce, then
    # the run stops before its commit (as a crash there would)
    crashed.sandbox.hubspot.faults.add(FaultRule(
        match="POST /crm/v3/objects/contacts/batch/update", error_rates={503: 1.0}))
    crashed.settings = replace(crashed.settings,
                               hubspot=replace(crashed.settings.hubspot, max_attempts=1))
    with pytest.raises(RetriableError):
        HandoffJob(crashed.ctx()).run()
    assert org_leads(crashed.sandbox) and not outcomes(crashed)  # pushed, nothing committed
    crashed.sandbox.hubspot.faults.clear()
    assert HandoffJob(crashed.ctx()).run().status == "succeeded"
    assert set(outcomes(clean).values()) >= {"created", "adopted"}
    assert outcomes(crashed) == outcomes(clean)
    assert receipts(crashed) == receipts(clean)


NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _planned(cid: str, email: str, kind: ActionKind = "create") -> Planned:
    contact = Contact(cid, {"email": email})
    definition = load_rules(Settings(base_dir=str(ROOT)))[0]
    return Planned(contact, qualify(contact, definition, NOW), Target(kind), "key",
                   {"Email": email})


def test_dedup_compares_emails_case_insensitively() -> None:
    planned = [_planned("1", "Dup@Example.com"), _planned("2", "dup@example.COM "),
               _planned("3", "other@example.com"), _planned("4", "DUP@example.com", "update")]
    kept, failures = dedup_new_leads(planned, [])
    assert [p.contact.id for p in kept] == ["1", "3", "4"]
    assert [(f.record_key, f.error_code) for f in failures] == [
        ("2", "EMAIL_OWNED_BY_OTHER_CONTACT")]


def test_two_case_variants_in_one_batch_make_one_lead(world_factory: WorldFactory) -> None:
    world = world_factory(contacts=200)
    ctx = world.ctx()
    batch = HandoffBatch(ctx)
    batch.use_schema(ctx.salesforce.describe("Lead"))
    job = HandoffJob(ctx)
    contacts = world.sandbox.hubspot.contacts
    qualified = []
    for cid in contacts.all_ids():
        contact = Contact(cid, dict(contacts.get(cid) or {}))
        decision = job._qualify(contact)
        if decision.qualified and not org_leads_with_email(world, contact.email):
            qualified.append((contact, decision))
        if len(qualified) == 2:
            break
    (a, da), (b, db) = qualified
    # HubSpot keeps emails unique; a mapping or an import can still hand two case variants over
    b = Contact(b.id, {**b.properties, "email": str(a.properties["email"]).upper()})
    report = HandoffReport(None, False, NOW)
    batch.process([(a, da), (b, db)], report, dry_run=False, force=False, cursor=None)
    same = org_leads_with_email(world, a.email)
    assert len(same) == 1 and same[0][EXT] == a.id
    dead = list(ctx.store.iter_dead_letters(job="handoff"))
    assert [(d.record_key, d.error_code) for d in dead] == [
        (b.id, "EMAIL_OWNED_BY_OTHER_CONTACT")]


def org_leads_with_email(world: World, email: str | None) -> list[dict[str, object]]:
    return [r for r in org_leads(world.sandbox)
            if email and str(r.get("Email") or "").casefold() == email.casefold()]


@given(st.text())
def test_strip_control_leaves_no_control_character(text: str) -> None:
    out = strip_control(text)
    assert all(ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in out)
    assert strip_control(out) == out
    out.encode("utf-8")  # always encodable: never a lone surrogate


def test_control_characters_and_nul_never_reach_salesforce(world_factory: WorldFactory) -> None:
    world = world_factory(contacts=200)
    contacts = world.sandbox.hubspot.contacts
    ctx = world.ctx()
    job = HandoffJob(ctx)
    target = next(cid for cid in contacts.all_ids()
                  if job._qualify(Contact(cid, dict(contacts.get(cid) or {}))).qualified)
    contacts.update(target, {"firstname": "An\x00n\x07a", "company": "Acme\x1b Corp\x7f"})
    assert "\x00" in str((contacts.get(target) or {})["firstname"])
    report = job.run()
    assert report.status == "succeeded" and report.counts["control_chars_stripped"] >= 2
    lead = world.sandbox.salesforce.org.query(
        f"SELECT FirstName, Company FROM Lead WHERE {EXT} = '{target}'")
    assert [(r["FirstName"], r["Company"]) for r in lead] == [("Anna", "Acme Corp")]

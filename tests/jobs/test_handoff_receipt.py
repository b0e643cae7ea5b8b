"""The receipt the handoff writes back to HubSpot goes through ``mappings/receipt.toml``: the
shipped mapping writes what the handoff always wrote; an admin can rename or drop a property;
a bad file is a config error naming file and key."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connector.connections import LiveSchemaSource
from connector.datetimes import to_hubspot_datetime
from connector.errors import ConfigError
from connector.fieldmap import apply, load_mapping
from connector.fieldmap.provision import run_setup
from connector.jobs.context import load_all_rules
from connector.jobs.handoff import HandoffJob
from connector.jobs.handoff_batch import receipt_source, snapshot_of
from connector.qualification import Decision
from connector.settings import Settings
from connector.store import Handoff
from tests.jobs.conftest import EXT, ROOT, WorldFactory, qualified_ids

RECEIPT = ROOT / "mappings" / "receipt.toml"
AT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def decision(score: float, grade: str = "hot", version: str = "2026.1") -> Decision:
    return Decision(contact_id="c1", qualified=True, grade=grade, score=score, fit_score=score,
                    engagement_score=0.0, dimensions={}, gates=(), fired=(), version=version,
                    definition_hash="h", decided_at=AT)


def before_the_mapping(h: Handoff, d: Decision) -> dict[str, str]:
    """The write-back as the handoff job built it in code before ``receipt.toml``."""
    return {"sf_lead_id": h.salesforce_id or "", "handoff_status": h.outcome,
            "handoff_grade": d.grade, "handoff_score": f"{d.score:g}",
            "handoff_definition_version": d.version, "handoff_at": to_hubspot_datetime(h.at)}


def receipt_of(path: Path, h: Handoff, d: Decision) -> dict[str, object]:
    mapping = load_mapping(path, direction="receipt")
    return apply(mapping, receipt_source(h, d), None, is_create=False).payload


# scores are whole hundredths (the engine adds centi-points); below 10 000 the old ``:g`` was
# exact, above it rounded to 6 digits (10000.75 -> "10000.8") where the mapping writes "10000.75"
@given(score=st.integers(min_value=-999_999, max_value=999_999).map(lambda c: c / 100),
       outcome=st.sampled_from(["created", "updated", "adopted", "existing_contact"]),
       grade=st.sampled_from(["hot", "warm", "cold"]))
def test_the_shipped_receipt_mapping_writes_what_the_job_wrote(score: float, outcome: str,
                                                                grade: str) -> None:
    d = decision(score, grade)
    h = Handoff("c1", outcome, AT, snapshot_of(d),  # type: ignore[arg-type]
                salesforce_id="00Q000000000001AAA")
    assert receipt_of(RECEIPT, h, d) == before_the_mapping(h, d)


def test_an_admin_renames_and_drops_receipt_properties(world_factory: WorldFactory,
                                                        tmp_path: Path) -> None:
    world = world_factory(contacts=300)
    text = RECEIPT.read_text()
    text = text.replace('target = "handoff_grade"', 'target = "lead_grade_at_handoff"')
    text = text.replace('target = "handoff_score"', 'target = "handoff_score"\nsync = "never"')
    receipt = tmp_path / "receipt.toml"
    receipt.write_text(text.replace('[fields.handoff_at]\nsource = "handoff.at"\n'
                                    'target = "handoff_at"\n', ""))
    settings = replace(world.settings,
                       mappings=replace(world.settings.mappings, receipt=str(receipt)))
    rules = load_all_rules(settings)
    setup = run_setup(LiveSchemaSource(settings, endpoints=world.sandbox.endpoints),
                      [rules["lead"], rules["feedback"], rules["receipt"]], external_id_field=EXT)
    assert setup.created == ("lead_grade_at_handoff",)  # setup reads the receipt mapping
    ctx = replace(world, settings=settings).ctx()
    try:
        report = HandoffJob(ctx).run()
    finally:
        ctx.close()
    assert report.status == "succeeded" and report.counts["created"] > 0
    handed = qualified_ids(world.sandbox, settings)
    assert handed
    for cid in handed:
        props = world.sandbox.hubspot.contacts.get(cid) or {}
        assert props.get("lead_grade_at_handoff") in ("hot", "warm", "cold")
        assert props.get("handoff_status") and props.get("sf_lead_id")
        assert not props.get("handoff_grade") and not props.get("handoff_score")
        assert not props.get("handoff_at")


@pytest.mark.parametrize(("old", "new", "key"), [
    ('source = "decision.grade"', 'source = "decision.grad"', "fields.handoff_grade.source"),
    ('source = "handoff.status"', 'source = "Lead.Status"', "fields.handoff_status.source"),
    ('direction = "receipt"', 'direction = "feedback"', "mapping.direction"),
    ('target_object = "contact"', 'target_object = "Lead"', "mapping.target_object"),
])
def test_a_bad_receipt_mapping_is_a_config_error_naming_file_and_key(
        tmp_path: Path, old: str, new: str, key: str) -> None:
    bad = tmp_path / "receipt.toml"
    bad.write_text(RECEIPT.read_text().replace(old, new))
    settings = Settings(base_dir=str(ROOT))
    settings = replace(settings, mappings=replace(settings.mappings, receipt=str(bad)))
    with pytest.raises(ConfigError) as caught:
        load_all_rules(settings)
    assert [(p.file, p.key) for p in caught.value.problems] == [(str(bad), key)]
    assert caught.value.exit_code == 2


def test_an_unset_receipt_is_the_one_beside_the_lead_mapping_else_the_shipped_one(
        tmp_path: Path) -> None:
    settings = Settings(base_dir=str(tmp_path))
    lead = tmp_path / "mine" / "lead.toml"
    lead.parent.mkdir()
    lead.write_text((ROOT / "mappings" / "lead.toml").read_text())
    mine = replace(settings, mappings=replace(settings.mappings, lead=str(lead),
                                              qualification=str(ROOT / "mappings" /
                                                                "qualification.toml"),
                                              feedback=str(ROOT / "mappings" / "feedback.toml")))
    assert load_all_rules(mine)["receipt"].path == str(RECEIPT)
    (lead.parent / "receipt.toml").write_text(RECEIPT.read_text())
    assert load_all_rules(mine)["receipt"].path == str(lead.parent / "receipt.toml")

"""Schema versions: from empty, from v1 with data, idempotent, atomic, concurrent, both backends."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from connector.store import LATEST_VERSION, SchemaVersionError, StateStore, migrations, schema
from tests.store.helpers import at, disposition, handoff


@pytest.fixture
def other_url(any_store_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A second, empty database on the same backend as ``any_store_url``."""
    if any_store_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'other.db'}"
    factory: Callable[[], str] = request.getfixturevalue("pg_url_factory")
    return factory()


def _shape(engine: sa.Engine) -> dict[str, Any]:
    """Tables, columns (type, nullability, default), keys and indexes, as the database says."""
    inspector = sa.inspect(engine)
    shape: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        columns = {
            c["name"]: (str(c["type"].compile(engine.dialect)), c["nullable"], c.get("default"))
            for c in inspector.get_columns(table)
        }
        indexes = sorted(
            (i["name"], tuple(i["column_names"]), bool(i["unique"]), _options(i))
            for i in inspector.get_indexes(table)
        )
        pk = inspector.get_pk_constraint(table)["constrained_columns"]
        shape[table] = {"columns": columns, "pk": pk, "indexes": indexes}
    return shape


def _options(index: Any) -> str:
    """An index's dialect options (the partial-index WHERE), compared as text."""
    return repr({key: str(value) for key, value in index.get("dialect_options", {}).items()})


def test_an_empty_database_migrates_to_the_declared_schema(
    any_store_url: str, other_url: str
) -> None:
    migrated = StateStore.open(any_store_url)
    declared = sa.create_engine(other_url)
    try:
        schema.metadata.create_all(declared)
        assert migrated.schema_version == LATEST_VERSION == StateStore.latest_version
        assert _shape(migrated.engine) == _shape(declared)
        assert set(_shape(migrated.engine)) == set(schema.metadata.tables)
    finally:
        migrated.close()
        declared.dispose()


def test_migrate_is_idempotent(store: StateStore, any_store_url: str) -> None:
    before = _shape(store.engine)
    assert store.migrate() == LATEST_VERSION
    StateStore.open(any_store_url).close()  # opening migrates again
    assert _shape(store.engine) == before
    with store.engine.connect() as conn:
        versions = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
    assert sorted(versions) == [m.version for m in migrations.MIGRATIONS]


def test_v1_data_survives_the_upgrade_to_v2(any_store_url: str) -> None:
    store = StateStore.open(any_store_url, migrate=False)
    try:
        assert store.schema_version == 0
        assert store.migrate(target=1) == 1
        v1 = migrations.V1.tables
        ledger_row = {
            "hubspot_id": "101",
            "salesforce_id": "00Q000000000101",
            "salesforce_object": "Lead",
            "outcome": "created",
            "score": 81.0,
            "grade": "A",
            "definition_version": "2024.1",
            "definition_hash": "sha256:2024.1",
            "snapshot": handoff("101").snapshot.to_json(),
            "payload_hash": "p1",
            "first_pushed_at": at(0),
            "last_pushed_at": at(0),
            "push_count": 1,
        }
        with store.engine.begin() as conn:
            conn.execute(v1["handoff_ledger"].insert(), [ledger_row])
            conn.execute(v1["cursors"].insert().values(job="handoff", value="c1", updated_at=at(0)))
            conn.execute(
                v1["runs"].insert().values(
                    job="handoff", status="succeeded", started_at=at(0), finished_at=at(5),
                    counts={"created": 1}, api_calls={"salesforce": 1},
                )
            )  # fmt: skip

        assert store.migrate() == LATEST_VERSION and store.schema_version == LATEST_VERSION

        entry = store.ledger_for(["101"])["101"]
        assert (entry.salesforce_id, entry.push_count, entry.email) == ("00Q000000000101", 1, None)
        assert entry.snapshot == handoff("101").snapshot and entry.first_pushed_at == at(0)
        assert store.get_cursor("handoff") == "c1"
        (run,) = store.recent_runs()
        assert (run.counts, run.owner, run.dry_run) == ({"created": 1}, None, False)
        # v2 features work on the upgraded database
        with store.transaction() as tx:
            tx.record_handoffs([handoff("101", at(9), "updated")])
            tx.record_dispositions([disposition("101", at(9))])
        assert store.ledger_for(["101"])["101"].push_count == 2
        assert store.try_acquire_lease("handoff", "me", at(10), 30)
        assert store.start_run("handoff", at(10), owner="me", dry_run=True)
    finally:
        store.close()


def test_a_database_newer_than_the_code_is_refused(store: StateStore) -> None:
    with store.engine.begin() as conn:
        conn.execute(schema.schema_version.insert().values(version=99, description="future"))
    with pytest.raises(SchemaVersionError, match="schema version 99"):
        store.migrate()
    with pytest.raises(ValueError):
        store.migrate(target=LATEST_VERSION + 1)


def test_a_failing_step_leaves_the_database_at_its_old_version(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(conn: sa.Connection) -> None:
        conn.exec_driver_sql("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        raise RuntimeError("step 3 failed")

    steps = (*migrations.MIGRATIONS, migrations.Migration(LATEST_VERSION + 1, "broken", broken))
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    monkeypatch.setattr(migrations, "LATEST_VERSION", LATEST_VERSION + 1)
    with pytest.raises(RuntimeError, match="step 3 failed"):
        store.migrate()
    assert store.schema_version == LATEST_VERSION
    assert not sa.inspect(store.engine).has_table("half_done")


def test_processes_starting_together_migrate_once(any_store_url: str) -> None:
    results: list[int] = []
    errors: list[BaseException] = []

    def open_and_migrate() -> None:
        try:
            with StateStore.open(any_store_url) as opened:
                results.append(opened.schema_version)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_migrate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and results == [LATEST_VERSION] * 4
    with StateStore.open(any_store_url, migrate=False) as opened, opened.engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(schema.schema_version))
        assert count.scalar() == len(migrations.MIGRATIONS)

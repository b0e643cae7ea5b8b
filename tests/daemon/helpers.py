"""Helpers for the daemon's end-to-end tests: a config TOML pointing a daemon subprocess at a
sandbox started in the test process, starting / signalling daemons, polling, and the checks
"no lead lost, none duplicated" against the simulator's org."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from connector.settings import Settings, load_settings
from connector.store import Run, StateStore
from connector_sandbox.scenarios import hot_lead_properties

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL_ID = "HubSpot_Contact_Id__c"
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(path: Path, *, store_url: str, sandbox_workdir: Path,
                 daemon: dict[str, Any] | None = None,
                 handoff: dict[str, Any] | None = None) -> Path:
    """A config TOML for a daemon subprocess (absolute paths: it runs from anywhere)."""
    def table(name: str, values: dict[str, Any]) -> str:
        lines = [f"[{name}]"]
        for key, value in values.items():
            text = ("true" if value else "false") if isinstance(value, bool) else (
                f'"{value}"' if isinstance(value, str) else str(value))
            lines.append(f"{key} = {text}")
        return "\n".join(lines)

    sections = [
        table("store", {"url": store_url}),
        table("mappings", {k: str(ROOT / "mappings" / f"{k}.toml")
                           for k in ("qualification", "lead", "feedback")}),
        table("sandbox", {"workdir": str(sandbox_workdir)}),
        table("handoff", handoff or {}),
        table("daemon", {"metrics_port": free_port(), "jitter_seconds": 0, **(daemon or {})}),
    ]
    path.write_text("\n\n".join(sections) + "\n")
    return path


@dataclass
class DaemonProcess:
    name: str
    config: Path
    proc: subprocess.Popen[bytes]
    log_path: Path

    @property
    def settings(self) -> Settings:
        return load_settings(self.config)

    def signal(self, sig: signal.Signals) -> None:
        self.proc.send_signal(sig)

    def wait(self, timeout: float) -> int:
        return self.proc.wait(timeout=timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)


def start_daemon(config: Path, name: str, *args: str, jobs: str = "handoff") -> DaemonProcess:
    log_path = config.with_suffix(f".{name}.log")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "connector", "--config", str(config), "daemon",
             "--jobs", jobs, *args],
            cwd=config.parent, env=env, stdout=out, stderr=subprocess.STDOUT)
    return DaemonProcess(name, config, proc, log_path)


def wait_for(what: str, check: Callable[[], T | None], timeout: float,
             interval: float = 0.1, on_fail: Callable[[], str] | None = None) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = on_fail() if on_fail else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{detail}")
        time.sleep(interval)


def runs_of(store: StateStore, job: str = "handoff") -> list[Run]:
    """All runs of a job, oldest first."""
    return sorted(store.recent_runs(job, limit=10_000), key=lambda r: (r.started_at, r.id))


def assert_no_overlap(runs: list[Run]) -> None:
    for before, after in zip(runs, runs[1:], strict=False):
        assert before.finished_at is not None, f"run {before.id} never finished"
        assert before.finished_at <= after.started_at, (
            f"runs {before.id} ({before.owner}, {before.started_at}..{before.finished_at}) and "
            f"{after.id} ({after.owner}, from {after.started_at}) overlap")


def now() -> datetime:
    return datetime.now(UTC)


def provision(settings: Settings) -> None:
    """Create the connector's own HubSpot properties (what `connector setup` does)."""
    from connector.demo import ensure_hubspot_properties
    from connector.jobs.context import build_context

    ctx = build_context(settings)
    try:
        ensure_hubspot_properties(ctx)
    finally:
        ctx.store.close()


def leads_by_contact(sandbox: Any) -> dict[str, list[str]]:
    """External id (HubSpot contact id) -> ids of the live Leads carrying it, from the org."""
    out: dict[str, list[str]] = {}
    for row in sandbox.salesforce.org.dump("Lead"):
        key = row.get(EXTERNAL_ID)
        if key and not row.get("IsDeleted"):
            out.setdefault(str(key), []).append(str(row["Id"]))
    return out


def qualified_contacts(sandbox: Any, settings: Settings, at: datetime) -> dict[str, str]:
    """HubSpot contact id -> email of every contact the definition qualifies at ``at``."""
    from connector.jobs.context import load_rules
    from connector.qualification import qualify
    from connector.records import Contact

    definition, _lead, _feedback = load_rules(settings)
    out: dict[str, str] = {}
    for cid in sandbox.hubspot.contacts.all_ids():
        props = sandbox.hubspot.contacts.get(cid) or {}
        pulled = {name: props.get(name) for name in settings.hubspot.properties}
        if qualify(Contact(id=cid, properties=pulled), definition, at).qualified:
            out[cid] = str(props.get("email") or "").lower()
    return out


def existing_contact_emails(sandbox: Any) -> set[str]:
    """Emails of Salesforce Contacts: such leads get no Lead (they are already in a deal)."""
    return {str(r.get("Email") or "").lower() for r in sandbox.salesforce.org.dump("Contact")
            if r.get("Email") and not r.get("IsDeleted")}


def check_leads(sandbox: Any, settings: Settings, store: StateStore, at: datetime,
                only: set[str] | None = None) -> dict[str, int]:
    """No lead lost, none duplicated: every qualified contact (not already a Salesforce Contact,
    not dead-lettered) has exactly one Lead with its external id; no id is on two Leads."""
    leads = leads_by_contact(sandbox)
    duplicated = {k: v for k, v in leads.items() if len(v) > 1}
    assert not duplicated, f"duplicated Leads: {duplicated}"
    customers = existing_contact_emails(sandbox)
    dead = {d.record_key for d in store.iter_dead_letters(job="handoff")}
    expected = {cid for cid, email in qualified_contacts(sandbox, settings, at).items()
                if email not in customers and cid not in dead}
    if only is not None:
        expected &= only
    lost = sorted(expected - set(leads))
    assert not lost, f"{len(lost)} qualified contacts have no Lead: {lost[:20]}"
    return {"expected": len(expected), "leads": len(leads), "dead_letters": len(dead),
            "existing_contacts": len(customers)}


def make_hot(sandbox: Any, settings: Settings, count: int, tag: str,
             exclude: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Turn ``count`` contacts that have no Lead yet into hot leads (checked with ``qualify``);
    returns their ids. Each update bumps ``lastmodifieddate`` like a real form submission."""
    from connector.jobs.context import load_rules
    from connector.qualification import qualify
    from connector.records import Contact

    definition, _lead, _feedback = load_rules(settings)
    have_lead = set(leads_by_contact(sandbox)) | set(exclude)
    changed: list[str] = []
    for cid in sandbox.hubspot.contacts.all_ids():
        if len(changed) >= count:
            break
        if cid in have_lead:
            continue
        at = now()
        sandbox.hubspot.contacts.update(cid, hot_lead_properties(cid, tag, at))
        props = sandbox.hubspot.contacts.get(cid) or {}
        pulled = {name: props.get(name) for name in settings.hubspot.properties}
        decision = qualify(Contact(id=cid, properties=pulled), definition, at)
        assert decision.qualified, f"contact {cid} should qualify: {decision}"
        changed.append(cid)
    return changed

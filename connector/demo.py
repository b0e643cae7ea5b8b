"""The demo: the whole loop on the embedded default, in well under a minute.

1. start both simulators in-process on loopback, on a simulated clock, seeded with contacts;
2. create the connector's HubSpot properties (what ``connector setup`` does);
3. run the handoff job (qualify, push Leads to Salesforce, write the receipt back);
4. let the simulated sales team work for some simulated weeks, running the feedback job at the
   end of each week (dispositions back into HubSpot and the store);
5. build the calibration report from the store: print it and write the HTML.

By default the demo hands off leads of *every* grade (a "calibration pilot"): the example
definition hands off hot leads only, and a report with one grade cannot show whether the grades
predict anything. ``as_configured=True`` runs the definition unchanged.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from connector.jobs.context import JobContext, build_context
from connector.report import CalibrationReport
from connector.settings import SandboxSettings, Settings, StoreSettings

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORKDIR = Path(".sandbox-demo")


@dataclass(frozen=True)
class DemoOptions:
    contacts: int = 3_000
    weeks: float = 6.0
    seed: int = 7
    workdir: Path = DEFAULT_WORKDIR
    html: Path | None = None
    """Where to write the HTML report; default ``<workdir>/report.html``."""
    as_configured: bool = False
    settings: Settings | None = None
    """Base settings (mappings, batch sizes); the store and sandbox parts are replaced."""


@dataclass(frozen=True)
class DemoResult:
    report: CalibrationReport
    html_path: Path
    handoff_counts: dict[str, int]
    feedback_counts: dict[str, int]
    sales_actions: dict[str, int]
    api_calls: dict[str, int]
    elapsed_s: float
    simulated_days: float
    config_path: Path
    """A config.toml pointing every command at the demo's store and sandbox (``explore_lines``)."""


def demo_settings(options: DemoOptions, sandbox_dir: Path) -> Settings:
    """The given settings (or the defaults, with mappings found from the working folder or the
    source checkout) with a store in the demo folder and the sandbox pointed at it."""
    base = options.settings
    if base is None:
        root = Path.cwd() if (Path.cwd() / "mappings").is_dir() else PACKAGE_ROOT
        base = Settings(base_dir=str(root))
    db = (options.workdir / "demo.db").resolve()
    return replace(base, store=StoreSettings(url=f"sqlite:///{db}"),
                   sandbox=SandboxSettings(workdir=str(sandbox_dir), seed=options.seed,
                                           contacts=options.contacts))


def write_demo_config(settings: Settings, path: Path) -> Path:
    """Write a config.toml for the demo's store, sandbox and mappings (absolute paths), so that
    ``connector --config <path> report`` (``status``, ``explain`` ...) read the demo's data."""
    mappings = {f.name: str(settings.path(getattr(settings.mappings, f.name)).resolve())
                for f in fields(settings.mappings)}
    sandbox = settings.sandbox
    lines = ["# Written by `connector demo`: the demo's store and sandbox, for exploring its data.",
             "[store]", f"url = {json.dumps(settings.store.url)}", "",
             "[sandbox]", f"workdir = {json.dumps(str(Path(sandbox.workdir).resolve()))}",
             f"seed = {sandbox.seed}", f"contacts = {sandbox.contacts}", "", "[mappings]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in mappings.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def explore_lines(result: DemoResult) -> list[str]:
    """How to explore the demo's data afterwards: the last lines ``connector demo`` prints."""
    cfg = f"connector --config {result.config_path}"
    return [
        "Explore the demo's data (its SQLite store stays in place):",
        f"  {cfg} report [--html report.html]   the calibration report again",
        f"  {cfg} status                        runs, cursors, API calls",
        f"  {cfg} dead-letters list             records Salesforce rejected",
        f"  {cfg} sandbox                       serve the same seeded sandbox again, then in "
        "another terminal",
        f"  {cfg} explain EMAIL                 why was (or wasn't) this lead handed off?",
    ]


def ensure_hubspot_properties(ctx: JobContext) -> int:
    """Create the connector's own contact properties that are missing; returns how many."""
    from connector.fieldmap import missing_owned_properties

    missing = missing_owned_properties(ctx.hubspot.properties())
    for body in missing:
        ctx.hubspot.create_property(body)
    return len(missing)


def widen_handoff(ctx: JobContext) -> None:
    """Hand off every grade (scores, gates and grades unchanged): the calibration pilot."""
    from connector.qualification.definition import HandoffRule

    definition = ctx.definition
    ctx.definition = replace(definition, version=f"pilot, all grades: {definition.version}",
                             handoff=HandoffRule(grades=definition.grade_names))


def run_demo(options: DemoOptions, say: Callable[[str], None] = print) -> DemoResult:
    started = time.perf_counter()
    from connector.jobs.feedback import FeedbackJob
    from connector.jobs.handoff import HandoffJob
    from connector.report import render_html
    from connector.report.boundary import labels
    from connector.report.from_store import report_from_store
    from connector_sandbox.runner import start_sandbox
    from connector_sandbox.sales_team import SalesTeam
    from connector_sandbox.simclock import SimClock

    workdir = options.workdir
    sandbox_dir = workdir / "sandbox"
    (workdir / "demo.db").unlink(missing_ok=True)  # the simulators start empty: so does the store
    shutil.rmtree(sandbox_dir, ignore_errors=True)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    clock = SimClock(start)
    say(f"Starting the sandbox with {options.contacts:,} HubSpot contacts (seed {options.seed})")
    sandbox = start_sandbox(sandbox_dir, seed=options.seed, contacts=options.contacts,
                            clock=clock, seed_start=start)
    settings = demo_settings(options, sandbox_dir)
    config_path = write_demo_config(settings, workdir / "config.toml")
    ctx = build_context(settings, endpoints=sandbox.endpoints, clock=clock)
    try:
        ensure_hubspot_properties(ctx)
        if not options.as_configured:
            widen_handoff(ctx)
            say("Calibration pilot: every grade is handed off, so the report can compare them")
        handoff = HandoffJob(ctx).run()
        leads = handoff.counts["created"] + handoff.counts["adopted"]
        say(f"Handoff: {leads:,} Leads handed to Salesforce ({handoff.counts['adopted']:,} of "
            f"them adopted existing Leads), {handoff.counts['existing_contact']:,} contacts "
            f"already Contacts there ({_calls(handoff.api_calls)})")
        team = SalesTeam(sandbox, seed=options.seed)
        feedback_counts: Counter[str] = Counter()
        days_left = options.weeks * 7
        week = 0
        while days_left > 0:
            week += 1
            done = team.work(days=min(7.0, days_left))
            days_left -= 7
            feedback = FeedbackJob(ctx).run()
            feedback_counts.update(feedback.counts)
            say(f"Week {week}: sales {_actions(done)}; feedback wrote "
                f"{feedback.counts['written']:,} contacts ({_calls(feedback.api_calls)})")
        report = report_from_store(ctx.store, now=clock(), criterion_dimension={
            c.id: c.dimension for c in ctx.definition.criteria},
            labels=labels(ctx.definition), simulated=True, currency="USD")
        html_path = options.html or workdir / "report.html"
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(render_html(report), encoding="utf-8")
    finally:
        ctx.close()
        sandbox.stop()
    return DemoResult(
        report=report, html_path=html_path, handoff_counts=dict(handoff.counts),
        feedback_counts=dict(feedback_counts), sales_actions=dict(team.done),
        api_calls=ctx.stats.by_system(), elapsed_s=time.perf_counter() - started,
        simulated_days=(clock() - start) / timedelta(days=1), config_path=config_path)


def _calls(calls: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {system} calls" for system, n in sorted(calls.items())) or "no calls"


def _actions(done: Counter[str]) -> str:
    order = ("touch", "nurture", "reject", "convert", "progress", "won", "lost")
    parts = [f"{done[a]:,} {a}" for a in order if done.get(a)]
    return ", ".join(parts) or "nothing to do"

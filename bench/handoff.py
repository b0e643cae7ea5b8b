"""Benchmark the handoff job on the sandbox, and compare with a naive per-record flow.

For each size (default 10k and 100k contacts) it starts the sandbox in its own process
(``connector sandbox``, rate limits off), then runs in a fresh child process:
  1. the real handoff job (batched): wall time, leads/s, API calls per 1,000 handed-off leads by
     system (from the simulators' own call counters), and the child's peak RSS;
  2. after a sandbox reset, a naive flow on the same data: one Salesforce create and one HubSpot
     update per qualified lead (what a simple Zap would do), its calls and time.
Prints a table and the ratios. Usage: python bench/handoff.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]


def start_sandbox(workdir: Path, contacts: int) -> subprocess.Popen[bytes]:
    config = workdir / "config.toml"
    config.write_text(f"""
[store]
url = "sqlite:///{workdir / 'state.db'}"
[sandbox]
workdir = "{workdir / 'sb'}"
contacts = {contacts}
existing_leads = {max(10, contacts // 200)}
existing_contacts = {max(10, contacts // 300)}
hubspot_port = 0
salesforce_port = 0
[mappings]
qualification = "{ROOT / 'mappings/qualification.toml'}"
lead = "{ROOT / 'mappings/lead.toml'}"
feedback = "{ROOT / 'mappings/feedback.toml'}"
""")
    proc = subprocess.Popen([sys.executable, "-m", "connector", "--config", str(config),
                             "sandbox", "--no-rate-limits"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    endpoints = workdir / "sb" / "endpoints.json"
    deadline = time.monotonic() + 600
    while not endpoints.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            detail = proc.stderr.read() if proc.stderr else b""
            raise RuntimeError(f"sandbox did not start: {detail!r}")
        time.sleep(0.2)
    return proc


SEARCH = "POST /crm/v3/objects/contacts/search"


def calls(ep: dict[str, Any]) -> dict[str, int]:
    """Calls by system, with HubSpot's search (the pull) apart from the rest (the handoff)."""
    with httpx.Client(verify=ep["ca_file"], timeout=30) as client:
        hs = client.get(ep["hubspot_url"] + "/__sandbox__/calls").json()
        sf = client.get(ep["salesforce_url"] + "/__sandbox__/calls").json()
    search = int(hs["by_endpoint"].get(SEARCH, 0))
    return {"hubspot": int(hs["total"]) - search, "salesforce": int(sf["total"]),
            "hubspot_search": search}


def reset_calls(ep: dict[str, Any]) -> None:
    with httpx.Client(verify=ep["ca_file"], timeout=30) as client:
        client.delete(ep["hubspot_url"] + "/__sandbox__/calls")
        client.delete(ep["salesforce_url"] + "/__sandbox__/calls")


CHILD = r"""
import json, resource, sys, time
from connector.settings import load_settings
from connector.jobs.context import build_context
from connector.jobs.handoff import HandoffJob
settings = load_settings(sys.argv[1])
mode = sys.argv[2]
ctx = build_context(settings)
if mode == "setup":
    from connector.connections import LiveSchemaSource
    from connector.fieldmap.provision import run_setup
    run_setup(LiveSchemaSource(settings), [ctx.lead_mapping, ctx.feedback_mapping],
              external_id_field=settings.salesforce.external_id_field)
    print(json.dumps({}))
    raise SystemExit(0)
t0 = time.perf_counter()
if mode == "batched":
    report = HandoffJob(ctx).run()
    counts = dict(report.counts)
else:
    from bench_naive import naive_flow
    counts = naive_flow(ctx)
elapsed = time.perf_counter() - t0
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"elapsed": elapsed, "counts": counts, "rss_mb": rss_mb}))
"""


def run_child(config: Path, mode: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(config), mode], cwd=ROOT,
                         capture_output=True, text=True, check=False,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "bench")})
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def bench_size(contacts: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-handoff-") as tmp:
        workdir = Path(tmp)
        proc = start_sandbox(workdir, contacts)
        try:
            ep = json.loads((workdir / "sb" / "endpoints.json").read_text())
            run_child(workdir / "config.toml", "setup")
            reset_calls(ep)
            batched = run_child(workdir / "config.toml", "batched")
            batched_calls = calls(ep)
            handed = sum(batched["counts"].get(k, 0) for k in
                         ("created", "updated", "adopted", "existing_contact"))
            # naive flow on the same data: reset the org's leads via a fresh sandbox
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
            (workdir / "state.db").unlink(missing_ok=True)
            proc = start_sandbox(workdir, contacts)
            ep = json.loads((workdir / "sb" / "endpoints.json").read_text())
            run_child(workdir / "config.toml", "setup")
            reset_calls(ep)
            naive = run_child(workdir / "config.toml", "naive")
            naive_calls = calls(ep)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
    per_k = {k: v * 1000 / max(1, handed) for k, v in batched_calls.items()}
    naive_per_k = {k: v * 1000 / max(1, naive["counts"].get("created", 1))
                   for k, v in naive_calls.items()}
    return {"contacts": contacts, "handed_off": handed, "batched": batched,
            "batched_calls": batched_calls, "per_1000": per_k, "naive": naive,
            "naive_calls": naive_calls, "naive_per_1000": naive_per_k}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    results = [bench_size(n) for n in args.sizes]
    print("Per 1,000 handed-off leads: HS = HubSpot write-back calls, SF = Salesforce calls "
          "(login, limits, describe, dedup, upserts), pull = HubSpot search pages (which "
          "depend on how many contacts changed, not on how many qualify).")
    print(f"{'contacts':>9} {'handed':>7} {'wall s':>7} {'contacts/s':>10} {'HS/1k':>6} "
          f"{'SF/1k':>6} {'HS+SF/1k':>8} {'pull/1k':>8} {'RSS MB':>7} | {'naive s':>8} "
          f"{'naive/1k':>9} {'call ratio':>10} {'time ratio':>10}")
    for r in results:
        b, n = r["batched"], r["naive"]
        pk, nk = r["per_1000"], r["naive_per_1000"]
        handoff_k = pk["hubspot"] + pk["salesforce"]
        total_k = handoff_k + pk["hubspot_search"]
        naive_k = sum(nk.values())
        print(f"{r['contacts']:>9,} {r['handed_off']:>7,} {b['elapsed']:>7.1f} "
              f"{r['contacts'] / b['elapsed']:>10.0f} {pk['hubspot']:>6.1f} "
              f"{pk['salesforce']:>6.1f} {handoff_k:>8.1f} {pk['hubspot_search']:>8.1f} "
              f"{b['rss_mb']:>7.1f} | {n['elapsed']:>8.1f} {naive_k:>9.1f} "
              f"{naive_k / max(total_k, 1e-9):>9.1f}x "
              f"{n['elapsed'] / max(b['elapsed'], 1e-9):>9.1f}x")
    if len(results) >= 2:
        small, big = results[0]["batched"]["rss_mb"], results[-1]["batched"]["rss_mb"]
        print(f"peak RSS growth {results[0]['contacts']:,} -> {results[-1]['contacts']:,}: "
              f"{(big - small) / small:+.1%} (target <= +10%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

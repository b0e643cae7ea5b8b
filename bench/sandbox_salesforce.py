"""Benchmark of the Salesforce simulator, driven over real TLS by a light httpx client.

    python bench/sandbox_salesforce.py [--requests 500] [--threads 4] [--in-process]

The simulator runs in a child process (as ``connector sandbox`` does), so client and server each
get a core. Limits are off (a huge daily allowance). Printed figures:

* collection upserts of 200 Leads by external id (``PATCH /composite/sobjects/Lead/<ext>``):
  first pass creates, second pass updates; requests/s and records/s;
* the connector's dedup query ``SELECT Id, Email FROM Lead WHERE Email IN (<200 emails>)``;
* a 100k-Lead incremental query (``SystemModstamp > X ORDER BY SystemModstamp``): first page
  and the following ``nextRecordsUrl`` pages of 2,000.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import ssl
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from simple_salesforce.format import format_soql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector_sandbox.server import TestCA, serve_in_thread, tune_gc_for_serving  # noqa: E402

EXT = "HubSpot_Contact_Id__c"
API = "/services/data/v59.0"


def serve(ca: TestCA, ready: Any, stop: Any) -> None:
    from connector_sandbox.salesforce import SalesforceSimConfig, SalesforceSimulator

    sim = SalesforceSimulator(SalesforceSimConfig(daily_api_limit=10**9))
    served = serve_in_thread(sim.app, tls=ca, name="sf-bench")
    tune_gc_for_serving()  # as ``connector sandbox`` does
    ready.put((served.url, sim.issue_session()))
    stop.wait()
    served.stop()


def lead(i: int, run: int) -> dict[str, Any]:
    return {
        "attributes": {"type": "Lead"}, EXT: f"hs-{i}", "FirstName": "Dana",
        "LastName": f"Lopez {i}", "Company": f"Company {i % 5000} Ltd",
        "Email": f"dana.lopez{i}@company{i % 5000}.example", "Title": "VP Operations",
        "Phone": "+1 415 555 0100", "LeadSource": "Web", "Status": "Open - Not Contacted",
        "Handoff_Score__c": 50 + (i + run) % 50, "Handoff_Grade__c": "warm",
        "Qualification_Version__c": f"v{run}", "Handoff_At__c": "2026-11-29T10:00:00Z",
        "Handoff_Reasons__c": "demo requested; pricing page viewed 3 times; budget 50k-100k",
        "Purchase_Timeline__c": "This Quarter", "Budget_Range__c": "50k-100k",
    }


def run_parallel(jobs: list[Callable[[httpx.Client], None]], threads: int, url: str,
                 token: str, ca: str) -> float:
    """Run ``jobs`` on ``threads`` keep-alive clients; returns the wall time."""
    lock = threading.Lock()
    queue = list(reversed(jobs))

    def worker() -> None:
        with httpx.Client(base_url=url, verify=ssl.create_default_context(cafile=ca),
                          headers={"Authorization": f"Bearer {token}",
                                   "Content-Type": "application/json",
                                   "Sforce-Auto-Assign": "FALSE"}) as client:
            while True:
                with lock:
                    if not queue:
                        return
                    job = queue.pop()
                job(client)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.perf_counter() - started


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of process ``pid`` (Linux /proc), None when unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def report(label: str, count: int, elapsed: float, server_cpu: float | None,
           client_cpu: float, records: int = 0) -> None:
    line = f"{label}: {count} requests in {elapsed:.2f}s = {count / elapsed:,.0f} requests/s"
    if records:
        line += f", {records / elapsed:,.0f} records/s"
    print(line)
    detail = f"    client CPU {client_cpu / count * 1000:.1f} ms/request"
    if server_cpu is not None:
        per = server_cpu / count * 1000
        detail += (f"; server CPU {per:.1f} ms/request, so one server core sustains at most "
                   f"{1000 / per:,.0f} requests/s")
    print(detail)


def check(response: httpx.Response) -> Any:
    if response.status_code != 200:
        raise SystemExit(f"unexpected {response.status_code}: {response.text[:300]}")
    return response.json()


def upsert_jobs(requests: int, run: int) -> list[Callable[[httpx.Client], None]]:
    bodies = [json.dumps({"allOrNone": False,
                          "records": [lead(r * 200 + k, run) for k in range(200)]}).encode()
              for r in range(requests)]

    def job(body: bytes) -> Callable[[httpx.Client], None]:
        def call(client: httpx.Client) -> None:
            results = check(client.patch(f"{API}/composite/sobjects/Lead/{EXT}", content=body))
            if not all(r["success"] for r in results):
                raise SystemExit(f"record failed: {results[0]}")
        return call
    return [job(b) for b in bodies]


def dedup_jobs(requests: int, leads: int) -> list[Callable[[httpx.Client], None]]:
    jobs: list[Callable[[httpx.Client], None]] = []
    for r in range(requests):
        emails = [f"dana.lopez{(r * 200 + k) % leads}@company{((r * 200 + k) % leads) % 5000}"
                  ".example" for k in range(200)]
        q = quote(format_soql("SELECT Id, Email FROM Lead WHERE Email IN {}", emails))

        def call(client: httpx.Client, q: str = q) -> None:
            body = check(client.get(f"{API}/query/?q={q}"))
            if body["totalSize"] != 200:
                raise SystemExit(f"dedup query found {body['totalSize']} of 200")
        jobs.append(call)
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="collection calls per pass")
    parser.add_argument("--threads", type=int, default=4, help="concurrent keep-alive clients")
    parser.add_argument("--in-process", action="store_true",
                        help="serve from this process (shares one GIL with the client)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sf-bench-"))
    ca = TestCA.create(workdir)
    ctx = mp.get_context("spawn")
    ready, stop = ctx.Queue(), ctx.Event()
    pid: int | None = None
    if args.in_process:
        threading.Thread(target=serve, args=(ca, ready, stop), daemon=True).start()
    else:
        child = ctx.Process(target=serve, args=(ca, ready, stop), daemon=True)
        child.start()
        pid = child.pid

    def server_cpu(since: float | None) -> float | None:
        now = cpu_seconds(pid) if pid else None
        return None if now is None or since is None else now - since
    url, token = ready.get(timeout=60)
    ca_file = str(ca.ca_file)
    where = "in-process" if args.in_process else "child process"
    print(f"Salesforce simulator at {url} ({where}), {args.threads} httpx clients, limits off; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    n = args.requests
    upsert_rates = []
    for label, run in (("create", 1), ("update", 2)):
        jobs = upsert_jobs(n, run)
        before, mine = (cpu_seconds(pid) if pid else None), own_cpu()
        elapsed = run_parallel(jobs, args.threads, url, token, ca_file)
        report(f"collection upsert of 200 Leads ({label})", n, elapsed, server_cpu(before),
               own_cpu() - mine, n * 200)
        upsert_rates.append(n / elapsed)

    leads = n * 200
    dn = min(n, 300)
    jobs = dedup_jobs(dn, leads)
    before, mine = (cpu_seconds(pid) if pid else None), own_cpu()
    elapsed = run_parallel(jobs, args.threads, url, token, ca_file)
    report("dedup SOQL (Email IN 200 values)", dn, elapsed, server_cpu(before),
           own_cpu() - mine)

    with httpx.Client(base_url=url, verify=ssl.create_default_context(cafile=ca_file),
                      headers={"Authorization": f"Bearer {token}"}) as client:
        soql = quote("SELECT Id, Email, Status, SystemModstamp FROM Lead WHERE SystemModstamp > "
                     "2000-01-01T00:00:00Z ORDER BY SystemModstamp")
        started = time.perf_counter()
        body = check(client.get(f"{API}/query/?q={soql}"))
        first = time.perf_counter() - started
        pages: list[float] = []
        fetched = len(body["records"])
        while not body["done"]:
            started = time.perf_counter()
            body = check(client.get(body["nextRecordsUrl"]))
            pages.append(time.perf_counter() - started)
            fetched += len(body["records"])
    print(f"incremental SOQL over {leads:,} Leads: first page {first * 1000:.0f} ms, then "
          f"{len(pages)} pages at {statistics.median(pages) * 1000 if pages else 0:.0f} ms "
          f"median ({fetched:,} records)")
    stop.set()
    # the slower of the two passes, read by bench/sandbox.py
    print(f"figure: salesforce_collection_upserts_of_200 {min(upsert_rates):.1f}")


if __name__ == "__main__":
    main()

"""Benchmark the HubSpot simulator: requests/s for search pages of 200 and batch updates of 100.

    python bench/sandbox_hubspot.py                 # server in a subprocess (default)
    python bench/sandbox_hubspot.py --mode thread   # server in this process (shares the GIL)

Rate limits are off. The search workload is the incremental-sync pattern: filter
``lastmodifieddate GTE watermark``, sort ascending, follow ``paging.next.after`` with pages of
200, and restart from the last timestamp seen before the 10,000-result cap. The update
workload sends batch updates of 100 contacts. Light httpx clients with keep-alive, request
bodies pre-serialized; a search page is received in full but only its paging tail is decoded,
as a load generator does (orjson when installed). Figures:

- sequential: one client, one request at a time: latency-bound, what one sync job sees;
- the same with every page fully decoded (the client's JSON cost added back);
- concurrent: ``--clients`` client processes, each with its own connection: the server's
  throughput (perf_counter is system-wide, so the processes share one time base).

The machine's load average is printed too: on a shared 2-core box, other processes' load
moves these figures a lot.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

try:
    import orjson

    parse: Callable[[bytes], Any] = orjson.loads
    dumps: Callable[[Any], bytes] = orjson.dumps
except ImportError:  # pragma: no cover
    parse = json.loads
    dumps = lambda value: json.dumps(value).encode()  # noqa: E731

TOKEN = "pat-sandbox-token"
SEARCH = "/crm/v3/objects/contacts/search"
BATCH_UPDATE = "/crm/v3/objects/contacts/batch/update"
JSON = {"content-type": "application/json"}
PROPERTIES = ["email", "firstname", "lastname", "lifecyclestage", "lastmodifieddate",
              "purchase_timeline", "pricing_page_views"]


@contextmanager
def running_server(mode: str, contacts: int, seed: int) -> Iterator[str]:
    if mode == "thread":
        from connector_sandbox.hubspot import HubSpotSimConfig, HubSpotSimulator

        sim = HubSpotSimulator(HubSpotSimConfig(token=TOKEN, rate_limits=False))
        sim.seed_contacts(contacts, seed=seed)
        served = sim.serve()
        try:
            yield served.url
        finally:
            served.stop()
        return
    proc = subprocess.Popen(
        [sys.executable, "-m", "connector_sandbox.hubspot", "--no-rate-limits",
         "--seed-count", str(contacts), "--seed", str(seed), "--token", TOKEN],
        stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("listening "):
            raise RuntimeError(f"simulator did not start: {line!r}")
        yield line.split()[1]
    finally:
        proc.terminate()
        proc.wait(10)


def _summary(content: bytes) -> tuple[int, str | None, str | None]:
    """(records, paging.next.after, last lastmodifieddate) read off the raw page, as a load
    generator does: the body is received in full, only the paging tail is decoded."""
    records = content.count(b'"hs_object_id":')
    at = content.rfind(b',"paging":')
    after = parse(content[at + 10:-1])["next"]["after"] if at >= 0 else None
    lmd = content.rfind(b'"lastmodifieddate":"')
    return records, after, content[lmd + 20:lmd + 44].decode() if lmd >= 0 else None


def _decoded(content: bytes) -> tuple[int, str | None, str | None]:
    """The same three facts from a fully decoded page (what the connector's client does)."""
    page = parse(content)
    results = page["results"]
    after = page.get("paging", {}).get("next", {}).get("after")
    return len(results), after, results[-1]["properties"]["lastmodifieddate"] if results else None


def search_pages(client: httpx.Client, requests: int,
                 read: Callable[[bytes], tuple[int, str | None, str | None]] = _summary
                 ) -> tuple[int, int, float]:
    """Page through contacts like an incremental sync; returns (requests, records, seconds)."""
    watermark, after, done, records = "0", None, 0, 0
    started = time.perf_counter()
    while done < requests:
        body: dict[str, Any] = {
            "filterGroups": [{"filters": [{"propertyName": "lastmodifieddate",
                                           "operator": "GTE", "value": watermark}]}],
            "sorts": [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
            "properties": PROPERTIES,
            "limit": 200,
        }
        if after is not None:
            body["after"] = after
        response = client.post(SEARCH, content=dumps(body), headers=JSON)
        if response.status_code != 200:
            raise RuntimeError(f"search failed: {response.status_code} {response.text}")
        count, nxt, last = read(response.content)
        done += 1
        records += count
        if nxt is None:  # caught up: start a fresh full sync
            watermark, after = "0", None
        elif int(nxt) + 200 > 10_000:  # restart from the last timestamp before the cap
            watermark, after = last or "0", None
        else:
            after = nxt
    return done, records, time.perf_counter() - started


def batch_updates(client: httpx.Client, requests: int,
                  offset: int = 0) -> tuple[int, int, float]:
    ids: list[str] = []
    after = None
    while len(ids) < 100 * 20:
        params: dict[str, Any] = {"limit": 100, **({"after": after} if after else {})}
        page = parse(client.get("/crm/v3/objects/contacts", params=params).content)
        ids += [r["id"] for r in page["results"]]
        after = page.get("paging", {}).get("next", {}).get("after")
        if after is None:
            break
    statuses = ("OPEN", "IN_PROGRESS", "CONNECTED", "ATTEMPTED_TO_CONTACT")
    started = time.perf_counter()
    for n in range(requests):
        chunk = ids[((n + offset) * 100) % len(ids):][:100]
        inputs = [{"id": cid, "properties": {"hs_lead_status": statuses[n % 4],
                                             "pricing_page_views": str(n)}} for cid in chunk]
        response = client.post(BATCH_UPDATE, content=dumps({"inputs": inputs}), headers=JSON)
        if response.status_code != 200:
            raise RuntimeError(f"batch update failed: {response.status_code} {response.text}")
    return requests, requests * 100, time.perf_counter() - started


def _worker(url: str, work_name: str, requests: int, offset: int, barrier: Any,
            out: Any) -> None:
    with _client(url) as client:
        if work_name == "update":
            batch_updates(client, 2, offset)  # warm the connection
            barrier.wait()
            n = batch_updates(client, requests, offset)[0]
        else:
            search_pages(client, 2)
            barrier.wait()
            n = search_pages(client, requests)[0]
        out.put((n, time.perf_counter()))


def concurrent(url: str, clients: int, work_name: str, requests: int) -> tuple[int, float]:
    """Run a workload in ``clients`` processes at once (threads would share one GIL);
    returns (requests done, wall seconds from the common start to the last finish)."""
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(clients + 1), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, work_name, requests // clients, k * 37,
                                                barrier, out)) for k in range(clients)]
    for proc in procs:
        proc.start()
    barrier.wait()
    started = time.perf_counter()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    return sum(n for n, _ in results), max(end for _, end in results) - started


def _client(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["subprocess", "thread"], default="subprocess")
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--searches", type=int, default=600)
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"{args.contacts} contacts; server in {args.mode}; limits off")
    with running_server(args.mode, args.contacts, args.seed) as url:
        with _client(url) as client:
            search_pages(client, 20)  # warm up: connection, caches
            n, records, secs = search_pages(client, args.searches)
            print(f"search pages of 200,  sequential: {n / secs:7.1f} requests/s "
                  f"({n} requests, {records} records, {secs:.2f} s)")
            search_rate = n / secs
            n, records, secs = search_pages(client, args.searches, _decoded)
            print(f"  same, every page fully decoded: {n / secs:7.1f} requests/s "
                  f"({n} requests, {records} records, {secs:.2f} s)")
            n, records, secs = batch_updates(client, args.updates)
            print(f"batch updates of 100, sequential: {n / secs:7.1f} requests/s "
                  f"({n} requests, {records} records, {secs:.2f} s)")
        n, secs = concurrent(url, args.clients, "search", args.searches)
        print(f"search pages of 200,  {args.clients} clients: {n / secs:7.1f} requests/s "
              f"({n} requests, {secs:.2f} s)")
        n, secs = concurrent(url, args.clients, "update", args.updates)
        print(f"batch updates of 100, {args.clients} clients: {n / secs:7.1f} requests/s "
              f"({n} requests, {secs:.2f} s)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"figure: hubspot_search_pages_of_200 {search_rate:.1f}")  # read by bench/sandbox.py
    return 0


if __name__ == "__main__":
    sys.exit(main())

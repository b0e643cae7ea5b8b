"""Simulator throughput (issue 2): HubSpot search pages of 200 and batch updates of 100, and
Salesforce collection upserts of 200 Leads, limits off, driven by light httpx clients with each
simulator in its own process, served as ``connector sandbox`` serves them (uvicorn with httptools
and uvloop, GC tuned for serving). Runs the two detailed benchmarks, prints their figures, then
checks the two that issue 2 sets a floor for:

* HubSpot search pages of 200, one sequential client;
* Salesforce collection upserts of 200, the slower of the create and the update pass;

each must reach ``--target`` requests/s (default 300). Exit status 1 when one does not. On a
shared 2-core machine other processes' load moves these figures a lot: the scripts print the
load average.

    python bench/sandbox.py            # both, with the check
    python bench/sandbox_hubspot.py --help / python bench/sandbox_salesforce.py --help
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLOORS = {
    "hubspot_search_pages_of_200": "HubSpot search pages of 200",
    "salesforce_collection_upserts_of_200": "Salesforce collection upserts of 200",
}


def run(script: str) -> tuple[int, dict[str, float]]:
    """Run one benchmark, echoing its output; returns its exit code and its ``figure:`` lines."""
    print(f"== {script}", flush=True)
    proc = subprocess.Popen([sys.executable, str(HERE / script)], stdout=subprocess.PIPE,
                            text=True)
    figures: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        print(line, end="", flush=True)
        if line.startswith("figure: "):
            name, value = line.split()[1:3]
            figures[name] = float(value)
    return proc.wait(), figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target", type=float, default=300.0, help="requests/s floor")
    args = parser.parse_args()
    code, figures = 0, {}
    for script in ("sandbox_hubspot.py", "sandbox_salesforce.py"):
        status, found = run(script)
        code |= status
        figures.update(found)
    print(f"== floor: {args.target:.0f} requests/s")
    for name, label in FLOORS.items():
        value = figures.get(name)
        if value is None:
            print(f"{label}: no figure (the benchmark failed)")
            code = 1
            continue
        verdict = "ok" if value >= args.target else "BELOW THE FLOOR"
        print(f"{label}: {value:,.0f} requests/s  {verdict}")
        if value < args.target:
            code = 1
    return code


if __name__ == "__main__":
    raise SystemExit(main())

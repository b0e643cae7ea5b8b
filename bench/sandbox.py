"""Simulator throughput (issue 2): HubSpot search pages of 200 and batch updates of 100, and
Salesforce collection upserts of 200 Leads, limits off, driven by light httpx clients with each
simulator in its own process. Runs the two detailed benchmarks and prints their figures.

    python bench/sandbox.py            # both
    python bench/sandbox_hubspot.py --help / python bench/sandbox_salesforce.py --help
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    code = 0
    for script in ("sandbox_hubspot.py", "sandbox_salesforce.py"):
        print(f"== {script}", flush=True)
        code |= subprocess.call([sys.executable, str(HERE / script), *sys.argv[1:]])
    return code


if __name__ == "__main__":
    raise SystemExit(main())

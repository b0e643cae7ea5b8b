"""Serve the HubSpot simulator on loopback: ``python -m connector_sandbox.hubspot --port 8081``.

Prints one line, ``listening <url>``, once the server accepts connections (scripts wait for it).
"""

from __future__ import annotations

import argparse
import sys
import time

from ..server import tune_gc_for_serving
from .config import HubSpotSimConfig
from .simulator import HubSpotSimulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m connector_sandbox.hubspot",
                                     description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 = a free port")
    parser.add_argument("--token", default=HubSpotSimConfig.token)
    parser.add_argument("--tier", default="pro", choices=["free", "starter", "pro", "enterprise"])
    parser.add_argument("--seed-count", type=int, default=0, help="synthetic contacts to seed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-rate-limits", action="store_true")
    parser.add_argument("--search-lag", type=float, default=0.0, help="seconds")
    args = parser.parse_args(argv)
    sim = HubSpotSimulator(HubSpotSimConfig(
        token=args.token, tier=args.tier, rate_limits=not args.no_rate_limits,
        search_lag_s=args.search_lag, seed=args.seed))
    if args.seed_count:
        sim.seed_contacts(args.seed_count, seed=args.seed)
    served = sim.serve(port=args.port)
    tune_gc_for_serving()
    print(f"listening {served.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        served.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast is the qualification engine? Prints leads/s for the example definition.

    python bench/qualify.py [--contacts 100000] [--rounds 3] [--definition FILE]

Contacts come from the sandbox's deterministic generator (``connector_sandbox.synthetic``) over
the properties of ``docs/sandbox-data-model.md``; they are generated before the clock starts.
One process, one core; the best of ``--rounds`` passes is reported (the machine is shared, so
the best pass is the one least disturbed by others), with the process CPU time too. The target
is 20,000 leads/s. The script also prints the grade mix and the mean hidden intent per grade:
a fast engine that does not track intent would be no use.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from connector.qualification import load_definition, qualify
from connector.records import Contact
from connector_sandbox.synthetic import generate_contacts

ROOT = Path(__file__).resolve().parents[1]
TARGET = 20_000
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--definition", default=str(ROOT / "mappings" / "qualification.toml"))
    args = parser.parse_args(argv)

    definition = load_definition(args.definition)
    started = time.perf_counter()
    synthetic = list(generate_contacts(args.contacts, args.seed, NOW))
    contacts = [Contact(str(i + 1), s.properties) for i, s in enumerate(synthetic)]
    print(f"generated {len(contacts):,} contacts in {time.perf_counter() - started:.1f}s; "
          f"definition {definition.version!r} ({definition.hash}): "
          f"{len(definition.gates)} gates, {len(definition.criteria)} criteria")

    gc.collect()
    walls: list[float] = []
    cpus: list[float] = []
    for round_ in range(1, args.rounds + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        for contact in contacts:
            qualify(contact, definition, NOW)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        walls.append(wall)
        cpus.append(cpu)
        print(f"round {round_}: {len(contacts) / wall:>9,.0f} leads/s wall "
              f"({len(contacts) / cpu:,.0f} leads/s CPU, {wall:.2f}s)")

    best_wall, best_cpu = len(contacts) / min(walls), len(contacts) / min(cpus)
    verdict = "meets" if best_wall >= TARGET else "MISSES"
    print(f"qualify: {best_wall:,.0f} leads/s (best wall round; {best_cpu:,.0f} leads/s of CPU "
          f"time) on one core: {verdict} the {TARGET:,} leads/s target")

    grades: Counter[str] = Counter()
    intents: dict[str, list[float]] = defaultdict(list)
    handed_off = 0
    for contact, truth in zip(contacts, synthetic, strict=True):
        decision = qualify(contact, definition, NOW)
        grades[decision.grade] += 1
        intents[decision.grade].append(truth.intent)
        handed_off += decision.qualified
    mix = ", ".join(
        f"{name} {grades[name]:,} (intent {sum(intents[name]) / max(1, grades[name]):.2f})"
        for name in definition.grade_names)
    print(f"grades: {mix}; handed off {handed_off:,} ({handed_off / len(contacts):.1%})")
    return 0 if best_wall >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

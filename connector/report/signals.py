"""Per-criterion and per-dimension fire counts and lifts, accumulated per definition hash.

A criterion's *population* is every lead handed off under a definition (hash) in which the
criterion was seen: named in a lead's ``criterion_dimension`` map or fired. Leads handed off
under a definition that did not know the criterion are left out of both sides, so adding a
criterion in version 2 does not count every version-1 lead as "did not fire". A dimension
*fires* for a lead when at least one of its criteria fired; its population is the leads of every
definition hash where the dimension was seen (in ``dimensions`` or ``criterion_dimension``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connector.report.model import SignalStats
from connector.report.outcomes import HandoffOutcome
from connector.report.stats import Comparison, Rate

UNKNOWN_DIMENSION = "(unknown)"


@dataclass
class _Counts:
    leads: int = 0
    converted: int = 0
    won: int = 0

    def add(self, outcome: HandoffOutcome) -> None:
        self.leads += 1
        self.converted += outcome.reached_opportunity
        self.won += outcome.won

    def merge(self, other: _Counts) -> None:
        self.leads += other.leads
        self.converted += other.converted
        self.won += other.won


@dataclass
class _Definition:
    """Everything counted for the leads of one definition hash."""

    base: _Counts = field(default_factory=_Counts)
    criteria: dict[str, _Counts] = field(default_factory=dict)
    dimensions: dict[str, _Counts] = field(default_factory=dict)


def _stats(name: str, dimension: str, population: _Counts, fired: _Counts,
           min_sample: int) -> SignalStats:
    n_not = population.leads - fired.leads
    return SignalStats(
        name=name,
        dimension=dimension,
        population=population.leads,
        fired=fired.leads,
        fire_rate=Rate.of(fired.leads, population.leads),
        conversion=Comparison.of(
            Rate.of(fired.converted, fired.leads),
            Rate.of(population.converted - fired.converted, n_not),
            min_sample,
        ),
        win=Comparison.of(
            Rate.of(fired.won, fired.leads),
            Rate.of(population.won - fired.won, n_not),
            min_sample,
        ),
    )


class SignalAccumulator:
    def __init__(self) -> None:
        self._definitions: dict[str, _Definition] = {}
        self._dimension_of: dict[str, str] = {}

    def add(self, o: HandoffOutcome) -> None:
        d = self._definitions.setdefault(o.definition_hash, _Definition())
        d.base.add(o)
        for criterion, dimension in o.criterion_dimension.items():
            self._dimension_of[criterion] = dimension
            d.criteria.setdefault(criterion, _Counts())
            d.dimensions.setdefault(dimension, _Counts())
        for dimension in o.dimensions:
            d.dimensions.setdefault(dimension, _Counts())
        for criterion in o.fired:
            d.criteria.setdefault(criterion, _Counts()).add(o)
        for dimension in o.fired_dimensions():
            d.dimensions[dimension].add(o)

    def _pool(self, pick: str) -> dict[str, tuple[_Counts, _Counts]]:
        """name -> (population, fired), summed over the definitions that know the name."""
        pooled: dict[str, tuple[_Counts, _Counts]] = {}
        for d in self._definitions.values():
            table = d.criteria if pick == "criteria" else d.dimensions
            for name, fired in table.items():
                population, fired_total = pooled.setdefault(name, (_Counts(), _Counts()))
                population.merge(d.base)
                fired_total.merge(fired)
        return pooled

    def freeze(self, min_sample: int) -> tuple[tuple[SignalStats, ...], tuple[SignalStats, ...]]:
        criteria = [
            _stats(name, self._dimension_of.get(name, UNKNOWN_DIMENSION), pop, fired, min_sample)
            for name, (pop, fired) in self._pool("criteria").items()
        ]
        criteria.sort(key=lambda s: (s.dimension, -s.fired, s.name))
        dimensions = [
            _stats(name, name, pop, fired, min_sample)
            for name, (pop, fired) in self._pool("dimensions").items()
        ]
        dimensions.sort(key=lambda s: s.name)
        return tuple(criteria), tuple(dimensions)

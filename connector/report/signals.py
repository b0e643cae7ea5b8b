"""Per-criterion and per-dimension fire counts and lifts, accumulated per definition hash.

A criterion's *population* is every lead handed off under a definition (hash) in which the
criterion was seen: named in a lead's ``criterion_dimension`` map or fired. Leads handed off
under a definition that did not know the criterion are left out of both sides, so adding a
criterion in version 2 does not count every version-1 lead as "did not fire". A dimension
*fires* for a lead when at least one of its criteria fired; its population is the leads of every
definition hash where the dimension was seen (in ``dimensions`` or ``criterion_dimension``).

Every count is also kept weighted by ``1 / selection probability`` (explored leads stand for the
leads the rule held back), so the rates are Hajek estimates over all gate-passing leads; with no
exploration every weight is 1 and they are the plain rates over handed-off leads.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    w: float = 0.0  # sum of weights
    w2: float = 0.0  # sum of squared weights
    w_converted: float = 0.0
    w_won: float = 0.0

    def add(self, outcome: HandoffOutcome) -> None:
        weight = outcome.weight
        self.leads += 1
        self.converted += outcome.reached_opportunity
        self.won += outcome.won
        self.w += weight
        self.w2 += weight * weight
        self.w_converted += weight * outcome.reached_opportunity
        self.w_won += weight * outcome.won

    def merge(self, other: _Counts) -> None:
        self.leads += other.leads
        self.converted += other.converted
        self.won += other.won
        self.w += other.w
        self.w2 += other.w2
        self.w_converted += other.w_converted
        self.w_won += other.w_won

    def minus(self, other: _Counts) -> _Counts:
        return _Counts(self.leads - other.leads, self.converted - other.converted,
                       self.won - other.won, max(0.0, self.w - other.w),
                       max(0.0, self.w2 - other.w2),
                       max(0.0, self.w_converted - other.w_converted),
                       max(0.0, self.w_won - other.w_won))

    def conversion(self) -> Rate:
        return Rate.weighted(self.converted, self.leads, self.w_converted, self.w, self.w2)

    def win(self) -> Rate:
        return Rate.weighted(self.won, self.leads, self.w_won, self.w, self.w2)


@dataclass
class _Definition:
    """Everything counted for the leads of one definition hash."""

    base: _Counts = field(default_factory=_Counts)
    criteria: dict[str, _Counts] = field(default_factory=dict)
    dimensions: dict[str, _Counts] = field(default_factory=dict)


def _stats(name: str, dimension: str, population: _Counts, fired: _Counts,
           min_sample: int, label: str, withhold: bool) -> SignalStats:
    rest = population.minus(fired)
    conversion = Comparison.of(fired.conversion(), rest.conversion(), min_sample)
    win = Comparison.of(fired.win(), rest.win(), min_sample)
    if withhold:
        conversion, win = conversion.withheld(), win.withheld()
    return SignalStats(
        name=name,
        dimension=dimension,
        population=population.leads,
        fired=fired.leads,
        fire_rate=Rate.weighted(fired.leads, population.leads, fired.w, population.w,
                                population.w2),
        conversion=conversion,
        win=win,
        label=label or name,
    )


def by_effect(s: SignalStats) -> tuple[bool, float, str]:
    """Largest conversion difference first; signals with no measurable difference last."""
    d = s.conversion.difference
    return (d is None, -(d or 0.0), s.name)


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

    def freeze(self, min_sample: int, *, labels: Mapping[str, str] | None = None,
               withhold: bool = False
               ) -> tuple[tuple[SignalStats, ...], tuple[SignalStats, ...]]:
        """Criteria and dimensions, each sorted by effect (see :func:`by_effect`); ``labels``
        name them for people (criterion or dimension id -> label); ``withhold`` drops every
        verdict (the outcomes are known to be biased by selection)."""
        labels = labels or {}
        criteria = [
            _stats(name, self._dimension_of.get(name, UNKNOWN_DIMENSION), pop, fired, min_sample,
                   labels.get(name, ""), withhold)
            for name, (pop, fired) in self._pool("criteria").items()
        ]
        criteria.sort(key=by_effect)
        dimensions = [
            _stats(name, name, pop, fired, min_sample, labels.get(name, ""), withhold)
            for name, (pop, fired) in self._pool("dimensions").items()
        ]
        dimensions.sort(key=by_effect)
        return tuple(criteria), tuple(dimensions)

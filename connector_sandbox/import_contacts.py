"""Your own contacts in the simulated HubSpot portal: ``connector sandbox --contacts-file FILE``.

The file is an export of contacts, JSON lines or CSV (read by ``qualification.contacts_io``: the
same shapes ``connector qualify`` takes). Two streamed passes:

1. look at every column: a column that is not a portal property yet becomes one, its type
   inferred from its values (``bool`` when every value is true/false, ``number``, ``datetime``
   when every value is a date, else ``string``). A name starting ``hs_`` is a HubSpot-defined,
   read-only property (analytics the portal computes); any other is a custom property in the
   group ``imported``. A CSV header that is a property's *label* (HubSpot's own export headers:
   ``First Name``, ``Job Title``) is read as that property; any other header that is not an
   internal name becomes one (``Favourite Colour`` -> ``favourite_colour``). A value that an
   existing dropdown does not offer is added to its options, as your portal evidently has it.
2. load the contacts, each value stored as HubSpot stores it. The file's ids are not kept (the
   portal numbers its contacts; outcomes are linked by email); ``lastmodifieddate`` is the moment
   of the import (a real import is a change), ``createdate`` is the file's or that moment.

Nothing is dropped silently: bad rows (not JSON, no id...) and values a property refuses (a
``maybe`` in a true/false property) are counted and the first ones listed in the report.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from connector.qualification.condition_parser import PROPERTY_NAME, internal_name
from connector.qualification.contacts_io import ID_COLUMNS, BadRow, read_contacts
from connector.qualification.facts import parse_number, parse_timestamp
from connector_sandbox.hubspot.properties import Option, PropertyDef, PropertyRegistry, ValueProblem

if TYPE_CHECKING:
    from connector_sandbox.hubspot.simulator import HubSpotSimulator

GROUP = "imported"
MAX_LISTED = 20  # problems listed one by one in the report; the rest are counted
MAX_NEW_OPTIONS = 500  # per dropdown: beyond that a column is free text, not a picklist
NEUTRAL_INTENT = 0.5  # imported people have no hidden intent: their outcomes come from labels
_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{12,13}$")
PropertyType = Literal["bool", "number", "datetime", "string"]


@dataclass
class ImportReport:
    file: str
    contacts: int = 0
    bad_rows: int = 0
    refused_values: int = 0
    created: dict[str, str] = field(default_factory=dict)  # property -> type
    options_added: dict[str, list[str]] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)  # header -> property
    problems: list[str] = field(default_factory=list)  # the first MAX_LISTED, as lines

    def note(self, message: str) -> None:
        if len(self.problems) < MAX_LISTED:
            self.problems.append(message)

    def lines(self) -> list[str]:
        out = [f"imported {self.contacts} contact(s) from {self.file}"]
        if self.created:
            out.append("created properties: " + ", ".join(
                f"{name} ({kind})" for name, kind in sorted(self.created.items())))
        if self.renamed:
            out.append("read columns as: " + ", ".join(
                f"{header!r} -> {name}" for header, name in sorted(self.renamed.items())))
        for name, values in sorted(self.options_added.items()):
            out.append(f"added {len(values)} option(s) to {name}: " + ", ".join(values[:10])
                       + (" ..." if len(values) > 10 else ""))
        if self.bad_rows or self.refused_values:
            out.append(f"skipped {self.bad_rows} bad row(s) and {self.refused_values} refused "
                       "value(s):")
            out += [f"  {p}" for p in self.problems]
            hidden = self.bad_rows + self.refused_values - len(self.problems)
            if hidden > 0:
                out.append(f"  ... and {hidden} more")
        return out


@dataclass
class _Column:
    """What the values of one new column look like (pass 1)."""

    seen: int = 0
    numbers: int = 0
    booleans: int = 0
    dates: int = 0

    def add(self, value: str) -> None:
        self.seen += 1
        text = value.strip()
        if text.lower() in ("true", "false"):
            self.booleans += 1
        if parse_number(text) is not None:
            self.numbers += 1
        if _DATE_LIKE.match(text) and parse_timestamp(text) is not None:
            self.dates += 1

    def kind(self) -> PropertyType:
        if self.seen and self.booleans == self.seen:
            return "bool"
        if self.seen and self.dates == self.seen:
            return "datetime"
        if self.seen and self.numbers == self.seen:
            return "number"
        return "string"


def import_contacts(sim: HubSpotSimulator, path: str | os.PathLike[str]) -> ImportReport:
    """Load the contacts of ``path`` into ``sim``, creating the properties they need."""
    report = ImportReport(str(path))
    if not Path(path).is_file():
        raise FileNotFoundError(f"no such contacts file: {path}")
    names = _property_names(sim.registry, path, report)
    _plan_properties(sim.registry, path, names, report)
    ids = sim.contacts.load(_rows(sim, path, names, report))
    sim.engine.clear()
    report.contacts = len(ids)
    return report


def _property_names(registry: PropertyRegistry, path: str | os.PathLike[str],
                    report: ImportReport) -> dict[str, str]:
    """Column -> property name: as is, a property's label, or an internal name made of it."""
    by_label = {prop.label.casefold(): prop.name for prop in registry.all()}
    names: dict[str, str] = {}
    for item in read_contacts(path):
        if isinstance(item, BadRow):
            continue
        for column in item.properties:
            if column in names or column in ID_COLUMNS:
                continue
            if PROPERTY_NAME.fullmatch(column) or registry.get(column) is not None:
                names[column] = column
            else:
                names[column] = by_label.get(column.strip().casefold()) or internal_name(column)
                report.renamed[column] = names[column]
    return names


def _plan_properties(registry: PropertyRegistry, path: str | os.PathLike[str],
                     names: dict[str, str], report: ImportReport) -> None:
    """Pass 1: infer the type of each new property; collect new dropdown options."""
    new: dict[str, _Column] = {}
    options: dict[str, dict[str, None]] = {}
    for item in read_contacts(path):
        if isinstance(item, BadRow):
            continue
        for column, value in item.properties.items():
            name = names.get(column)
            if name is None or value is None or not value.strip():
                continue
            prop = registry.get(name)
            if prop is None:
                new.setdefault(name, _Column()).add(value)
            elif prop.type == "enumeration" and not prop.is_boolean:
                chosen = value.split(";") if prop.field_type == "checkbox" else [value]
                for one in chosen:
                    if one not in prop.option_values:
                        options.setdefault(name, {})[one] = None
    for name, values_seen in new.items():
        kind = values_seen.kind()
        registry.put(_new_property(name, kind))
        report.created[name] = kind
    for name, values in options.items():
        prop = registry.get(name)
        if prop is None or len(values) > MAX_NEW_OPTIONS:
            continue
        start = len(prop.options)
        added = tuple(Option(value, value, start + i) for i, value in enumerate(values))
        registry.put(replace(prop, options=prop.options + added))
        report.options_added[name] = list(values)


def _new_property(name: str, kind: PropertyType) -> PropertyDef:
    hubspot = name.startswith("hs_")
    field_type = {"bool": "booleancheckbox", "number": "number", "datetime": "date",
                  "string": "text"}[kind]
    options = (Option("Yes", "true", 0), Option("No", "false", 1)) if kind == "bool" else ()
    return PropertyDef(name, name.replace("_", " ").capitalize(), kind, field_type,
                       group_name=GROUP, options=options, read_only=hubspot,
                       hubspot_defined=hubspot)


def _rows(sim: HubSpotSimulator, path: str | os.PathLike[str], names: dict[str, str],
          report: ImportReport) -> Iterator[tuple[dict[str, str], float]]:
    """Pass 2: each contact as the store keeps it (values normalised, trusted writes)."""
    now = sim.registry.normalize("lastmodifieddate", sim.now().isoformat(), trusted=True) or ""
    refused: Counter[str] = Counter()
    number = 0
    for item in read_contacts(path):
        if isinstance(item, BadRow):
            report.bad_rows += 1
            report.note(f"line {item.line}: {item.message}")
            continue
        number += 1
        props: dict[str, str] = {}
        for column, value in item.properties.items():
            name = names.get(column)
            if name is None or value is None or name in ("hs_object_id", "lastmodifieddate"):
                continue
            try:
                stored = sim.registry.normalize(name, value, trusted=True)
            except ValueProblem as exc:
                report.refused_values += 1
                refused[name] += 1
                report.note(f"contact {item.id} ({_ordinal(number)} in the file): {name}: "
                            f"{exc.message}")
                continue
            if stored is not None:
                props[name] = stored
        props["lastmodifieddate"] = now
        props.setdefault("createdate", now)
        yield props, NEUTRAL_INTENT


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

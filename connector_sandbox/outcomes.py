"""Known outcomes played into the simulated org: ``connector sandbox outcomes --file labels.csv``.

To calibrate the definition on your own history before go-live: load your contacts into the
sandbox (``connector sandbox --contacts-file``), let the connector hand them off, then tell the
org what really became of each person, and run ``connector feedback`` and ``connector report``.

``labels.csv`` has a header and one row per person, linked to the handed-off Lead by email:

- ``email`` (required): the contact's email (case does not matter);
- ``converted`` (required): ``true`` / ``false`` (also ``yes`` / ``no``, ``1`` / ``0``);
- ``won``: for a converted lead, ``true`` closes its Opportunity Closed Won, ``false`` Closed
  Lost, blank leaves it open;
- ``amount``: the Opportunity amount (``12,500`` reads as 12500);
- ``reason``: for a lead not converted, the Disqualification Reason (one of the org's values:
  No Budget, No Authority, No Need, Bad Timing, Competitor, Bad Data).

A converted label converts the Lead (Account, Contact and an Opportunity, as a rep would) and
closes the Opportunity when ``won`` says so; a label not converted sets the Lead to
``Closed - Not Converted`` with the reason. Only Leads the connector handed off (they carry its
external id) are touched, and only once: a Lead that already has an outcome is left alone, so
running the command twice changes nothing. Each label without a handed-off Lead, each row that
cannot be read and each change the org refuses is reported with its line.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from connector.qualification.contacts_io import BadRow
from connector.qualification.facts import parse_number

REQUIRED_COLUMNS = ("email", "converted")
OPTIONAL_COLUMNS = ("won", "amount", "reason")
TRUE = frozenset({"true", "yes", "y", "1"})
FALSE = frozenset({"false", "no", "n", "0"})
CLOSED_STATUSES = frozenset({"Closed - Converted", "Closed - Not Converted"})
CHUNK = 200  # labels looked up per SOQL query
MAX_LISTED = 50


@dataclass(frozen=True)
class Label:
    line: int
    email: str
    converted: bool
    won: bool | None = None
    amount: float | None = None
    reason: str | None = None


@dataclass
class OutcomeReport:
    file: str
    applied: Counter[str] = field(default_factory=Counter)  # converted, won, lost, rejected...
    no_lead: list[tuple[int, str]] = field(default_factory=list)
    already: list[tuple[int, str]] = field(default_factory=list)  # the Lead had an outcome
    refused: list[tuple[int, str, str]] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.no_lead or self.refused or self.bad_rows)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "applied": dict(self.applied),
            "no_lead": [{"line": n, "email": e} for n, e in self.no_lead],
            "already_had_an_outcome": [{"line": n, "email": e} for n, e in self.already],
            "refused": [{"line": n, "email": e, "message": m} for n, e, m in self.refused],
            "bad_rows": [{"line": b.line, "message": b.message} for b in self.bad_rows],
        }

    def lines(self) -> list[str]:
        a = self.applied
        out = [f"{self.file}: converted {a['converted']} (won {a['won']}, lost {a['lost']}, "
               f"open {a['open']}), not converted {a['rejected']}"]
        groups: list[tuple[str, list[str]]] = [
            ("no handed-off Lead for", [f"line {n}: {e}" for n, e in self.no_lead]),
            ("already had an outcome (left alone)", [f"line {n}: {e}" for n, e in self.already]),
            ("refused by the org", [f"line {n}: {e}: {m}" for n, e, m in self.refused]),
            ("unreadable rows", [f"line {b.line}: {b.message}" for b in self.bad_rows]),
        ]
        for title, items in groups:
            if items:
                out.append(f"{len(items)} label(s) {title}:")
                out += [f"  {item}" for item in items[:MAX_LISTED]]
                if len(items) > MAX_LISTED:
                    out.append(f"  ... and {len(items) - MAX_LISTED} more")
        return out


class Org(Protocol):
    """What applying outcomes needs from the simulated org."""

    def handed_off_leads(self, emails: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Handed-off Leads by lower-case email."""

    def convert(self, lead_id: str, amount: float | None) -> str | None:
        """Convert the Lead with an Opportunity; its id."""

    def close_opportunity(self, opportunity_id: str, won: bool, amount: float | None) -> None:
        ...

    def reject(self, rejections: Sequence[tuple[str, str | None]]) -> list[str | None]:
        """``Closed - Not Converted`` with a reason, for each (lead id, reason); per lead, the
        org's refusal message or ``None``."""


def read_labels(path: str | os.PathLike[str]) -> Iterator[Label | BadRow]:
    """The labels of a CSV file (streamed); each row that cannot be read is a ``BadRow``."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            yield BadRow(1, f"no {' / '.join(missing)} column (columns: email, converted, "
                         "won, amount, reason)")
            return
        reader.fieldnames = header
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield BadRow(reader.line_num, f"unreadable CSV row: {exc}")
                continue
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            yield _label(reader.line_num, row)


def _label(line: int, row: dict[str, Any]) -> Label | BadRow:
    def cell(name: str) -> str:
        value = row.get(name)
        return value.strip() if isinstance(value, str) else ""

    email = cell("email").lower()
    if "@" not in email:
        return BadRow(line, f"no email address (got {cell('email')!r})")
    converted = _flag(cell("converted"))
    if converted is None:
        return BadRow(line, f"converted must be true or false, got {cell('converted')!r}")
    won = _flag(cell("won")) if cell("won") else None
    if cell("won") and won is None:
        return BadRow(line, f"won must be true, false or blank, got {cell('won')!r}")
    if won is not None and not converted:
        return BadRow(line, "won is given but the lead was not converted")
    amount = parse_number(cell("amount")) if cell("amount") else None
    if cell("amount") and (amount is None or amount < 0):
        return BadRow(line, f"amount must be a number >= 0, got {cell('amount')!r}")
    return Label(line, email, converted, won, amount, cell("reason") or None)


def _flag(text: str) -> bool | None:
    lowered = text.lower()
    return True if lowered in TRUE else False if lowered in FALSE else None


def apply_outcomes(path: str | os.PathLike[str], org: Org) -> OutcomeReport:
    """Play every label of ``path`` into ``org``, ``CHUNK`` labels at a time."""
    report = OutcomeReport(str(path))
    chunk: list[Label] = []
    for item in read_labels(path):
        if isinstance(item, BadRow):
            report.bad_rows.append(item)
            continue
        chunk.append(item)
        if len(chunk) >= CHUNK:
            _apply_chunk(chunk, org, report)
            chunk = []
    if chunk:
        _apply_chunk(chunk, org, report)
    return report


def _apply_chunk(labels: list[Label], org: Org, report: OutcomeReport) -> None:
    leads = org.handed_off_leads([label.email for label in labels])
    rejections: list[tuple[Label, str]] = []
    done: set[str] = set()  # a second label for the same person in this chunk: "already"
    for label in labels:
        lead = leads.get(label.email)
        if lead is None:
            report.no_lead.append((label.line, label.email))
            continue
        lead_id = str(lead["Id"])
        if lead_id in done or lead.get("IsConverted") or lead.get("Status") in CLOSED_STATUSES:
            report.already.append((label.line, label.email))
        elif not label.converted:
            rejections.append((label, lead_id))
        else:
            _convert(label, lead_id, org, report)
        done.add(lead_id)
    if rejections:
        results = org.reject([(lead_id, label.reason) for label, lead_id in rejections])
        for (label, _), refusal in zip(rejections, results, strict=True):
            if refusal is None:
                report.applied["rejected"] += 1
            else:
                report.refused.append((label.line, label.email, refusal))


def _convert(label: Label, lead_id: str, org: Org, report: OutcomeReport) -> None:
    try:
        opportunity = org.convert(lead_id, label.amount)
    except OrgRefused as exc:
        report.refused.append((label.line, label.email, str(exc)))
        return
    report.applied["converted"] += 1
    if label.won is None or opportunity is None:
        report.applied["open"] += 1
        return
    try:
        org.close_opportunity(opportunity, label.won, label.amount)
    except OrgRefused as exc:
        report.refused.append((label.line, label.email, str(exc)))
        return
    report.applied["won" if label.won else "lost"] += 1


class OrgRefused(Exception):
    """The simulated org refused a change (the message says why)."""

"""Live schemas reduced to what the checks need: one ``FieldInfo`` per field or property.

Input shapes are the APIs' own JSON: HubSpot ``GET /crm/v3/properties/contacts`` results (facts
sheet A5) and Salesforce ``GET /sobjects/<Object>/describe`` (C6). The decision fields of a
qualification (``decision.score``...) get a fixed description here, since they are ours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from connector.fieldmap.model import Mapping as FieldMapping
from connector.fieldmap.transforms import HUBSPOT_TEXT_LIMIT, Kind

System = Literal["hubspot", "salesforce", "decision"]

_SF_KINDS: dict[str, Kind] = {
    "double": "number",
    "currency": "number",
    "int": "number",
    "percent": "number",
    "long": "number",
    "boolean": "bool",
    "date": "date",
    "datetime": "datetime",
}
_SF_PICKLISTS = ("picklist", "multipicklist")
#: Unrestricted picklists whose values mean something to Salesforce (the LeadStatus and
#: OpportunityStage value sets: converted, closed, won). A default org stores any text in them,
#: so the connector checks the values it writes there itself, as if they were restricted.
CHECKED_PICKLISTS = frozenset({("Lead", "Status"), ("Opportunity", "StageName")})
_HS_KINDS: dict[str, Kind] = {
    "number": "number",
    "bool": "bool",
    "date": "date",
    "datetime": "datetime",
}


@dataclass(frozen=True)
class FieldInfo:
    """A field (Salesforce) or property (HubSpot) as the checks see it.

    ``text_encoded``: its values travel as strings (every HubSpot value does), so a number or
    boolean needs a parsing transform before it is typed. ``length`` is None when unbounded or
    not text. ``options`` are the active picklist / enumeration values (None: not a picklist).
    ``checked``: an unrestricted picklist of ``CHECKED_PICKLISTS``, whose values the connector
    checks before writing (``closed`` is restricted or checked).
    """

    name: str
    system: System
    kind: Kind
    type_label: str
    length: int | None = None
    options: tuple[str, ...] | None = None
    restricted: bool = False
    createable: bool = True
    updateable: bool = True
    required_on_create: bool = False
    external_id: bool = False
    text_encoded: bool = False
    checked: bool = False

    @property
    def is_picklist(self) -> bool:
        return self.options is not None and self.kind == "text"

    @property
    def closed(self) -> bool:
        """Values outside ``options`` are refused: by Salesforce, or by the connector."""
        return self.restricted or self.checked


def salesforce_field(raw: Mapping[str, Any], sobject: str | None = None) -> FieldInfo:
    type_ = str(raw.get("type", "string"))
    picklist = type_ in _SF_PICKLISTS
    options = tuple(
        str(v.get("value"))
        for v in raw.get("picklistValues") or []
        if isinstance(v, Mapping) and v.get("active", True)
    )
    kind = _SF_KINDS.get(type_, "text")
    length = raw.get("length")
    createable = bool(raw.get("createable", False))
    restricted = picklist and bool(raw.get("restrictedPicklist", False))
    name = str(raw.get("name"))
    return FieldInfo(
        name=name,
        system="salesforce",
        kind=kind,
        type_label=type_,
        length=int(length) if kind == "text" and isinstance(length, int) and length > 0 else None,
        options=options if picklist else None,
        restricted=restricted,
        checked=picklist and not restricted and (sobject, name) in CHECKED_PICKLISTS,
        createable=createable,
        updateable=bool(raw.get("updateable", False)),
        required_on_create=createable
        and not raw.get("nillable", True)
        and not raw.get("defaultedOnCreate", False),
        external_id=bool(raw.get("externalId", False)),
    )


def hubspot_property(raw: Mapping[str, Any]) -> FieldInfo:
    type_ = str(raw.get("type", "string"))
    field_type = str(raw.get("fieldType", "text"))
    options = tuple(str(o.get("value")) for o in raw.get("options") or [] if isinstance(o, Mapping))
    if type_ == "bool" or field_type == "booleancheckbox":
        kind: Kind = "bool"
    else:
        kind = _HS_KINDS.get(type_, "text")
    meta = raw.get("modificationMetadata") or {}
    writable = not meta.get("readOnlyValue", False) and not raw.get("calculated", False)
    enumeration = type_ == "enumeration" and kind == "text"
    if enumeration:
        length = max((len(o) for o in options), default=0) or None
    else:
        length = HUBSPOT_TEXT_LIMIT if kind == "text" else None
    return FieldInfo(
        name=str(raw.get("name")),
        system="hubspot",
        kind=kind,
        type_label=f"{type_}/{field_type}",
        length=length,
        options=options if enumeration else None,
        restricted=enumeration,
        createable=writable,
        updateable=writable,
        text_encoded=True,
    )


def _decision(name: str, kind: Kind) -> FieldInfo:
    return FieldInfo(f"decision.{name}", "decision", kind, f"decision {kind}", text_encoded=True)


DECISION_INFO: dict[str, FieldInfo] = {
    info.name: info
    for info in (
        _decision("qualified", "bool"),
        _decision("grade", "text"),
        _decision("score", "number"),
        _decision("fit_score", "number"),
        _decision("engagement_score", "number"),
        _decision("version", "text"),
        _decision("hash", "text"),
        _decision("summary", "text"),
        _decision("decided_at", "datetime"),
    )
}


def index_salesforce(describe: Mapping[str, Any] | None) -> dict[str, FieldInfo]:
    fields = (describe or {}).get("fields") or []
    sobject = (describe or {}).get("name")
    name = str(sobject) if sobject else None
    return {str(f.get("name")): salesforce_field(f, name) for f in fields
            if isinstance(f, Mapping)}


def index_hubspot(properties: Iterable[Mapping[str, Any]]) -> dict[str, FieldInfo]:
    return {str(p.get("name")): hubspot_property(p) for p in properties if not p.get("archived")}


def salesforce_lengths(describe: Mapping[str, Any] | None) -> dict[str, int]:
    """Text field lengths of one describe, for ``Mapping.with_target_lengths``."""
    return {n: i.length for n, i in index_salesforce(describe).items() if i.length}


def salesforce_checked_options(describe: Mapping[str, Any] | None) -> dict[str, frozenset[str]]:
    """The values of the picklists the connector checks itself (``CHECKED_PICKLISTS``), for
    ``Mapping.with_target_options``."""
    return {n: frozenset(i.options or ()) for n, i in index_salesforce(describe).items()
            if i.checked}


def bind_schema(
    mapping: FieldMapping,
    *,
    salesforce_describes: Mapping[str, Mapping[str, Any]] | None = None,
    hubspot_properties: Iterable[Mapping[str, Any]] | None = None,
) -> FieldMapping:
    """``mapping`` with its targets' lengths taken from the live schema (for ``truncate``)."""
    if mapping.direction == "lead":
        describe = (salesforce_describes or {}).get(mapping.target_object)
        return mapping.with_target_lengths(salesforce_lengths(describe)).with_target_options(
            salesforce_checked_options(describe))
    infos = index_hubspot(hubspot_properties or [])
    return mapping.with_target_lengths({n: i.length for n, i in infos.items() if i.length})

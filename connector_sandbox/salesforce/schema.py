"""Field and object metadata, and its rendering as Salesforce ``describe`` JSON.

``FieldDef`` holds what describe reports about a field; ``SObjectDef`` an object with its fields
(looked up case-insensitively, as the API does). The org's actual objects are in ``catalog.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

STRING_TYPES = frozenset(
    {"string", "textarea", "phone", "url", "email", "picklist", "combobox", "id", "reference"})
NUMBER_TYPES = frozenset({"int", "double", "currency", "percent"})
_SOAP_TYPES = {
    "id": "tns:ID", "reference": "tns:ID", "boolean": "xsd:boolean", "int": "xsd:int",
    "double": "xsd:double", "currency": "xsd:double", "percent": "xsd:double",
    "date": "xsd:date", "datetime": "xsd:dateTime", "address": "urn:address",
}


_ADDRESS_PARTS = (("city", "City"), ("country", "Country"),
                  ("geocodeAccuracy", "GeocodeAccuracy"), ("latitude", "Latitude"),
                  ("longitude", "Longitude"), ("postalCode", "PostalCode"), ("state", "State"),
                  ("street", "Street"))


def compound_address(row: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """The value of the compound address field ``name`` (``Address``, ``BillingAddress`` ...)
    as the API renders it, from its parts; None when every part is empty."""
    prefix = name[: -len("Address")]
    value = {key: row.get(prefix + part) for key, part in _ADDRESS_PARTS}
    return value if any(v is not None for v in value.values()) else None


@dataclass(frozen=True)
class PicklistValue:
    value: str
    label: str = ""
    active: bool = True
    default: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"active": self.active, "defaultValue": self.default,
                "label": self.label or self.value, "validFor": None, "value": self.value}


@dataclass(frozen=True)
class FieldDef:
    name: str
    label: str
    type: str
    length: int = 0
    nillable: bool = True
    createable: bool = True
    updateable: bool = True
    custom: bool = False
    external_id: bool = False
    unique: bool = False
    restricted_picklist: bool = False
    default_value: Any = None
    defaulted_on_create: bool = False
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    picklist: tuple[PicklistValue, ...] = ()
    precision: int = 0
    scale: int = 0
    digits: int = 0
    name_field: bool = False
    calculated: bool = False
    id_lookup: bool | None = None
    """None: what most fields report (true for Id, external ids and Email)."""
    compound: str | None = None
    """``compoundFieldName``: the compound field (Name, Address) this one is a part of."""
    extra_type: str | None = None
    """``extraTypeInfo`` (personname, plaintextarea, imageurl ...)."""
    cascade_delete: bool = False

    @property
    def required(self) -> bool:
        """What describe-driven tools call required: not nillable, createable, no default."""
        return not self.nillable and self.createable and not self.defaulted_on_create

    @property
    def filterable(self) -> bool:
        return not (self.type == "textarea" and self.length > 255) and self.type != "address"

    @cached_property
    def active_values(self) -> frozenset[str]:
        return frozenset(p.value for p in self.picklist if p.active)

    @property
    def is_id_lookup(self) -> bool:
        if self.id_lookup is not None:
            return self.id_lookup
        return self.type == "id" or self.external_id or self.name == "Email"

    def describe(self) -> dict[str, Any]:
        text_like = self.type in STRING_TYPES or self.type == "textarea"
        writable = self.createable or self.updateable
        return {
            "aggregatable": self.filterable and self.type not in ("boolean", "address"),
            "aiPredictionField": False,
            "autoNumber": False,
            "byteLength": self.length * 3 if text_like else 0,
            "calculated": self.calculated,
            "calculatedFormula": None,
            "cascadeDelete": self.cascade_delete,
            "caseSensitive": False,
            "compoundFieldName": self.compound,
            "controllerName": None,
            "createable": self.createable,
            "custom": self.custom,
            "defaultValue": self.default_value,
            "defaultValueFormula": None,
            "defaultedOnCreate": self.defaulted_on_create,
            "dependentPicklist": False,
            "deprecatedAndHidden": False,
            "digits": self.digits,
            "displayLocationInDecimal": False,
            "encrypted": False,
            "externalId": self.external_id,
            "extraTypeInfo": self.extra_type,
            "filterable": self.filterable,
            "filteredLookupInfo": None,
            "formulaTreatNullNumberAsZero": False,
            "groupable": self.filterable and self.type not in (
                "double", "currency", "percent", "address"),
            "highScaleNumber": False,
            "htmlFormatted": False,
            "idLookup": self.is_id_lookup,
            "inlineHelpText": None,
            "label": self.label,
            "length": self.length,
            "mask": None,
            "maskType": None,
            "name": self.name,
            "nameField": self.name_field,
            "namePointing": False,
            "nillable": self.nillable,
            "permissionable": self.nillable and (writable or self.custom),
            "picklistValues": [p.as_dict() for p in self.picklist],
            "polymorphicForeignKey": len(self.reference_to) > 1,
            "precision": self.precision,
            "queryByDistance": self.type in ("address", "location"),
            "referenceTargetField": None,
            "referenceTo": list(self.reference_to),
            "relationshipName": self.relationship_name,
            "relationshipOrder": None,
            "restrictedDelete": False,
            "restrictedPicklist": self.restricted_picklist,
            "scale": self.scale,
            "searchPrefilterable": self.type == "reference",
            "soapType": _SOAP_TYPES.get(self.type, "xsd:string"),
            "sortable": self.filterable and self.type != "address",
            "type": self.type,
            "unique": self.unique,
            "updateable": self.updateable,
            "writeRequiresMasterRead": False,
        }


@dataclass(frozen=True)
class SObjectDef:
    name: str
    label: str
    label_plural: str
    key_prefix: str
    fields: tuple[FieldDef, ...]
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    custom: bool = False
    child_relationships: tuple[tuple[str, str, str | None, bool], ...] = ()
    """(childSObject, field, relationshipName, cascadeDelete)"""
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def by_lower(self) -> dict[str, FieldDef]:
        return {f.name.lower(): f for f in self.fields}

    @cached_property
    def by_relationship(self) -> dict[str, FieldDef]:
        return {f.relationship_name.lower(): f for f in self.fields if f.relationship_name}

    def field(self, name: str) -> FieldDef | None:
        return self.by_lower.get(name.lower())

    @cached_property
    def required_fields(self) -> tuple[FieldDef, ...]:
        return tuple(f for f in self.fields if f.required)

    @cached_property
    def external_id_fields(self) -> tuple[FieldDef, ...]:
        return tuple(f for f in self.fields if f.external_id)

    def urls(self, version: str) -> dict[str, str]:
        base = f"/services/data/v{version}/sobjects/{self.name}"
        return {"compactLayouts": f"{base}/describe/compactLayouts",
                "rowTemplate": f"{base}/{{ID}}",
                "approvalLayouts": f"{base}/describe/approvalLayouts",
                "defaultValues": f"{base}/defaultValues?recordTypeId&fields",
                "listviews": f"{base}/listviews", "describe": f"{base}/describe",
                "quickActions": f"{base}/quickActions", "layouts": f"{base}/describe/layouts",
                "sobject": base}

    def describe_basic(self, version: str) -> dict[str, Any]:
        return {
            "activateable": False, "associateEntityType": None, "associateParentEntity": None,
            "createable": self.createable, "custom": self.custom,
            "customSetting": False, "deepCloneable": False, "deletable": self.deletable,
            "deprecatedAndHidden": False, "feedEnabled": True, "hasSubtypes": False,
            "isInterface": False, "isSubtype": False, "keyPrefix": self.key_prefix,
            "label": self.label, "labelPlural": self.label_plural,
            "layoutable": True, "mergeable": self.name in ("Lead", "Contact", "Account"),
            "mruEnabled": True, "name": self.name, "queryable": True, "replicateable": True,
            "retrieveable": True, "searchable": True, "triggerable": True, "undeletable": True,
            "updateable": self.updateable, "urls": self.urls(version),
        }

    def describe(self, version: str) -> dict[str, Any]:
        out = self.describe_basic(version)
        out.update({
            "actionOverrides": [],
            "childRelationships": [
                {"cascadeDelete": cascade, "childSObject": child, "deprecatedAndHidden": False,
                 "field": fld, "junctionIdListNames": [], "junctionReferenceTo": [],
                 "relationshipName": rel, "restrictedDelete": False}
                for child, fld, rel, cascade in self.child_relationships],
            "compactLayoutable": True, "dataTranslationEnabled": False,
            "defaultImplementation": None, "extendedBy": None, "extendsInterfaces": None,
            "fields": [f.describe() for f in self.fields], "implementedBy": None,
            "implementsInterfaces": None,
            "listviewable": None, "lookupLayoutable": None, "namedLayoutInfos": [],
            "networkScopeFieldName": None,
            "recordTypeInfos": [{
                "active": True, "available": True, "defaultRecordTypeMapping": True,
                "developerName": "Master", "master": True, "name": "Master",
                "recordTypeId": "012000000000000AAA",
                "urls": {"layout": f"/services/data/v{version}/sobjects/{self.name}"
                                   "/describe/layouts/012000000000000AAA"}}],
            "searchLayoutable": True, "sobjectDescribeOption": "FULL", "supportedScopes": [
                {"label": "All " + self.label_plural.lower(), "name": "everything"},
                {"label": "My " + self.label_plural.lower(), "name": "mine"}],
        })
        out.update(self.extra)
        return dict(sorted(out.items()))

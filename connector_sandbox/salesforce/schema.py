"""Field and object metadata, and its rendering as Salesforce ``describe`` JSON.

``FieldDef`` holds what describe reports about a field; ``SObjectDef`` an object with its fields
(looked up case-insensitively, as the API does). The org's actual objects are in ``catalog.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

STRING_TYPES = frozenset(
    {"string", "textarea", "phone", "url", "email", "picklist", "combobox", "id", "reference"})
NUMBER_TYPES = frozenset({"int", "double", "currency", "percent"})
_SOAP_TYPES = {
    "id": "tns:ID", "reference": "tns:ID", "boolean": "xsd:boolean", "int": "xsd:int",
    "double": "xsd:double", "currency": "xsd:double", "percent": "xsd:double",
    "date": "xsd:date", "datetime": "xsd:dateTime",
}


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

    @property
    def required(self) -> bool:
        """What describe-driven tools call required: not nillable, createable, no default."""
        return not self.nillable and self.createable and not self.defaulted_on_create

    @property
    def filterable(self) -> bool:
        return not (self.type == "textarea" and self.length > 255)

    @cached_property
    def active_values(self) -> frozenset[str]:
        return frozenset(p.value for p in self.picklist if p.active)

    def describe(self) -> dict[str, Any]:
        text_like = self.type in STRING_TYPES or self.type == "textarea"
        return {
            "aggregatable": self.filterable and self.type != "boolean",
            "autoNumber": False,
            "byteLength": self.length * 3 if text_like else 0,
            "calculated": self.calculated,
            "calculatedFormula": None,
            "caseSensitive": False,
            "controllerName": None,
            "createable": self.createable,
            "custom": self.custom,
            "defaultValue": self.default_value,
            "defaultValueFormula": None,
            "defaultedOnCreate": self.defaulted_on_create,
            "dependentPicklist": False,
            "deprecatedAndHidden": False,
            "digits": self.digits,
            "externalId": self.external_id,
            "filterable": self.filterable,
            "groupable": self.filterable and self.type not in ("double", "currency", "percent"),
            "htmlFormatted": False,
            "idLookup": self.type == "id" or self.external_id or self.name == "Email",
            "inlineHelpText": None,
            "label": self.label,
            "length": self.length,
            "name": self.name,
            "nameField": self.name_field,
            "namePointing": False,
            "nillable": self.nillable,
            "picklistValues": [p.as_dict() for p in self.picklist],
            "polymorphicForeignKey": len(self.reference_to) > 1,
            "precision": self.precision,
            "referenceTo": list(self.reference_to),
            "relationshipName": self.relationship_name,
            "relationshipOrder": None,
            "restrictedPicklist": self.restricted_picklist,
            "scale": self.scale,
            "soapType": _SOAP_TYPES.get(self.type, "xsd:string"),
            "sortable": self.filterable,
            "type": self.type,
            "unique": self.unique,
            "updateable": self.updateable,
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
    child_relationships: tuple[tuple[str, str, str], ...] = ()
    """(childSObject, field, relationshipName)"""
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
        return {"rowTemplate": f"{base}/{{ID}}",
                "defaultValues": f"{base}/defaultValues?recordTypeId&fields",
                "describe": f"{base}/describe", "sobject": base}

    def describe_basic(self, version: str) -> dict[str, Any]:
        return {
            "activateable": False, "createable": self.createable, "custom": self.custom,
            "customSetting": False, "deletable": self.deletable, "deprecatedAndHidden": False,
            "feedEnabled": True, "hasSubtypes": False, "isSubtype": False,
            "keyPrefix": self.key_prefix, "label": self.label, "labelPlural": self.label_plural,
            "layoutable": True, "mergeable": self.name in ("Lead", "Contact", "Account"),
            "mruEnabled": True, "name": self.name, "queryable": True, "replicateable": True,
            "retrieveable": True, "searchable": True, "triggerable": True, "undeletable": True,
            "updateable": self.updateable, "urls": self.urls(version),
        }

    def describe(self, version: str) -> dict[str, Any]:
        out = self.describe_basic(version)
        out.update({
            "childRelationships": [
                {"cascadeDelete": False, "childSObject": child, "deprecatedAndHidden": False,
                 "field": fld, "junctionIdListNames": [], "junctionReferenceTo": [],
                 "relationshipName": rel, "restrictedDelete": False}
                for child, fld, rel in self.child_relationships],
            "compactLayoutable": True,
            "fields": [f.describe() for f in self.fields],
            "listviewable": None, "lookupLayoutable": None, "namedLayoutInfos": [],
            "networkScopeFieldName": None,
            "recordTypeInfos": [{
                "active": True, "available": True, "defaultRecordTypeMapping": True,
                "developerName": "Master", "master": True, "name": "Master",
                "recordTypeId": "012000000000000AAA",
                "urls": {"layout": f"/services/data/v{version}/sobjects/{self.name}"
                                   "/describe/layouts/012000000000000AAA"}}],
            "searchLayoutable": True, "supportedScopes": [
                {"label": "All " + self.label_plural.lower(), "name": "everything"},
                {"label": "My " + self.label_plural.lower(), "name": "mine"}],
        })
        out.update(self.extra)
        return out

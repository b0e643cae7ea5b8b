"""Single-record calls and describe through simple-salesforce."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceMalformedRequest,
    SalesforceMoreThanOneRecord,
    SalesforceResourceNotFound,
)
from simple_salesforce.format import format_external_id

from .helpers import EXT, Client, SfSandbox, content, unused_id


def test_create_get_update_delete(sfx: SfSandbox, sf: Client) -> None:
    created = sf.Lead.create({"LastName": "Hopper", "FirstName": "Grace", "Company": "Navy",
                              "Email": "grace@navy.example", "Handoff_Score__c": 87,
                              "Handoff_At__c": "2026-11-29T10:00:00+01:00"})
    assert created["success"] is True and created["errors"] == []
    record = sf.Lead.get(created["id"])
    assert record["attributes"]["type"] == "Lead"
    assert record["Name"] == "Grace Hopper" and record["Status"] == "Open - Not Contacted"
    assert record["Handoff_Score__c"] == 87.0
    assert record["Handoff_At__c"] == "2026-11-29T09:00:00.000+0000"
    assert record["CreatedDate"].endswith("+0000") and len(record["CreatedDate"]) == 28
    assert record["IsConverted"] is False
    assert sf.Lead.update(created["id"], {"Title": "Rear Admiral"}) == 204
    updated = sf.Lead.get(created["id"])
    assert updated["Title"] == "Rear Admiral"
    assert updated["SystemModstamp"] >= record["SystemModstamp"]
    assert updated["LastModifiedDate"] == updated["SystemModstamp"]
    assert sf.Lead.get(created["id"][:15])["Id"] == created["id"]  # 15-char ids work too
    assert sf.Lead.delete(created["id"]) == 204
    with pytest.raises(SalesforceResourceNotFound):
        sf.Lead.get(created["id"])


def test_get_with_a_field_list_and_missing_records(sf: Client) -> None:
    created = sf.Contact.create({"LastName": "Lamarr", "Email": "hedy@example.com"})
    partial = sf.restful(f"sobjects/Contact/{created['id']}", params={"fields": "Email,Name"})
    assert list(partial) == ["attributes", "Email", "Name"]
    with pytest.raises(SalesforceResourceNotFound) as missing:
        sf.Contact.get(unused_id("003"))
    assert content(missing.value)[0]["errorCode"] == "NOT_FOUND"


def test_single_record_validation_errors_are_400_arrays(sf: Client) -> None:
    with pytest.raises(SalesforceMalformedRequest) as bad:
        sf.Lead.create({"FirstName": "No", "Email": "not-an-email", "Name": "No Name",
                        "Purchase_Timeline__c": "Maybe", "Title": "x" * 129, "Unknown__c": 1,
                        "NumberOfEmployees": "many"})
    found = {e["errorCode"]: e for e in content(bad.value)}
    assert set(found) == {"INVALID_FIELD_FOR_INSERT_UPDATE", "INVALID_EMAIL_ADDRESS",
                          "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "STRING_TOO_LONG",
                          "INVALID_FIELD", "INVALID_TYPE_ON_FIELD_IN_RECORD"}
    assert found["INVALID_FIELD_FOR_INSERT_UPDATE"]["fields"] == ["Name"]
    with pytest.raises(SalesforceMalformedRequest) as missing:
        sf.Lead.create({"FirstName": "No"})
    assert content(missing.value) == [{"message": "Required fields are missing: [LastName, "
                                      "Company]", "errorCode": "REQUIRED_FIELD_MISSING",
                                      "fields": ["LastName", "Company"]}]


def test_upsert_by_external_id_201_200_and_300(sf_factory: Callable[..., SfSandbox]) -> None:
    box = sf_factory(external_id_unique=False)
    sf = box.direct()
    key = format_external_id(EXT, "hs/42")
    assert sf.Lead.upsert(key, {"LastName": "Knuth", "Company": "Stanford"}) == 201
    response = sf.Lead.upsert(key, {"Title": "Professor"}, raw_response=True)
    assert response.status_code == 200
    assert response.json() == {"id": response.json()["id"], "success": True, "errors": [],
                               "created": False}
    assert sf.Lead.get_by_custom_id(EXT, "hs/42")["Title"] == "Professor"
    box.sim.org.insert("Lead", {"LastName": "Twin", "Company": "Stanford", EXT: "hs/42"})
    with pytest.raises(SalesforceMoreThanOneRecord) as many:
        sf.Lead.upsert(key, {"Title": "Which one?"})
    assert len(content(many.value)) == 2
    assert content(many.value)[0].startswith("/services/data/v59.0/sobjects/Lead/00Q")


def test_upsert_edge_cases(sfx: SfSandbox, sf: Client) -> None:
    with pytest.raises(SalesforceResourceNotFound) as not_external:
        sf.Lead.upsert("Title/CEO", {"LastName": "X", "Company": "Y"})  # not an idLookup
    assert "Provided external ID field does not exist" in content(not_external.value)[0][
        "message"]
    with pytest.raises(SalesforceResourceNotFound):
        sf.restful(f"sobjects/Lead/{EXT}/new-one", params={"updateOnly": "true"},
                   method="PATCH", json={"LastName": "X", "Company": "Y"})
    old: Client = Salesforce(instance_url=sfx.url, session_id=sfx.sim.issue_session(),
                             session=sfx.session(), version="45.0")
    assert old.Lead.upsert(f"{EXT}/v45", {"LastName": "Old", "Company": "API"}) == 201
    assert old.Lead.upsert(f"{EXT}/v45", {"Title": "Still old"}) == 204


def test_auto_assign_header_routes_leads_to_sales_reps(sfx: SfSandbox, sf: Client) -> None:
    reps = set(sfx.sim.org.rep_ids())
    integration = sfx.sim.org.integration_user_id
    owners = [sf.Lead.get(sf.Lead.create({"LastName": f"R{i}", "Company": "C"})["id"])["OwnerId"]
              for i in range(len(reps))]
    assert set(owners) == reps  # round robin over every rep
    kept = sf.Lead.create({"LastName": "Mine", "Company": "C"},
                          headers={"Sforce-Auto-Assign": "FALSE"})
    assert sf.Lead.get(kept["id"])["OwnerId"] == integration
    sf.Lead.update(kept["id"], {"Title": "Again"})  # default TRUE also applies on update
    assert sf.Lead.get(kept["id"])["OwnerId"] in reps
    contact = sf.Contact.create({"LastName": "NotALead"})
    assert sf.Contact.get(contact["id"])["OwnerId"] == integration


def test_converted_leads_are_read_only(sfx: SfSandbox, sf: Client) -> None:
    lead_id = sf.Lead.create({"LastName": "Done", "Company": "Deal"})["id"]
    sfx.sim.org.convert_lead(lead_id)
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Lead.update(lead_id, {"Title": "x"})
    assert content(refused.value)[0]["errorCode"] == "CANNOT_UPDATE_CONVERTED_LEAD"


def test_describe_lead_matches_the_data_model(sf: Client) -> None:
    describe = sf.Lead.describe()
    fields = {f["name"]: f for f in describe["fields"]}
    assert describe["name"] == "Lead" and describe["keyPrefix"] == "00Q"
    ext = fields[EXT]
    assert (ext["externalId"], ext["unique"], ext["custom"], ext["length"], ext["type"]) == (
        True, True, True, 50, "string")
    status = fields["Status"]
    assert status["restrictedPicklist"] is False and status["nillable"] is False
    assert [p["value"] for p in status["picklistValues"] if p["defaultValue"]] == [
        "Open - Not Contacted"]
    assert fields["Disqualification_Reason__c"]["restrictedPicklist"] is True
    assert fields["Budget_Range__c"]["restrictedPicklist"] is False
    assert fields["Email"]["type"] == "email" and fields["Email"]["length"] == 80
    assert fields["Company"]["nillable"] is False and fields["LastName"]["length"] == 80
    assert fields["IsConverted"]["updateable"] is False
    assert fields["IsConverted"]["createable"] is True
    converted = fields["ConvertedOpportunityId"]
    assert converted["referenceTo"] == ["Opportunity"]
    assert converted["relationshipName"] == "ConvertedOpportunity"
    assert fields["Handoff_At__c"]["type"] == "datetime"
    assert fields["Handoff_Score__c"]["type"] == "double"
    assert fields["Handoff_Reasons__c"]["filterable"] is False
    assert describe == sf.restful("sobjects/Lead/describe/")


# The key sets of a default org's describe (API v59+): every object, every field.
DESCRIBE_KEYS = {
    "actionOverrides", "activateable", "associateEntityType", "associateParentEntity",
    "childRelationships", "compactLayoutable", "createable", "custom", "customSetting",
    "dataTranslationEnabled", "deepCloneable", "defaultImplementation", "deletable",
    "deprecatedAndHidden", "extendedBy", "extendsInterfaces", "feedEnabled", "fields",
    "hasSubtypes", "implementedBy", "implementsInterfaces", "isInterface", "isSubtype",
    "keyPrefix", "label", "labelPlural", "layoutable", "listviewable", "lookupLayoutable",
    "mergeable", "mruEnabled", "name", "namedLayoutInfos", "networkScopeFieldName", "queryable",
    "recordTypeInfos", "replicateable", "retrieveable", "searchLayoutable", "searchable",
    "sobjectDescribeOption", "supportedScopes", "triggerable", "undeletable", "updateable",
    "urls"}
FIELD_KEYS = {
    "aggregatable", "aiPredictionField", "autoNumber", "byteLength", "calculated",
    "calculatedFormula", "cascadeDelete", "caseSensitive", "compoundFieldName", "controllerName",
    "createable", "custom", "defaultValue", "defaultValueFormula", "defaultedOnCreate",
    "dependentPicklist", "deprecatedAndHidden", "digits", "displayLocationInDecimal",
    "encrypted", "externalId", "extraTypeInfo", "filterable", "filteredLookupInfo",
    "formulaTreatNullNumberAsZero", "groupable", "highScaleNumber", "htmlFormatted",
    "idLookup", "inlineHelpText", "label", "length", "mask", "maskType", "name", "nameField",
    "namePointing", "nillable", "permissionable", "picklistValues", "polymorphicForeignKey",
    "precision", "queryByDistance", "referenceTargetField", "referenceTo", "relationshipName",
    "relationshipOrder", "restrictedDelete", "restrictedPicklist", "scale",
    "searchPrefilterable", "soapType", "sortable", "type", "unique", "updateable",
    "writeRequiresMasterRead"}
CHILD_KEYS = {"cascadeDelete", "childSObject", "deprecatedAndHidden", "field",
              "junctionIdListNames", "junctionReferenceTo", "relationshipName",
              "restrictedDelete"}


@pytest.mark.parametrize("name", ["Lead", "Contact", "Account", "Opportunity", "Task", "User"])
def test_describe_every_object_has_the_full_key_sets(sf: Client, name: str) -> None:
    describe = getattr(sf, name).describe()
    assert describe["name"] == name and describe["fields"][0]["name"] == "Id"
    assert set(describe) == DESCRIBE_KEYS
    assert list(describe) == sorted(describe)
    for f in describe["fields"]:
        assert set(f) == FIELD_KEYS, f["name"]
    assert describe["childRelationships"]
    for child in describe["childRelationships"]:
        assert set(child) == CHILD_KEYS


def test_describe_of_a_default_org_lead_and_opportunity(sf: Client) -> None:
    lead = {f["name"]: f for f in sf.Lead.describe()["fields"]}
    assert {"Salutation", "FirstName", "LastName", "Name", "Street", "City", "State",
            "PostalCode", "Country", "Latitude", "Longitude", "GeocodeAccuracy", "Address",
            "Phone", "MobilePhone", "Fax", "Email", "Website", "PhotoUrl", "LeadSource",
            "Status", "Industry", "Rating", "AnnualRevenue", "NumberOfEmployees", "OwnerId",
            "IsConverted", "ConvertedDate", "IsUnreadByOwner", "MasterRecordId",
            "HasOptedOutOfEmail", "DoNotCall", "LastActivityDate", "Jigsaw", "CleanStatus",
            "IndividualId", "EmailBouncedReason"} <= set(lead)
    status = lead["Status"]
    assert status["restrictedPicklist"] is False
    assert [p["value"] for p in status["picklistValues"]] == [
        "Open - Not Contacted", "Working - Contacted", "Closed - Converted",
        "Closed - Not Converted"]
    assert lead["Name"]["nillable"] is False and lead["Name"]["createable"] is False
    assert lead["IsConverted"]["createable"] is True
    owner = lead["OwnerId"]
    assert owner["referenceTo"] == ["Group", "User"] and owner["polymorphicForeignKey"] is True
    assert lead["Address"]["type"] == "address" and lead["Address"]["createable"] is False
    assert lead["PostalCode"]["compoundFieldName"] == "Address"
    assert lead["Salutation"]["compoundFieldName"] == "Name"
    assert lead["Email"]["idLookup"] is True
    opp_describe = sf.Opportunity.describe()
    opp = {f["name"]: f for f in opp_describe["fields"]}
    stage = opp["StageName"]
    assert stage["restrictedPicklist"] is False and stage["nillable"] is False
    assert [p["value"] for p in stage["picklistValues"]] == [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
        "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
        "Negotiation/Review", "Closed Won", "Closed Lost"]
    assert opp["Name"]["idLookup"] is True and opp["Name"]["nillable"] is False
    assert {"Type", "NextStep", "ForecastCategoryName", "ExpectedRevenue", "IsPrivate",
            "CampaignId", "Pricebook2Id", "ContactId", "FiscalYear"} <= set(opp)
    children = {(c["childSObject"], c["field"]): c["relationshipName"]
                for c in opp_describe["childRelationships"]}
    assert children[("OpportunityLineItem", "OpportunityId")] == "OpportunityLineItems"
    lead_children = {(c["childSObject"], c["field"]): c["relationshipName"]
                     for c in sf.Lead.describe()["childRelationships"]}
    assert lead_children[("Task", "WhoId")] == "Tasks"
    assert lead_children[("CampaignMember", "LeadId")] == "CampaignMembers"


def test_compound_address_is_read_from_its_parts(sfx: SfSandbox, sf: Client) -> None:
    lead_id = sf.Lead.create({"LastName": "Addr", "Company": "C", "Street": "1 Main St",
                              "City": "Springfield", "PostalCode": "12345", "Country": "US"})["id"]
    address = {"city": "Springfield", "country": "US", "geocodeAccuracy": None,
               "latitude": None, "longitude": None, "postalCode": "12345", "state": None,
               "street": "1 Main St"}
    assert sf.Lead.get(lead_id)["Address"] == address
    assert sf.query(f"SELECT Address FROM Lead WHERE Id = '{lead_id}'")["records"][0][
        "Address"] == address
    bare = sf.Lead.create({"LastName": "Bare", "Company": "C"})["id"]
    assert sf.Lead.get(bare)["Address"] is None
    with pytest.raises(SalesforceMalformedRequest):
        sf.Lead.update(bare, {"Address": address})  # compound fields are read-only


def test_unrestricted_status_and_stage_take_any_text(sfx: SfSandbox, sf: Client) -> None:
    """As in a default org: values outside the list are stored, not rejected."""
    created = sf.Lead.create({"LastName": "Free", "Company": "Text", "Status": "Nurturing"})
    assert sf.Lead.get(created["id"])["Status"] == "Nurturing"
    account = sf.Account.create({"Name": "Acme"})["id"]
    opp = sf.Opportunity.create({"Name": "Deal", "AccountId": account, "StageName": "Pilot",
                                 "CloseDate": "2026-12-31"})
    assert sf.Opportunity.get(opp["id"])["StageName"] == "Pilot"
    with pytest.raises(SalesforceMalformedRequest) as too_long:
        sf.Lead.create({"LastName": "Free", "Company": "Text", "Status": "x" * 256})
    assert content(too_long.value)[0]["errorCode"] == "STRING_TOO_LONG"


def test_global_describe_and_versions(sfx: SfSandbox, sf: Client) -> None:
    names = [o["name"] for o in sf.describe()["sobjects"]]
    assert names == ["Lead", "Contact", "Account", "Opportunity", "Task", "User"]
    info = sf.restful("sobjects/Opportunity/")
    assert info["objectDescribe"]["keyPrefix"] == "006"
    with sfx.admin() as http:
        versions = http.get("/services/data/").json()
    assert {"label": "Winter '24", "url": "/services/data/v59.0", "version": "59.0"} in versions
    resources = sf.restful("")
    assert resources["query"] == "/services/data/v59.0/query"
    with pytest.raises(SalesforceResourceNotFound):
        sf.restful("sobjects/Nope/describe")

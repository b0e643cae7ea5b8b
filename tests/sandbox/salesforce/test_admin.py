"""The /__sandbox__ admin endpoints, spoken to with httpx (no auth, not counted, not faulted)."""

from __future__ import annotations

from .helpers import EXT, UPSERT, Client, SfSandbox, lead

A = "/__sandbox__"


def test_calls_faults_and_config(sfx: SfSandbox, sf: Client) -> None:
    with sfx.admin() as http:
        sf.query("SELECT Id FROM Lead")
        calls = http.get(f"{A}/calls").json()
        assert calls["by_endpoint"] == {"GET /services/data/v59.0/query/": 1}
        assert calls["api_usage"] == {"used": 1, "max": 100_000}
        assert http.delete(f"{A}/calls").json() == {"ok": True}
        assert http.get(f"{A}/calls").json()["total"] == 0
        rules = {"rules": [{"match": "* /services/data/*", "error_rates": {"503": 0.5}}]}
        put = http.put(f"{A}/faults", json=rules).json()
        assert put["rules"][0]["error_rates"] == {"503": 0.5}
        assert http.get(f"{A}/faults").json() == put
        assert http.put(f"{A}/faults", json=[]).json() == {"rules": []}
        config = http.patch(f"{A}/config", json={"daily_api_limit": 5, "query_page_size": 200,
                                                  "lead_email_duplicate_rule": False,
                                                  "session_ttl_s": 60}).json()
        assert config["daily_api_limit"] == 5 and config["lead_email_duplicate_rule"] is False
        assert sf.limits()["DailyApiRequests"]["Max"] == 5
        assert http.patch(f"{A}/config", json={"nope": 1}).status_code == 400
        assert http.patch(f"{A}/config", json={"query_page_size": 0}).status_code == 400
        assert http.get(f"{A}/nothing").status_code == 404


def test_sessions_records_reset(sfx: SfSandbox) -> None:
    with sfx.admin() as http:
        token = http.post(f"{A}/sessions").json()
        assert token["instance_url"] == sfx.url
        sf = sfx.direct(token["access_token"])
        sf.restful(UPSERT, method="PATCH", json={"records": [lead(1), lead(2)]})
        dump = http.get(f"{A}/records/Lead").json()
        assert dump["totalSize"] == 2 and {r[EXT] for r in dump["records"]} == {"hs-1", "hs-2"}
        assert http.post(f"{A}/expire-sessions").json() == {"expired": 1}
        assert sfx.sim.sessions.check(token["access_token"]) is None
        assert http.post(f"{A}/reset").json() == {"ok": True}
        assert http.get(f"{A}/records/Lead").json()["totalSize"] == 0
        assert http.get(f"{A}/records/Nope").status_code == 400


def test_convert_stage_and_seed(sfx: SfSandbox) -> None:
    with sfx.admin() as http:
        people = [{"email": f"p{i}@firm{i % 2}.example", "firstname": "P", "lastname": f"L{i}",
                   "company": f"Firm {i % 2}", "jobtitle": "CTO", "phone": "555"}
                  for i in range(5)]
        seeded = http.post(f"{A}/seed", json={"people": people, "leads": 3, "contacts": 2}).json()
        assert [len(seeded[k]) for k in ("leads", "contacts")] == [3, 2]
        lead_id = seeded["leads"][0]
        ids = http.post(f"{A}/leads/{lead_id}/convert", json={"amount": 9000}).json()
        assert set(ids) == {"leadId", "accountId", "contactId", "opportunityId"}
        again = http.post(f"{A}/leads/{lead_id}/convert")
        assert again.status_code == 400
        assert again.json()["errors"][0]["statusCode"] == "CANNOT_UPDATE_CONVERTED_LEAD"
        won = http.post(f"{A}/opportunities/{ids['opportunityId']}/stage",
                        json={"stage": "Closed Won"}).json()
        assert (won["IsWon"], won["IsClosed"], won["Amount"]) == (True, True, 9000.0)
        # StageName is an unrestricted picklist, as in a default org: any text is stored
        odd = http.post(f"{A}/opportunities/{ids['opportunityId']}/stage", json={"stage": "Won!"})
        assert odd.status_code == 200 and odd.json()["StageName"] == "Won!"
        assert http.post(f"{A}/opportunities/{ids['opportunityId']}/stage",
                         json={"stage": "x" * 256}).status_code == 400

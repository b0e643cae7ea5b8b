"""``handoff_plan.classify`` as a table: ledger entry and what Salesforce holds for the email
in, target (or record error) out. Pure: no simulator, no store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from connector.errors import RecordError
from connector.jobs.handoff_plan import Target, classify, group_by_email
from connector.records import Contact

EXT = "HubSpot_Contact_Id__c"
ME = Contact("101", {"email": " Ada@Example.com "})
NO_EMAIL = Contact("102", {})

Rows = Sequence[Mapping[str, Any]]


def lead(id_: str, created: str, ext: str | None = None) -> dict[str, Any]:
    return {"Id": id_, "Email": "ada@example.com", "CreatedDate": created, EXT: ext}


def contact(id_: str, created: str, owner: str = "005A") -> dict[str, Any]:
    return {"Id": id_, "Email": "ada@example.com", "CreatedDate": created, "OwnerId": owner}


CASES: list[tuple[str, Contact, str | None, str | None, Rows, Rows, Target | str]] = [
    # name, contact, ledger id, ledger object, leads with the email, contacts, expected
    ("new lead", ME, None, None, [], [], Target("create")),
    ("in ledger as lead", ME, "00Q1", "Lead", [lead("00Q9", "2026-01-01")], [],
     Target("update", "00Q1")),
    ("in ledger as contact", ME, "0031", "Contact", [], [], Target("existing_contact", "0031")),
    ("contact has the email", ME, None, None, [lead("00Q1", "2026-01-01")],
     [contact("0032", "2026-02-01", "005B"), contact("0031", "2026-01-01", "005A")],
     Target("existing_contact", "0031", owner_id="005A")),
    ("our lead after a crash", ME, None, None,
     [lead("00Q2", "2026-01-01"), lead("00Q1", "2026-02-01", "101")], [],
     Target("update", "00Q1", current=lead("00Q1", "2026-02-01", "101"))),
    ("adopt the oldest free lead", ME, None, None,
     [lead("00Q2", "2026-03-01"), lead("00Q1", "2026-01-01"), lead("00Q3", "2026-01-02", "")],
     [], Target("adopt", "00Q1", current=lead("00Q1", "2026-01-01"))),
    ("lead of another contact", ME, None, None, [lead("00Q1", "2026-01-01", "999")], [],
     "EMAIL_OWNED_BY_OTHER_CONTACT"),
    ("no email", NO_EMAIL, None, None, [], [], Target("create")),
    ("ledger object unknown", ME, "00Q1", None, [], [], Target("create")),
]


@pytest.mark.parametrize(("contact_", "ledger_id", "ledger_object", "leads", "contacts",
                          "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_classify_table(contact_: Contact, ledger_id: str | None, ledger_object: str | None,
                        leads: Rows, contacts: Rows, expected: Target | str) -> None:
    got = classify(contact_, ledger_salesforce_id=ledger_id, ledger_object=ledger_object,
                   leads_by_email=group_by_email(leads),
                   contacts_by_email=group_by_email(contacts), external_id_field=EXT)
    if isinstance(expected, str):
        assert isinstance(got, RecordError)
        assert got.code == expected and got.record_key == contact_.id and got.fields == ("Email",)
    else:
        assert got == expected


def test_group_by_email_normalises_and_skips_blank() -> None:
    rows: list[dict[str, Any]] = [{"Email": " A@X.com"}, {"Email": "a@x.com "}, {"Email": ""},
                                  {"Email": None}, {}]
    assert group_by_email(rows) == {"a@x.com": [rows[0], rows[1]]}

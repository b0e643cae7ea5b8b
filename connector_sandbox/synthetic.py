"""Deterministic synthetic HubSpot contacts (and people for the Salesforce org's duplicates).

``generate_contacts(count, seed, now)`` is pure: the same arguments always yield the same
contacts, whatever the machine or ``PYTHONHASHSEED``. Each contact carries the properties of
``docs/sandbox-data-model.md`` as strings, plus a hidden ``intent`` (0..1) that the observable
signals follow noisily: high intent makes a short purchase timeline, pricing page visits, demo
requests, a specific pain and a senior title more likely, but never certain, so a good
qualification definition is measurably yet imperfectly predictive. Competitors snoop (many
pricing visits, no intent); students download ebooks; real data is messy (odd phone formats,
country spellings, blanks, the odd very long answer).
"""

from __future__ import annotations

import random
import time
from bisect import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from typing import Any

COMPETITOR_DOMAINS: tuple[str, ...] = (
    "leadbridge.io", "handoffhq.com", "pipesync.com", "revalign.io", "funnelforge.com",
)
FREE_MAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "aol.com",
    "gmx.de", "web.de", "orange.fr", "hotmail.co.uk", "protonmail.com", "live.nl",
)
HIGH_INTENT_EVENTS = ("Demo request", "Pricing inquiry", "Contact sales", "Free trial signup")
LOW_INTENT_EVENTS = ("Ebook download", "Webinar registration", "Newsletter signup")

_FIRST = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Susan", "Richard", "Jessica", "Joseph", "Sarah", "Thomas", "Karen",
    "Daniel", "Emily", "Matthew", "Priya", "Raj", "Wei", "Mei", "Hiroshi", "Yuki", "Carlos",
    "Sofia", "Lucas", "Emma", "Liam", "Olivia", "Noah", "Ava", "Lars", "Ingrid", "Sven",
    "Astrid", "Mikko", "Aino", "Jan", "Anke", "Lukas", "Hannah", "Pierre", "Camille", "Louis",
    "Chloe", "Pieter", "Sanne", "Daan", "Fleur", "Ahmed", "Fatima", "Oluwaseun", "Chiara",
    "Marco", "Zoe", "Ethan", "Grace", "Kwame", "Ana"
)
_LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee",
    "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "King", "Wright",
    "Scott", "Green", "Baker", "Patel", "Shah", "Chen", "Wang", "Tanaka", "Sato", "Mueller",
    "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Lefebvre", "Moreau", "Laurent",
    "de Vries", "Jansen", "van den Berg", "Bakker", "Johansson", "Andersson", "Nilsson",
    "Hansen", "Virtanen", "Korhonen", "O'Brien", "Murphy", "Kowalski", "Rossi", "Okafor",
    "Mensah"
)
_CO_A = (
    "Blue", "North", "Bright", "Silver", "Iron", "Red", "Green", "Swift", "Clear", "True",
    "Prime", "Summit", "Harbor", "Cedar", "Granite", "Nimbus", "Apex", "Vertex", "Orbit",
    "Polar", "Atlas", "Beacon", "Copper", "Falcon", "Maple", "Quantum", "Velvet", "Crystal",
    "Golden", "River", "Stone", "Pine", "Coral", "Ember", "Lumen", "Nova", "Sterling", "Aurora"
)
_CO_B = (
    "bridge", "field", "wave", "stack", "point", "path", "gate", "works", "peak", "forge",
    "line", "leaf", "light", "rock", "bay", "view", "wind", "star", "lake", "spring", "hill",
    "shore", "grid", "mark"
)
_CO_C = (
    "Analytics", "Logistics", "Software", "Systems", "Health", "Capital", "Labs", "Foods",
    "Manufacturing", "Partners", "Group", "Solutions", "Media", "Robotics", "Energy", "Retail",
    "Consulting", "Learning", "Networks", "Data", "Bank", "Insurance", "Studio", "Technologies",
    "Industries"
)
_TLD = {"us": ".com", "ca": ".ca", "uk": ".co.uk", "de": ".de", "fr": ".fr", "nl": ".nl",
        "se": ".se", "no": ".no", "dk": ".dk", "fi": ".fi", "au": ".com.au", "in": ".in",
        "br": ".com.br", "es": ".es", "sg": ".sg"}
# country code, weight, spellings as typed on forms (the first is the most common), cities
_COUNTRIES: tuple[tuple[str, float, tuple[str, ...], tuple[str, ...]], ...] = (
    ("us", 45, ("United States", "USA", "US", "United States of America",
                "usa", "U.S."), ("New York|NY", "San Francisco|CA", "Austin|TX", "Chicago|IL",
                                 "Boston|MA", "Seattle|WA", "Denver|CO", "Atlanta|GA")),
    ("ca", 7, ("Canada", "CA"), ("Toronto|ON", "Vancouver|BC", "Montreal|QC")),
    ("uk", 12, ("United Kingdom", "UK", "U.K.", "England", "Great Britain"),
     ("London|", "Manchester|", "Edinburgh|", "Bristol|")),
    ("de", 9, ("Germany", "Deutschland", "DE"), ("Berlin|", "Munich|", "Hamburg|")),
    ("fr", 6, ("France", "FR"), ("Paris|", "Lyon|", "Toulouse|")),
    ("nl", 5, ("Netherlands", "The Netherlands", "Holland", "NL"), ("Amsterdam|", "Utrecht|")),
    ("se", 3, ("Sweden", "Sverige"), ("Stockholm|", "Gothenburg|")),
    ("no", 2, ("Norway", "Norge"), ("Oslo|", "Bergen|")),
    ("dk", 2, ("Denmark", "Danmark"), ("Copenhagen|", "Aarhus|")),
    ("fi", 1, ("Finland", "Suomi"), ("Helsinki|",)),
    ("au", 3, ("Australia",), ("Sydney|NSW", "Melbourne|VIC")),
    ("in", 2, ("India",), ("Bangalore|KA", "Mumbai|MH")),
    ("br", 1, ("Brazil", "Brasil"), ("Sao Paulo|SP",)),
    ("es", 1, ("Spain", "España"), ("Madrid|", "Barcelona|")),
    ("sg", 1, ("Singapore",), ("Singapore|",)),
)
_PHONE_FORMATS = {
    "us": ("+1 {a}-{b}-{c}", "({a}) {b}-{c}", "{a}.{b}.{c}", "{a}{b}{c}", "1-{a}-{b}-{c} ext. 12"),
    "ca": ("+1 {a}-{b}-{c}", "({a}) {b}-{c}"),
    "uk": ("+44 20 {b}{c}", "020 {b} {c}", "+44 (0)7{a} {b}{c}"),
    "de": ("+49 30 {b}{c}", "0049 89 {a}{b}", "030/{b}{c}"),
    "fr": ("+33 1 {a} {b} {c}", "01 {a} {b} {c}"),
}
_DEFAULT_PHONES = ("+{a} {b} {c}", "{a} {b} {c}", "n/a")
_INDUSTRIES = ("COMPUTER_SOFTWARE", "FINANCIAL_SERVICES", "HOSPITAL_HEALTH_CARE", "RETAIL",
               "MANUFACTURING", "EDUCATION_MANAGEMENT", "MARKETING_AND_ADVERTISING",
               "INFORMATION_TECHNOLOGY_AND_SERVICES", "GOVERNMENT_ADMINISTRATION",
               "NON_PROFIT_ORGANIZATION_MANAGEMENT")
_EMPLOYEES = ("1-5", "5-25", "25-50", "50-100", "100-500", "500-1000", "1000+")
_REVENUE_PER_EMPLOYEE = (40_000, 90_000, 120_000, 150_000, 180_000, 200_000, 250_000)
_EMPLOYEE_HEADS = (3, 15, 37, 75, 300, 750, 4000)
_SENIORITIES = ("student", "employee", "manager", "director", "vp", "executive")
_TITLES = {
    "executive": "CEO|other CFO|finance CTO|engineering COO|operations CMO|marketing "
                 "Chief Revenue Officer|sales Founder|other Co-Founder & CEO|other "
                 "Managing Director|other President|other",
    "vp": "VP of Sales|sales VP Marketing|marketing VP Engineering|engineering "
          "Vice President, Operations|operations VP Finance|finance VP People|hr "
          "SVP Revenue|sales",
    "director": "Director of Sales Operations|sales Marketing Director|marketing IT Director|it "
                "Director, Revenue Operations|operations Head of Growth|marketing "
                "Head of IT|it Finance Director|finance Head of Sales|sales",
    "manager": "Sales Manager|sales Marketing Operations Manager|marketing "
               "RevOps Manager|operations IT Manager|it Finance Manager|finance "
               "HR Manager|hr Engineering Manager|engineering Demand Gen Manager|marketing",
    "employee": "Account Executive|sales SDR|sales Marketing Specialist|marketing "
                "Software Engineer|engineering Data Analyst|it Accountant|finance "
                "Operations Coordinator|operations Recruiter|hr Salesforce Admin|it "
                "Sr. Account Executive|sales",
    "student": "Student|other MBA Candidate|other Intern|marketing Graduate Student|other",
}
_SOURCES = ("ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "REFERRALS",
            "OTHER_CAMPAIGNS", "DIRECT_TRAFFIC", "OFFLINE", "PAID_SOCIAL")
_SOURCE_W = (30, 14, 12, 8, 9, 5, 14, 4, 4)
_TIMELINES = ("no_timeline", "this_year", "next_quarter", "this_quarter")
_BUDGETS = ("under_10k", "10k_50k", "50k_100k", "over_100k")
_VAGUE_PAINS = ("just looking", "research", "curious", "n/a", "Not sure yet", "exploring options",
                "looking around", "-", "Need more info", "student project")
_SPECIFIC_PAINS = (
    "our reps spend 5 hours a week on manual data entry into Salesforce",
    "marketing sends leads that sales never follows up on",
    "we lose hot leads because routing to reps takes days",
    "duplicate leads everywhere between HubSpot and Salesforce",
    "no visibility into which campaigns actually create pipeline",
    "our MQL definition is a guess and sales ignores it",
    "lead scoring is stuck in a spreadsheet and nobody trusts it",
    "we are hitting Salesforce API limits with our current sync",
    "need to hand off trial signups to AEs within the hour",
    "sales rejects half our MQLs and we never learn why",
)
_LONG_PAIN_TAIL = (" Context: we run three regional sales teams, each with its own Salesforce "
                   "queue and its own idea of a good lead; marketing ops maintains a dozen "
                   "workflows that copy fields back and forth, breaks something every quarter, "
                   "and nobody can say which campaign produced last year's biggest deals.")
_DAY_MS = 86_400_000
COMPANIES = 4_000


@dataclass(frozen=True, slots=True)
class SyntheticContact:
    """One generated contact: HubSpot properties (all strings) and the hidden true intent."""

    properties: dict[str, str]
    intent: float


def _table(items: Sequence[Any], weights: Sequence[float]) -> tuple[Sequence[Any], list[float]]:
    return items, list(accumulate(weights))


def _pick(rng: random.Random, table: tuple[Sequence[Any], list[float]]) -> Any:
    items, cum = table
    return items[bisect(cum, rng.random() * cum[-1])]


_DAYS: dict[int, str] = {}
_HMS: list[str] = []
_MILLIS = [f".{n:03d}Z" for n in range(1000)]


def _iso(ms: int) -> str:
    """Epoch milliseconds -> ``2026-11-02T09:14:07.123Z`` (HubSpot's datetime format)."""
    day, rest = divmod(ms, _DAY_MS)
    date = _DAYS.get(day)
    if date is None:
        date = _DAYS[day] = time.strftime("%Y-%m-%dT", time.gmtime(day * 86_400))
    if not _HMS:
        _HMS.extend(f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60)
                    for s in range(60))
    secs, milli = divmod(rest, 1000)
    return date + _HMS[secs] + _MILLIS[milli]


def _one(rng: random.Random, items: Sequence[Any]) -> Any:
    """``rng.choice`` without its overhead (deterministic all the same)."""
    return items[int(rng.random() * len(items))]


def _int(rng: random.Random, low: int, high: int) -> int:
    """A uniform integer in ``[low, high]``."""
    return low + int(rng.random() * (high - low + 1))


_SLUGS: dict[str, str] = {}


def _slug(text: str) -> str:
    slug = _SLUGS.get(text)
    if slug is None:
        slug = _SLUGS[text] = "".join(ch for ch in text.lower() if ch.isalnum())
    return slug


def _parse_titles(spec: str) -> list[tuple[str, str]]:
    """``"VP of Sales|sales CEO|other"`` -> ``[("VP of Sales", "sales"), ("CEO", "other")]``."""
    titles: list[tuple[str, str]] = []
    words: list[str] = []
    for word in spec.split(" "):
        if "|" in word:
            end, role = word.split("|")
            titles.append((" ".join([*words, end]), role))
            words = []
        else:
            words.append(word)
    return titles


_TITLES_BY_SENIORITY = {seniority: _parse_titles(spec) for seniority, spec in _TITLES.items()}
_COUNTRY_TABLE = _table(_COUNTRIES, [c[1] for c in _COUNTRIES])
_SOURCE_TABLE = _table(_SOURCES, _SOURCE_W)
_FREE_TABLE = _table(FREE_MAIL_DOMAINS, (50, 15, 12, 10, 5, 2, 3, 2, 2, 2, 2, 1))
_EMPLOYEE_TABLE = _table(range(len(_EMPLOYEES)), (10, 22, 16, 15, 20, 8, 9))


@dataclass(frozen=True, slots=True)
class _Company:
    name: str
    domain: str
    country: tuple[str, float, tuple[str, ...], tuple[str, ...]]
    city: str
    state: str
    industry: str
    size: int
    website: str


class _CompanyBook:
    """A fixed universe of companies, each made on first use from its own seed, so the first
    N contacts of a seed are the same whatever the count asked for."""

    def __init__(self, seed: int, size: int) -> None:
        self._seed, self._size = seed, size
        self._made: dict[int, _Company] = {}

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, k: int) -> _Company:
        company = self._made.get(k)
        if company is None:
            company = self._made[k] = _company(random.Random(self._seed * 1_000_003 + k))
        return company


def _company(rng: random.Random) -> _Company:
    a, b, c = _one(rng, _CO_A), _one(rng, _CO_B), _one(rng, _CO_C)
    name = f"{a}{b} {c}" if rng.random() < 0.6 else f"{a} {b.capitalize()} {c}"
    country = _pick(rng, _COUNTRY_TABLE)
    stem = _slug(f"{a}{b}") if rng.random() < 0.5 else _slug(name)
    domain = stem + (".io" if rng.random() < 0.15 else _TLD[country[0]])
    if country[0] == "de" and rng.random() < 0.4:
        name += " GmbH"
    elif rng.random() < 0.2:
        name += _one(rng, (", Inc.", " Inc", " LLC", " Ltd"))
    city, _, state = _one(rng, country[3]).partition("|")
    return _Company(name, domain, country, city, state, _one(rng, _INDUSTRIES),
                    _pick(rng, _EMPLOYEE_TABLE), f"https://www.{domain}")


def _phone(rng: random.Random, cc: str) -> str:
    fmt = _one(rng, _PHONE_FORMATS.get(cc, _DEFAULT_PHONES))
    return fmt.format(a=_int(rng, 200, 989), b=_int(rng, 200, 999), c=_int(rng, 1000, 9999))


def _email(rng: random.Random, first: str, last: str, domain: str, free: bool) -> str:
    f, lst = _slug(first), _slug(last)
    if free:
        local = _one(rng, (f"{f}.{lst}", f"{f}{lst}{_int(rng, 1, 99)}", f"{f[0]}{lst}",
                            f"{f}_{lst}", f"{lst}.{f}{_int(rng, 70, 99)}"))
    else:
        local = _one(rng, (f"{f}.{lst}", f"{f[0]}{lst}", f, f"{f}{lst[0]}", f"{f}.{lst}"))
    return f"{local}@{domain}"


def _noisy(rng: random.Random, intent: float, spread: float = 0.25) -> float:
    return intent + rng.gauss(0.0, spread)


def _bucket(score: float, cuts: Sequence[float], values: Sequence[str]) -> str:
    return values[bisect(cuts, score)]


def generate_contacts(count: int, seed: int, now: datetime) -> Iterator[SyntheticContact]:
    """Yield ``count`` realistic contacts, deterministic for ``(seed, now)``: the first N
    contacts are the same whatever ``count`` is."""
    rng = random.Random(seed)
    now_ms = int(now.timestamp() * 1000)
    companies = _CompanyBook(seed * 7919 + 1, COMPANIES)
    emails: set[str] = set()
    for _ in range(count):
        yield _contact(rng, companies, emails, now_ms)


def _contact(rng: random.Random, companies: _CompanyBook, emails: set[str],
             now_ms: int) -> SyntheticContact:
    intent = rng.random() ** 2
    company = companies[min(int(rng.paretovariate(1.2)) - 1, len(companies) - 1)
                        if rng.random() < 0.3 else int(rng.random() * len(companies))]
    cc, spellings = company.country[0], company.country[2]
    first, last = _one(rng, _FIRST), _one(rng, _LAST)
    competitor = rng.random() < 0.015
    seniority = _bucket(intent * 0.6 + 0.25 + rng.gauss(0.0, 0.22),
                        (0.02, 0.42, 0.62, 0.74, 0.84), _SENIORITIES)
    if competitor:
        intent = rng.random() * 0.05
    elif seniority == "student":
        intent *= 0.3
    title, role = _one(rng, _TITLES_BY_SENIORITY[seniority])
    free = seniority == "student" or rng.random() < 0.3 - 0.12 * intent
    domain = (_one(rng, COMPETITOR_DOMAINS) if competitor
              else _pick(rng, _FREE_TABLE) if free else company.domain)
    email = _email(rng, first, last, domain, free and not competitor)
    while email in emails:
        local, _, dom = email.partition("@")
        email = f"{local}{_int(rng, 2, 999)}@{dom}"
    emails.add(email)
    if rng.random() < 0.01:  # a contact without an email (imported from a trade show list)
        email = domain = ""
    created = now_ms - int(730 * _DAY_MS * rng.random() ** 1.5) - int(rng.random() * _DAY_MS)
    age = now_ms - created

    def ago(mean_days: float) -> int:
        return now_ms - min(age, int(rng.expovariate(1.0 / mean_days) * _DAY_MS))

    p: dict[str, str] = {
        "firstname": first, "lastname": last, "email": email, "hs_email_domain": domain,
        "company": "" if free and rng.random() < 0.4 else company.name,
        "jobtitle": title if rng.random() > 0.03 else title.upper(),
        "phone": _phone(rng, cc) if rng.random() < 0.7 else "",
        "city": company.city, "state": company.state,
        "country": ("" if rng.random() < 0.05 else spellings[0] if rng.random() < 0.6
                    else _one(rng, spellings)),
        "website": "" if free else company.website,
        "industry": company.industry if rng.random() < 0.8 else "",
        "numemployees": _EMPLOYEES[company.size] if rng.random() < 0.75 else "",
        "hs_analytics_source": _pick(rng, _SOURCE_TABLE),
        "hs_seniority": seniority if rng.random() < 0.8 else "",
        "hs_role": role if rng.random() < 0.8 else "",
        "createdate": _iso(created),
    }
    if rng.random() < 0.02:
        p["firstname"], p["lastname"] = first.lower(), last.upper()
    if not free and rng.random() < 0.6:
        heads = _EMPLOYEE_HEADS[company.size]
        p["annualrevenue"] = str(int(heads * _REVENUE_PER_EMPLOYEE[company.size] *
                                     (0.5 + rng.random())) // 1000 * 1000)
    visits = 1 + int(rng.expovariate(1.0 / (1.5 + 8 * intent)))
    last_visit = ago(3 + 90 * (1 - intent))
    p["hs_analytics_num_visits"] = str(visits)
    p["hs_analytics_num_page_views"] = str(visits + int(visits * rng.random() * 4))
    p["hs_analytics_last_visit_timestamp"] = _iso(last_visit)
    activity = [created, last_visit]
    pricing = 0
    if competitor:
        pricing = _int(rng, 3, 12)
    elif rng.random() < 0.12 + 0.7 * intent:
        pricing = 1 + int(rng.expovariate(1.0 / (0.5 + 5 * intent)))
    p["pricing_page_views"] = str(pricing) if pricing or rng.random() < 0.5 else ""
    if pricing:
        activity.append(ago(2 + 40 * (1 - intent)))
        p["last_pricing_page_visit"] = _iso(activity[-1])
    demo = not competitor and rng.random() < 0.01 + 0.5 * intent * intent
    p["demo_requested"] = "true" if demo else ("false" if rng.random() < 0.7 else "")
    _conversions(rng, p, intent, demo, ago, activity)
    optout = rng.random() < 0.05 * (1.4 - intent)
    p["hs_email_optout"] = "true" if optout else "false"
    clicks = 0 if optout else int(rng.expovariate(1.0 / (0.4 + 6 * intent)))
    p["hs_email_click"] = str(clicks)
    if clicks:
        activity.append(ago(4 + 60 * (1 - intent)))
        p["hs_email_last_click_date"] = _iso(activity[-1])
    if rng.random() < 0.35:
        p["purchase_timeline"] = _bucket(_noisy(rng, intent), (0.3, 0.5, 0.72), _TIMELINES)
    if rng.random() < 0.4:
        p["budget_range"] = ("unknown" if rng.random() < 0.2 else _bucket(
            _noisy(rng, intent * 0.6 + company.size / 12), (0.35, 0.55, 0.8), _BUDGETS))
    if rng.random() < 0.25 + 0.45 * intent:
        if _noisy(rng, intent, 0.2) > 0.5:
            pain = _one(rng, _SPECIFIC_PAINS)
            p["pain_point"] = pain + _LONG_PAIN_TAIL if rng.random() < 0.01 else pain
        else:
            p["pain_point"] = _one(rng, _VAGUE_PAINS)
    _lifecycle(rng, p, intent)
    modified = min(now_ms - 1, max(activity) + _int(rng, 1, 3_600_000))
    p["lastmodifieddate"] = _iso(max(modified, created))
    return SyntheticContact({k: v for k, v in p.items() if v != ""}, round(intent, 4))


def _conversions(rng: random.Random, p: dict[str, str], intent: float, demo: bool,
                 ago: Any, activity: list[int]) -> None:
    n = int(rng.expovariate(1.0 / (0.6 + 2.5 * intent))) + (1 if demo else 0)
    if not n:
        return
    events = [(_one(rng, HIGH_INTENT_EVENTS) if rng.random() < 0.05 + 0.6 * intent
               else _one(rng, LOW_INTENT_EVENTS), ago(10 + 120 * (1 - intent)))
              for _ in range(n)]
    if demo:
        events[0] = ("Demo request", ago(3 + 30 * (1 - intent)))
    events.sort(key=lambda e: e[1])
    p["num_conversion_events"] = str(n)
    p["first_conversion_event_name"], first_at = events[0]
    p["recent_conversion_event_name"], recent_at = events[-1]
    p["first_conversion_date"], p["recent_conversion_date"] = _iso(first_at), _iso(recent_at)
    activity.append(recent_at)


def _lifecycle(rng: random.Random, p: dict[str, str], intent: float) -> None:
    roll = rng.random()
    if roll < 0.03:
        stage, status = "customer", ""
    elif roll < 0.04:
        stage, status = _one(rng, ("salesqualifiedlead", "opportunity")), "IN_PROGRESS"
    elif roll < 0.05:
        stage, status = _one(rng, ("other", "evangelist")), ""
    elif p.get("recent_conversion_event_name") == "Newsletter signup" or roll < 0.25:
        stage, status = "subscriber", ""
    else:
        stage = "marketingqualifiedlead" if _noisy(rng, intent, 0.3) > 0.8 else "lead"
        status = _one(rng, ("", "", "NEW", "OPEN", "ATTEMPTED_TO_CONTACT", "BAD_TIMING"))
    p["lifecyclestage"] = stage
    if status:
        p["hs_lead_status"] = status


def generate_people(count: int, seed: int) -> list[dict[str, str]]:
    """People unknown to HubSpot (Salesforce-only Leads / Contacts), deterministic per seed."""
    rng = random.Random(seed * 104_729 + 3)
    companies = _CompanyBook(seed * 31 + 17 + 1_000_000_007, COMPANIES)
    people: list[dict[str, str]] = []
    for i in range(count):
        company = companies[int(rng.random() * len(companies))]
        first, last = _one(rng, _FIRST), _one(rng, _LAST)
        seniority = _one(rng, _SENIORITIES[1:])
        people.append({
            "email": _email(rng, first, last, company.domain, False).replace("@", f"{i}@"),
            "firstname": first, "lastname": last, "company": company.name,
            "title": _one(rng, _TITLES_BY_SENIORITY[seniority])[0],
            "phone": _phone(rng, company.country[0]),
        })
    return people


def people_from_contacts(contacts: Iterable[SyntheticContact | Mapping[str, str | None]],
                         count: int, seed: int) -> list[dict[str, str]]:
    """Pick ``count`` contacts that have an email and return them as an existing org holds them:
    same email (sometimes in another letter case), maybe an older title, another phone format,
    a company spelled differently. Used to seed Salesforce duplicates of HubSpot contacts."""
    rng = random.Random(seed * 15_485_863 + 5)
    pool = [c.properties if isinstance(c, SyntheticContact) else c for c in contacts]
    with_email = [c for c in pool if c.get("email")]
    chosen = rng.sample(with_email, min(count, len(with_email)))
    people: list[dict[str, str]] = []
    for props in chosen:
        email = str(props["email"])
        if rng.random() < 0.2:
            local, _, dom = email.partition("@")
            email = f"{local.title()}@{dom}"
        company = str(props.get("company") or "")
        if company and rng.random() < 0.3:
            company = company.upper() if rng.random() < 0.5 else f"{company} Inc."
        people.append({
            "email": email,
            "firstname": str(props.get("firstname") or ""),
            "lastname": str(props.get("lastname") or "Unknown"),
            "company": company or "[not provided]",
            "title": str(props.get("jobtitle") or "") if rng.random() < 0.7 else "",
            "phone": _phone(rng, "us") if rng.random() < 0.5 else str(props.get("phone") or ""),
        })
    return people

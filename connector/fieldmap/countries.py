"""Country names <-> ISO 3166-1 alpha-2 codes, with the aliases people type on forms.

A built-in table, not a full registry: the common B2B countries plus their usual spellings
("USA", "U.K.", "Deutschland"). Matching ignores case, dots, accents-free spacing and a leading
"the". Unknown values raise ``LookupError``; the transform turns that into a record warning.
"""

from __future__ import annotations

import re
import unicodedata

#: code -> (canonical English name, aliases...)
COUNTRIES: dict[str, tuple[str, ...]] = {
    "US": ("United States", "United States of America", "USA", "US", "America", "U.S.A.", "U.S."),
    "GB": (
        "United Kingdom",
        "UK",
        "U.K.",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "United Kingdom of Great Britain and Northern Ireland",
    ),
    "DE": ("Germany", "Deutschland", "Federal Republic of Germany"),
    "FR": ("France", "French Republic"),
    "ES": ("Spain", "España", "Espana"),
    "IT": ("Italy", "Italia"),
    "NL": ("Netherlands", "The Netherlands", "Holland", "Nederland"),
    "BE": ("Belgium", "België", "Belgique"),
    "LU": ("Luxembourg",),
    "CH": ("Switzerland", "Schweiz", "Suisse", "Svizzera"),
    "AT": ("Austria", "Österreich", "Osterreich"),
    "IE": ("Ireland", "Republic of Ireland", "Éire", "Eire"),
    "PT": ("Portugal",),
    "DK": ("Denmark", "Danmark"),
    "SE": ("Sweden", "Sverige"),
    "NO": ("Norway", "Norge"),
    "FI": ("Finland", "Suomi"),
    "IS": ("Iceland",),
    "PL": ("Poland", "Polska"),
    "CZ": ("Czechia", "Czech Republic"),
    "SK": ("Slovakia",),
    "HU": ("Hungary",),
    "RO": ("Romania",),
    "BG": ("Bulgaria",),
    "GR": ("Greece", "Hellas"),
    "HR": ("Croatia",),
    "SI": ("Slovenia",),
    "EE": ("Estonia",),
    "LV": ("Latvia",),
    "LT": ("Lithuania",),
    "UA": ("Ukraine",),
    "TR": ("Turkey", "Türkiye", "Turkiye"),
    "RU": ("Russia", "Russian Federation"),
    "IL": ("Israel",),
    "AE": ("United Arab Emirates", "UAE", "U.A.E."),
    "SA": ("Saudi Arabia",),
    "QA": ("Qatar",),
    "EG": ("Egypt",),
    "ZA": ("South Africa",),
    "NG": ("Nigeria",),
    "KE": ("Kenya",),
    "MA": ("Morocco",),
    "CA": ("Canada",),
    "MX": ("Mexico", "México"),
    "BR": ("Brazil", "Brasil"),
    "AR": ("Argentina",),
    "CL": ("Chile",),
    "CO": ("Colombia",),
    "PE": ("Peru", "Perú"),
    "UY": ("Uruguay",),
    "CN": ("China", "People's Republic of China", "PRC"),
    "HK": ("Hong Kong",),
    "TW": ("Taiwan",),
    "JP": ("Japan", "Nippon"),
    "KR": ("South Korea", "Korea", "Republic of Korea"),
    "IN": ("India", "Bharat"),
    "PK": ("Pakistan",),
    "BD": ("Bangladesh",),
    "SG": ("Singapore",),
    "MY": ("Malaysia",),
    "ID": ("Indonesia",),
    "TH": ("Thailand",),
    "VN": ("Vietnam", "Viet Nam"),
    "PH": ("Philippines",),
    "AU": ("Australia",),
    "NZ": ("New Zealand", "Aotearoa"),
}

_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    """Lower case, no accents, no dots, single spaces, no leading "the"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _SPACES.sub(" ", plain.replace(".", "").replace("’", "'")).strip().lower()
    return plain[4:] if plain.startswith("the ") else plain


_BY_ALIAS: dict[str, str] = {}
for _code, _names in COUNTRIES.items():
    for _alias in (_code, *_names):
        _BY_ALIAS.setdefault(_fold(_alias), _code)


def country_code(value: str) -> str:
    """ISO alpha-2 code of a country name, alias or code: ``"U.K."`` -> ``"GB"``."""
    code = _BY_ALIAS.get(_fold(value))
    if code is None:
        raise LookupError(f"unknown country {value!r}")
    return code


def country_name(value: str) -> str:
    """Canonical English name of a code, name or alias: ``"DE"`` -> ``"Germany"``."""
    return COUNTRIES[country_code(value)][0]

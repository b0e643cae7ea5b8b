"""Value normalisers a condition may apply before comparing (``normalize = "country"``).

The same normaliser is applied to the contact's value and to the values written in the
definition, so an admin can write ``values = ["United States", "UK"]`` and match ``USA``,
``U.S.``, ``United Kingdom`` or ``GB`` alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

Normalizer = Callable[[str], str]

# ISO 3166-1 alpha-2 code -> spellings seen on forms (lower case, dots and extra spaces removed)
_COUNTRY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "US": ("usa", "us", "united states", "united states of america", "america", "the us",
           "the united states", "u s", "u s a"),
    "GB": ("uk", "gb", "united kingdom", "great britain", "britain", "england", "scotland",
           "wales", "northern ireland", "u k", "the uk", "the united kingdom"),
    "CA": ("canada", "ca"),
    "DE": ("germany", "de", "deutschland"),
    "FR": ("france", "fr"),
    "NL": ("netherlands", "nl", "the netherlands", "holland", "nederland"),
    "BE": ("belgium", "be", "belgique", "belgie"),
    "LU": ("luxembourg", "lu"),
    "IE": ("ireland", "ie", "eire", "republic of ireland"),
    "ES": ("spain", "es", "espana"),
    "PT": ("portugal", "pt"),
    "IT": ("italy", "it", "italia"),
    "CH": ("switzerland", "ch", "schweiz", "suisse"),
    "AT": ("austria", "at", "osterreich", "oesterreich"),
    "SE": ("sweden", "se", "sverige"),
    "NO": ("norway", "no", "norge"),
    "DK": ("denmark", "dk", "danmark"),
    "FI": ("finland", "fi", "suomi"),
    "PL": ("poland", "pl", "polska"),
    "CZ": ("czech republic", "czechia", "cz"),
    "AU": ("australia", "au"),
    "NZ": ("new zealand", "nz"),
    "JP": ("japan", "jp"),
    "CN": ("china", "cn", "prc", "people's republic of china"),
    "IN": ("india", "in"),
    "SG": ("singapore", "sg"),
    "BR": ("brazil", "br", "brasil"),
    "MX": ("mexico", "mx"),
    "AR": ("argentina", "ar"),
    "ZA": ("south africa", "za"),
    "AE": ("united arab emirates", "uae", "ae"),
    "IL": ("israel", "il"),
    "RU": ("russia", "russian federation", "ru"),
    "KR": ("south korea", "korea", "republic of korea", "kr"),
}
_COUNTRY_CODES: dict[str, str] = {
    spelling: code for code, spellings in _COUNTRY_SPELLINGS.items() for spelling in spellings
}
_PUNCT = re.compile(r"[.\s]+")


@lru_cache(maxsize=4096)  # forms repeat a few hundred spellings; the cache skips the regex
def country(text: str) -> str:
    """A country as typed on a form -> its ISO alpha-2 code; unknown names are only cleaned."""
    key = _PUNCT.sub(" ", text.replace("\u00f6", "o").replace("\u00f1", "n")).strip().casefold()
    code = _COUNTRY_CODES.get(key)
    if code is None and len(key) == 2 and key.isalpha():
        code = key.upper()
    return code if code is not None else key


def email_domain(text: str) -> str:
    """``Jo@Mail.ACME.io`` -> ``mail.acme.io``; a bare domain (``hs_email_domain``) is cleaned."""
    return text.rpartition("@")[2].strip().rstrip(".").casefold()


def domain(text: str) -> str:
    """``https://www.Acme.io/about`` -> ``acme.io``."""
    host = text.strip().casefold().split("://", 1)[-1].split("/", 1)[0].rstrip(".")
    return host[4:] if host.startswith("www.") else host


NORMALIZERS: dict[str, Normalizer] = {
    "country": country,
    "email_domain": email_domain,
    "domain": domain,
}

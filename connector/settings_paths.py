"""Relative paths in a config file mean "next to the config file", wherever the command runs.

``resolve_paths`` rewrites every path-valued setting of a loaded config to an absolute path
under the config file's folder: the SQLite file of ``store.url``, both ``ca_file``s,
``hubspot.token_file``, ``salesforce.private_key_file``, ``sandbox.workdir`` and the mapping
files. So ``cd / && connector --config /etc/connector/config.toml handoff`` reads and writes
only under ``/etc/connector`` (and what the config names), never the current folder. Without a
config file (built-in defaults) paths stay relative to the current folder.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from connector.settings import Settings


def resolve_paths(settings: Settings) -> Settings:
    base = Path(settings.base_dir)

    def absolute(value: str) -> str:
        if not value:
            return value
        path = Path(value).expanduser()
        return str(path if path.is_absolute() else base / path)

    hs, sf, sb, mp = settings.hubspot, settings.salesforce, settings.sandbox, settings.mappings
    return replace(
        settings,
        store=replace(settings.store, url=resolve_sqlite_url(settings.store.url, base)),
        hubspot=replace(hs, ca_file=absolute(hs.ca_file), token_file=absolute(hs.token_file)),
        salesforce=replace(sf, ca_file=absolute(sf.ca_file),
                           private_key_file=absolute(sf.private_key_file)),
        sandbox=replace(sb, workdir=absolute(sb.workdir)),
        mappings=replace(mp, qualification=absolute(mp.qualification), lead=absolute(mp.lead),
                         feedback=absolute(mp.feedback), receipt=absolute(mp.receipt)),
    )


def resolve_sqlite_url(url: str, base: Path) -> str:
    """``sqlite:///rel.db`` -> ``sqlite:////<base>/rel.db``; any other URL unchanged (also one
    that does not parse: the checks report it)."""
    if not url.startswith("sqlite"):
        return url
    try:
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - reported by the checks with the key
        return url
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return url
    path = Path(database).expanduser()
    if path.is_absolute():
        return url
    return parsed.set(database=str(base / path)).render_as_string(hide_password=False)


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (None for in-memory, PostgreSQL, or unparsable)."""
    if not url.startswith("sqlite"):
        return None
    try:
        from sqlalchemy.engine import make_url

        database = make_url(url).database
    except Exception:  # noqa: BLE001
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)

"""The values a failed gate looked at, quoted in its reason (``country='Brasil' (BR)``)."""

from __future__ import annotations

from collections.abc import Mapping

from connector.qualification.definition import Condition, iter_leaves
from connector.qualification.normalize import NORMALIZERS

Shown = tuple[tuple[str, str | None], ...]


def shown_properties(condition: Condition) -> Shown:
    """The distinct (property, normaliser) pairs a condition reads, for ``describe_values``."""
    return tuple(dict.fromkeys((leaf.property, leaf.normalize) for leaf in iter_leaves(condition)))


def describe_values(shown: Shown, props: Mapping[str, str | None],
                    missing: frozenset[str] = frozenset()) -> str:
    """``email domain='gmail.com', country='Brasil' (BR), lifecyclestage missing``. An address
    is quoted by its domain only when the condition only looked at the domain."""
    parts: list[str] = []
    for name, normalize in shown:
        raw = props.get(name)
        raw = raw.strip() if raw is not None else None
        if not raw:
            parts.append(f"{name} missing")
        elif raw.casefold() in missing:
            parts.append(f"{name} missing ({shorten(raw)!r})")
        elif normalize in ("email_domain", "domain"):
            parts.append(f"{name} domain={NORMALIZERS[normalize](raw)!r}")
        elif normalize:
            parts.append(f"{name}={shorten(raw)!r} ({NORMALIZERS[normalize](raw)})")
        else:
            parts.append(f"{name}={shorten(raw)!r}")
    return ", ".join(parts)


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"

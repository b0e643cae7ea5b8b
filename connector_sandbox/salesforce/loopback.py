"""``LoopbackSession``: a ``requests.Session`` that sends Salesforce's hard-coded login hosts to
the simulator, so the unmodified simple-salesforce login flows (SOAP, JWT, client credentials)
and its automatic re-login reach the sandbox.

simple-salesforce builds ``https://{domain}.salesforce.com/...`` for every login; the session
rewrites that origin (``login.``, ``test.``, ``<mydomain>.my.`` ...) to the simulator's origin.
It also sets ``verify`` to the test CA and ``trust_env = False``: with ``REQUESTS_CA_BUNDLE``
set, requests would otherwise silently ignore ``verify``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import requests

_SALESFORCE_ORIGIN = re.compile(r"https://[A-Za-z0-9.-]+\.(?:salesforce|force)\.com(?=[/?#]|$)")


class LoopbackSession(requests.Session):
    """``LoopbackSession("https://127.0.0.1:8443", ca_file=ca)`` rewrites every
    ``https://*.salesforce.com`` origin; ``LoopbackSession({"https://login.salesforce.com":
    "https://127.0.0.1:8443"})`` rewrites exactly the given prefixes (facts sheet D1)."""

    def __init__(self, target: str | Mapping[str, str], *,
                 ca_file: str | os.PathLike[str] | None = None) -> None:
        super().__init__()
        if isinstance(target, str):
            self.target: str | None = target.rstrip("/")
            self.mapping: dict[str, str] = {}
        else:
            self.target = None
            self.mapping = dict(target)
        if ca_file is not None:
            self.verify = os.fspath(ca_file)
        self.trust_env = False

    def rewrite(self, url: str) -> str:
        for source, destination in self.mapping.items():
            if url.startswith(source):
                return destination + url[len(source):]
        if self.target is not None:
            match = _SALESFORCE_ORIGIN.match(url)
            if match:
                return self.target + url[match.end():]
        return url

    def request(self, method: str | bytes, url: str | bytes,
                *args: Any, **kwargs: Any) -> requests.Response:
        verb = method.decode() if isinstance(method, bytes) else method
        text = url.decode() if isinstance(url, bytes) else str(url)
        return super().request(verb, self.rewrite(text), *args, **kwargs)

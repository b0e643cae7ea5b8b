"""``SalesforceSimulator``: the Salesforce half of the sandbox, wired together.

    sim = SalesforceSimulator(SalesforceSimConfig(...))
    served = serve_in_thread(sim.app, tls=TestCA.create(tmp))   # HTTPS only: the SDK forces it
    sim.org.insert("Lead", {...}); sim.org.query("SELECT ...")   # in-process access
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from ..faults import CallCounter, FaultInjector
from .app import build_app
from .auth import Authenticator, SessionStore, generate_key_pair
from .config import RuntimeSettings, SalesforceSimConfig, ValidationRule
from .cursors import CursorCache
from .limits import ApiUsage
from .org import Org
from .seed import seed_org
from .sftime import utc_now


class SalesforceSimulator:
    def __init__(self, config: SalesforceSimConfig | None = None) -> None:
        self.config = config or SalesforceSimConfig()
        self.clock = self.config.clock or utc_now
        self.settings = RuntimeSettings.from_config(self.config)
        if self.config.jwt_public_key_pem:
            self.jwt_private_key_pem = ""
            self.jwt_public_key_pem = self.config.jwt_public_key_pem
        else:
            self.jwt_private_key_pem, self.jwt_public_key_pem = generate_key_pair()
        self.org = Org(self.config, self.settings, self.clock)
        self.sessions = SessionStore(self.clock, self.settings)
        self.usage = ApiUsage(self.clock, self.settings)
        self.cursors = CursorCache()
        self.auth = Authenticator(self.config, self.sessions, self.jwt_public_key_pem,
                                  lambda: (self.org.org_id, self.org.integration_user_id))
        self.faults = FaultInjector(self.config.seed)
        self.counter = CallCounter()
        self.app = build_app(self)

    def seed_org(self, people: Iterable[Mapping[str, Any]], *, leads: int, contacts: int,
                 seed: int = 0) -> dict[str, list[str]]:
        """Pre-existing Leads and Contacts (with Accounts) sharing ``people``'s emails, without
        the external id: the duplicates a real org already holds. Returns the new ids."""
        return seed_org(self.org, people, leads=leads, contacts=contacts, seed=seed)

    def issue_session(self) -> str:
        """A fresh access token for the integration user (for direct-session clients)."""
        return self.sessions.issue(self.org.org_id, self.org.integration_user_id)

    def expire_sessions(self) -> int:
        """Invalidate every issued token now; returns how many there were."""
        return self.sessions.expire_all()

    def add_validation_rule(self, rule: ValidationRule) -> None:
        self.settings.validation_rules.append(rule)

    def reset(self) -> None:
        """Back to the freshly started state: empty org, no sessions, zero usage and calls,
        no faults, settings from the config."""
        fresh = RuntimeSettings.from_config(self.config)
        for item in dataclasses.fields(fresh):
            setattr(self.settings, item.name, getattr(fresh, item.name))
        self.org.reset()
        self.sessions.expire_all()
        self.usage.reset()
        self.cursors.clear()
        self.counter.reset()
        self.faults.clear()

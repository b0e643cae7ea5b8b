"""The shared qualification definition and the pure engine that applies it.

    definition = load_definition("mappings/qualification.toml", pulled_properties={...})
    decision = qualify(contact, definition, now)

Modules: ``definition`` (the rules as values), ``loader`` / ``condition_parser`` /
``grade_rules`` (TOML -> rules, every problem at once), ``conditions`` (operators compiled to
closures), ``engine`` (``qualify``), ``decision`` (the outcome; its readable breakdown is
rendered by ``connector.commands._decision_view``), ``shadow`` (candidate vs current on the
same contacts), ``contacts_io`` (exported contacts from .jsonl / .csv, streamed), ``tally`` (a
summary by grade).
"""

from connector.qualification.decision import CriterionHit, Decision, GateResult
from connector.qualification.definition import Definition
from connector.qualification.engine import qualify
from connector.qualification.loader import load_definition, parse_definition

__all__ = [
    "CriterionHit",
    "Decision",
    "Definition",
    "GateResult",
    "load_definition",
    "parse_definition",
    "qualify",
]

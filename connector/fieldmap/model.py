"""The values a mapping file becomes: frozen, pure data. Nothing here reads files or talks HTTP.

A ``Mapping`` is one TOML file (``lead.toml``, ``feedback.toml`` or ``receipt.toml``) after
loading: its direction, the object it writes, and one ``FieldRule`` per ``[fields.<name>]``
table. ``apply`` (apply.py) turns a source record into an ``ApplyResult``.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field, replace
from typing import Literal

from connector.toml_lines import line_of

Direction = Literal["lead", "feedback", "receipt"]
SyncRule = Literal["always", "if_blank", "create_only", "never"]
UnmappedPolicy = Literal["error", "default", "skip"]
ConditionOp = Literal["equals", "in", "not_in", "present"]
Scalar = str | int | float | bool

DIRECTIONS: tuple[Direction, ...] = ("lead", "feedback", "receipt")
#: Directions whose mapping writes HubSpot contact properties.
HUBSPOT_DIRECTIONS: tuple[Direction, ...] = ("feedback", "receipt")
SYNC_RULES: tuple[SyncRule, ...] = ("always", "if_blank", "create_only", "never")
UNMAPPED_POLICIES: tuple[UnmappedPolicy, ...] = ("error", "default", "skip")
CONDITION_OPS: tuple[ConditionOp, ...] = ("equals", "in", "not_in", "present")

#: The qualification decision's fields a lead mapping may read (all strings in the source record).
DECISION_FIELDS: tuple[str, ...] = (
    "decision.qualified",
    "decision.grade",
    "decision.score",
    "decision.fit_score",
    "decision.engagement_score",
    "decision.version",
    "decision.hash",
    "decision.summary",
    "decision.decided_at",
    "decision.selection",  # "rule" or "exploration" (see connector/jobs/handoff_explore.py)
)
#: The facts of one handoff a receipt mapping may read besides the decision fields (strings).
HANDOFF_FIELDS: tuple[str, ...] = (
    "handoff.salesforce_id",  # the Lead (or, for existing_contact, the Contact) id
    "handoff.status",  # created, updated, adopted or existing_contact
    "handoff.at",  # this push, as HubSpot writes a datetime
)
#: What a receipt mapping (handoff -> HubSpot contact) may read.
RECEIPT_SOURCES: tuple[str, ...] = DECISION_FIELDS + HANDOFF_FIELDS
#: Salesforce objects a feedback mapping may read, named as ``Object.Field``.
FEEDBACK_SOURCE_OBJECTS: tuple[str, ...] = ("Lead", "Opportunity")
#: What a feedback or receipt mapping writes: HubSpot contact properties.
FEEDBACK_TARGET_OBJECT = "contact"


def value_key(value: object) -> str:
    """The string a value is looked up by in value maps and conditions (``True`` -> ``"true"``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_blank(value: object) -> bool:
    """None, an empty or whitespace-only string, or an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(is_blank(v) for v in value)
    return False


@dataclass(frozen=True)
class TransformSpec:
    """One step of a rule's transform chain, e.g. ``truncate`` or ``phone`` with ``region=US``."""

    name: str
    options: tuple[tuple[str, Scalar], ...] = ()

    def option(self, key: str, default: Scalar | None = None) -> Scalar | None:
        for name, value in self.options:
            if name == key:
                return value
        return default


@dataclass(frozen=True)
class Condition:
    """``when = { source = "Opportunity.IsWon", equals = true }``: run the rule only if it holds."""

    source: str
    op: ConditionOp
    values: tuple[str, ...] = ()

    def holds(self, record: MappingABC[str, object]) -> bool:
        value = record.get(self.source)
        if self.op == "present":
            return (not is_blank(value)) == (self.values == ("true",))
        if is_blank(value):
            return self.op == "not_in"
        key = value_key(value)
        if self.op == "not_in":
            return key not in self.values
        return key in self.values


@dataclass(frozen=True)
class FieldRule:
    """One ``[fields.<name>]`` table: where a value comes from, how it changes, when it is sent."""

    name: str
    target: str
    sources: tuple[str, ...] = ()
    transforms: tuple[TransformSpec, ...] = ()
    value_map: MappingABC[str, Scalar] | None = field(default=None, hash=False)
    unmapped: UnmappedPolicy = "error"
    constant: Scalar | None = None
    default: Scalar | None = None
    required: bool = False
    sync: SyncRule = "always"
    forward_only: bool = False
    when: Condition | None = None

    @property
    def key(self) -> str:
        return f"fields.{self.name}"

    @property
    def source(self) -> str | None:
        return self.sources[0] if self.sources else None

    def transform_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.transforms)

    def all_sources(self) -> tuple[str, ...]:
        """The sources plus the condition's source: everything the rule reads."""
        extra = (self.when.source,) if self.when else ()
        return self.sources + tuple(s for s in extra if s not in self.sources)


@dataclass(frozen=True)
class Mapping:
    """One loaded mapping file. ``locations`` maps dotted keys to line numbers in ``path``."""

    path: str
    direction: Direction
    target_object: str
    rules: tuple[FieldRule, ...]
    phone_region: str | None = None
    target_lengths: MappingABC[str, int] = field(default_factory=dict, hash=False)
    target_options: MappingABC[str, frozenset[str]] = field(default_factory=dict, hash=False)
    """Targets whose values the connector checks itself (``schema.CHECKED_PICKLISTS``)."""
    locations: MappingABC[str, int] = field(default_factory=dict, hash=False, compare=False)

    @property
    def sources(self) -> set[str]:
        """Every source field the rules read (feedback sources are ``Object.Field``)."""
        return {s for rule in self.rules for s in rule.all_sources()}

    @property
    def targets(self) -> set[str]:
        return {rule.target for rule in self.rules}

    @property
    def source_objects(self) -> set[str]:
        """Feedback only: the Salesforce objects read (``{"Lead", "Opportunity"}``)."""
        return {s.split(".", 1)[0] for s in self.sources if "." in s} - {"decision", "handoff"}

    def source_fields(self, sobject: str) -> set[str]:
        """Feedback only: the field names to SELECT from ``sobject``."""
        prefix = f"{sobject}."
        return {s[len(prefix) :] for s in self.sources if s.startswith(prefix)}

    @property
    def hubspot_sources(self) -> set[str]:
        """Lead only: the HubSpot contact properties read (decision fields excluded)."""
        return {s for s in self.sources if not s.startswith("decision.")}

    def rule(self, name: str) -> FieldRule:
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)

    def line_of(self, key: str) -> int | None:
        """The line of ``key`` or of its nearest enclosing key that was located."""
        return line_of(self.locations, key)

    def with_target_lengths(self, lengths: MappingABC[str, int]) -> Mapping:
        """A copy whose ``truncate`` / ``max_length`` steps know the targets' lengths."""
        return replace(self, target_lengths={**self.target_lengths, **lengths})

    def with_target_options(self, options: MappingABC[str, frozenset[str]]) -> Mapping:
        """A copy that refuses (dead-letters) values outside ``options`` of those targets."""
        return replace(self, target_options={**self.target_options, **options})


@dataclass(frozen=True)
class RecordProblem:
    """Why one record cannot be sent as is (the job dead-letters it)."""

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class ApplyResult:
    """``payload`` is target field -> JSON-able value, ready for the API.

    ``errors`` non-empty means: do not send, dead-letter the record. ``warnings`` go with the
    record (e.g. a value was truncated). ``notes`` record deliberate non-changes, such as a
    lifecycle stage that would have moved backwards.
    """

    payload: dict[str, object]
    warnings: tuple[str, ...] = ()
    errors: tuple[RecordProblem, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

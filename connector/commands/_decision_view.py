"""A decision as a readable breakdown: "why was (or wasn't) this lead handed off?".

``render_decision`` returns a rich renderable (for ``connector explain`` and the terminal);
``decision_to_text`` renders the same to plain text (for logs, tests, a Salesforce note).
Only the decision and the definition are needed: the contact itself is not.
"""

from __future__ import annotations

import io
from collections import defaultdict

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from connector.qualification.decision import Decision, fmt
from connector.qualification.definition import Definition, HandoffRule

OK, NO = "\u2713", "\u2717"


def render_decision(decision: Decision, definition: Definition) -> RenderableType:
    parts: list[RenderableType] = [_header(decision, definition)]
    parts.append(_gates(decision))
    parts.append(_dimensions(decision, definition))
    parts.append(_criteria(decision))
    missed = _not_fired(decision, definition)
    if missed is not None:
        parts.append(missed)
    parts.append(_handoff(decision, definition))
    return Group(*parts)


def decision_to_text(decision: Decision, definition: Definition, *, width: int = 110) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, color_system=None,
                      force_terminal=False, legacy_windows=False)
    console.print(render_decision(decision, definition))
    return buffer.getvalue()


def _header(decision: Decision, definition: Definition) -> Text:
    verdict = ("HANDED OFF", "bold green") if decision.qualified else ("NOT HANDED OFF", "bold red")
    text = Text()
    text.append(f"contact {decision.contact_id}: ", style="bold")
    text.append(verdict[0], style=verdict[1])
    text.append(f"\n{decision.summary()}\n")
    text.append(f"definition {decision.version!r} (hash {decision.definition_hash}), decided at "
                f"{decision.decided_at.isoformat()}", style="dim")
    if decision.definition_hash != definition.hash:
        text.append(f"\nwarning: decided with definition {decision.definition_hash}; the rules "
                    f"shown are from {definition.hash} ({definition.version!r})", style="yellow")
    return text


def _gates(decision: Decision) -> Table:
    table = Table(title="Gates (all must pass)", title_justify="left", expand=False)
    table.add_column("gate")
    table.add_column("", justify="center")
    table.add_column("reason")
    for gate in decision.gates:
        mark = Text(OK, style="green") if gate.passed else Text(NO, style="red")
        table.add_row(gate.name, mark, gate.reason)
    if not decision.gates:
        table.add_row("(none)", "", "")
    return table


def _dimensions(decision: Decision, definition: Definition) -> Table:
    raw: dict[str, float] = defaultdict(float)
    for hit in decision.fired:
        raw[hit.dimension] += hit.points
    table = Table(title=f"Dimensions: fit {fmt(decision.fit_score)} + engagement "
                  f"{fmt(decision.engagement_score)} = score {fmt(decision.score)}",
                  title_justify="left")
    for column, justify in (("dimension", "left"), ("kind", "left"), ("points", "right"),
                            ("cap", "right"), ("score", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for dim in definition.dimensions:
        score = decision.dimensions.get(dim.name, 0.0)
        points = raw.get(dim.name, 0.0)
        capped = dim.cap is not None and points > dim.cap
        table.add_row(f"{dim.name} ({dim.label})" if dim.label != dim.name else dim.name,
                      dim.kind, fmt(points), "-" if dim.cap is None else fmt(dim.cap),
                      Text(fmt(score) + (" (capped)" if capped else ""),
                           style="yellow" if capped else ""))
    return table


def _criteria(decision: Decision) -> Table:
    table = Table(title="Criteria that fired", title_justify="left")
    for column, justify in (("criterion", "left"), ("dimension", "left"), ("base", "right"),
                            ("decay", "right"), ("points", "right"), ("reason", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for hit in decision.fired:
        decay = "-" if hit.decay_factor == 1.0 else f"x{hit.decay_factor:.2f}"
        table.add_row(hit.criterion, hit.dimension, fmt(hit.base_points), decay,
                      fmt(hit.points), hit.reason)
    if not decision.fired:
        table.add_row("(none)", "", "", "", "", "")
    return table


def _not_fired(decision: Decision, definition: Definition) -> Text | None:
    fired = {hit.criterion for hit in decision.fired}
    missed: dict[str, list[str]] = defaultdict(list)
    for criterion in definition.criteria:
        if criterion.id not in fired and criterion.points > 0:
            missed[criterion.dimension].append(criterion.label)
    if not missed:
        return None
    text = Text("Did not fire:\n", style="bold")
    for dimension, labels in missed.items():
        text.append(f"  {dimension}: ", style="dim")
        text.append("; ".join(labels) + "\n")
    return text


def _handoff(decision: Decision, definition: Definition) -> Text:
    rule: HandoffRule = definition.handoff
    text = Text("Handoff rule:\n", style="bold")
    gates_ok = all(g.passed for g in decision.gates)
    _check(text, gates_ok, "every gate passes")
    fired = {hit.criterion for hit in decision.fired}
    if not rule.alternatives:
        _clauses(text, rule, decision, definition, fired, "  ")
        return text
    for i, alternative in enumerate((rule, *rule.alternatives)):
        holds = all(ok for ok, _ in _rule_checks(alternative, decision, definition, fired))
        _check(text, holds, ("and " if i == 0 else "or ") + describe_rule(alternative))
        _clauses(text, alternative, decision, definition, fired, "      ")
    return text


def describe_rule(rule: HandoffRule) -> str:
    """``grade warm and criterion referred fires``: one alternative of the handoff rule."""
    parts = []
    if rule.grades:
        parts.append("grade " + " / ".join(rule.grades))
    if rule.min_score is not None:
        parts.append(f"score >= {fmt(rule.min_score)}")
    if rule.require_any:
        parts.append("one of " + " / ".join(rule.require_any) + " scores")
    parts += [f"{name} scores" for name in rule.require_all]
    parts += [f"criterion {name} fires" for name in rule.require_criteria]
    return " and ".join(parts)


def _rule_checks(rule: HandoffRule, decision: Decision, definition: Definition,
                 fired: set[str]) -> list[tuple[bool, str]]:
    checks: list[tuple[bool, str]] = []
    if rule.grades:
        checks.append((decision.grade in rule.grades,
                       f"grade in {', '.join(rule.grades)} (is {decision.grade})"))
    if rule.min_score is not None:
        checks.append((decision.score >= rule.min_score,
                       f"score >= {fmt(rule.min_score)} (is {fmt(decision.score)})"))
    if rule.require_any:
        scored = [d for d in rule.require_any if decision.dimensions.get(d, 0.0) > 0]
        checks.append((bool(scored), f"one of {' / '.join(rule.require_any)} scores "
                       f"({', '.join(scored) or 'none does'})"))
    for name in rule.require_all:
        value = decision.dimensions.get(name, 0.0)
        checks.append((value > 0, f"{name} scores (is {fmt(value)})"))
    labels = {c.id: c.label for c in definition.criteria}
    for name in rule.require_criteria:
        checks.append((name in fired, f"criterion {name} ({labels.get(name, name)}) "
                       + ("fired" if name in fired else "did not fire")))
    return checks


def _clauses(text: Text, rule: HandoffRule, decision: Decision, definition: Definition,
             fired: set[str], indent: str) -> None:
    for passed, label in _rule_checks(rule, decision, definition, fired):
        _check(text, passed, label, indent)


def _check(text: Text, passed: bool, label: str, indent: str = "  ") -> None:
    text.append(f"{indent}{OK if passed else NO} ", style="green" if passed else "red")
    text.append(label + "\n")

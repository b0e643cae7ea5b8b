"""The import graph of the product and the sandbox: no cycle between files, even counting
deferred imports (inside functions), and so none between areas (``connector.jobs``,
``connector.daemon``, ``connector.hubspot`` ...) either. Imports under ``if TYPE_CHECKING:``
never run and are left out."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("connector", "connector_sandbox")
Graph = dict[str, set[str]]


def modules() -> dict[str, tuple[Path, bool]]:
    found: dict[str, tuple[Path, bool]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _absolute(module: str, is_package: bool, level: int, name: str) -> str:
    if level == 0:
        return name
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def import_graph(*, deferred: bool) -> Graph:
    """module -> the modules of ours it imports (``from pkg import sub`` counts ``pkg.sub``)."""
    known = modules()
    graph: Graph = {}
    for module, (path, is_package) in known.items():
        edges: set[str] = set()

        def visit(nodes: Iterable[ast.stmt], *, module: str = module,
                  is_package: bool = is_package, edges: set[str] = edges) -> None:
            for node in nodes:
                if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                    continue
                if isinstance(node, ast.Import):
                    edges.update(a.name for a in node.names if a.name in known)
                elif isinstance(node, ast.ImportFrom):
                    target = _absolute(module, is_package, node.level, node.module or "")
                    for alias in node.names:
                        sub = f"{target}.{alias.name}"
                        if sub in known:
                            edges.add(sub)
                        elif target in known:
                            edges.add(target)
                elif isinstance(node, ast.ClassDef) or (
                        deferred and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)):
                    visit(node.body)
                for name in ("body", "orelse", "finalbody"):
                    if isinstance(node, ast.If | ast.Try | ast.With | ast.For | ast.While):
                        visit(getattr(node, name, []) or [])
                if isinstance(node, ast.Try):
                    for handler in node.handlers:
                        visit(handler.body)

        visit(ast.parse(path.read_text(encoding="utf-8")).body)
        edges.discard(module)
        graph[module] = edges
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def area(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "connector" and len(parts) > 1 else parts[0]


def test_no_cycle_between_files() -> None:
    assert cycles(import_graph(deferred=False)) == []


def test_no_cycle_between_files_even_with_deferred_imports() -> None:
    assert cycles(import_graph(deferred=True)) == []


def test_no_cycle_between_areas_even_with_deferred_imports() -> None:
    graph: Graph = {}
    for module, targets in import_graph(deferred=True).items():
        graph.setdefault(area(module), set()).update(
            area(t) for t in targets if area(t) != area(module))
    assert cycles(graph) == []


SANDBOX_TOOLS = frozenset({
    # load an admin's own data into the simulators through the product's own readers and
    # client (the same CSV/JSONL parsing as `connector qualify`; the org driven as the connector
    # drives it), and the runner that starts the simulators with that data
    "connector_sandbox.import_contacts", "connector_sandbox.outcomes",
    "connector_sandbox.org_client", "connector_sandbox.runner",
})


def test_the_sandbox_is_beside_the_product() -> None:
    """The product imports the sandbox only in deferred imports (after ``require_sandbox``);
    the simulators import nothing from the product, not even through another module (their
    fidelity must not lean on the code they test); only the data-loading tools may."""
    eager = import_graph(deferred=False)
    assert not [m for m, ts in eager.items() if m.startswith("connector.")
                and any(t.startswith("connector_sandbox") for t in ts)]
    every = import_graph(deferred=True)
    product = {m for m in every if m == "connector" or m.startswith("connector.")}
    for module in every:
        if not module.startswith("connector_sandbox") or module in SANDBOX_TOOLS:
            continue
        reached, todo = set(), [module]
        while todo:
            for target in every.get(todo.pop(), ()):
                if target not in reached and target not in SANDBOX_TOOLS:
                    reached.add(target)
                    todo.append(target)
        assert not reached & product, (module, sorted(reached & product))
        assert not every[module] & SANDBOX_TOOLS, f"{module} imports a sandbox tool"


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    graph = import_graph(deferred=True)
    assert "connector.jobs.context" in graph["connector.jobs.handoff"]
    assert "connector.connections" in graph["connector.jobs.context"]  # a deferred import
    assert "connector.connections" not in import_graph(deferred=False)["connector.jobs.context"]

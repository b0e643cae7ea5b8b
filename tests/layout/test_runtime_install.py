"""A production install (``pip install .``) has none of the sandbox's dependencies: the product
package must import, build its CLI and run ``handoff --help`` without them, and the sandbox
commands must say how to install the sandbox instead of crashing.

The runtime-only install is simulated in a subprocess by a meta-path finder that makes the
sandbox package and every ``[sandbox]`` dependency unimportable (as if never installed).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SANDBOX_ONLY = ("connector_sandbox", "starlette", "uvicorn", "uvloop", "httptools", "trustme",
                "orjson", "httpx")

BLOCKER = textwrap.dedent(f"""
    import sys
    from importlib.abc import MetaPathFinder

    BLOCKED = {SANDBOX_ONLY!r}

    class NotInstalled(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, NotInstalled())
""")


def run_without_sandbox(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCKER + textwrap.dedent(code)],
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


def test_blocker_really_blocks() -> None:
    done = run_without_sandbox("import starlette")
    assert done.returncode != 0 and "No module named 'starlette'" in done.stderr


def test_handoff_help_works_without_the_sandbox() -> None:
    done = run_without_sandbox("""
        import runpy
        sys.argv = ["connector", "handoff", "--help"]
        runpy.run_module("connector", run_name="__main__")
    """)
    assert done.returncode == 0, done.stderr
    assert "usage: connector handoff" in done.stdout


def test_every_product_module_imports_without_the_sandbox() -> None:
    done = run_without_sandbox("""
        import importlib, pkgutil
        import connector
        names = [m.name for m in pkgutil.walk_packages(connector.__path__, "connector.")]
        for name in names:
            if name.endswith("__main__"):
                continue
            importlib.import_module(name)
        leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
        print(len(names), leaked)
    """)
    assert done.returncode == 0, done.stderr
    count, leaked = done.stdout.split(" ", 1)
    assert int(count) > 50 and leaked.strip() == "[]"


def test_sandbox_commands_say_how_to_install_it() -> None:
    for command in ("demo", "sandbox"):
        done = run_without_sandbox(f"""
            from connector.cli import main
            sys.exit(main([{command!r}]))
        """)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        assert f"`connector {command}` needs the sandbox" in lines[0]
        assert "pip install 'lead-handoff-connector[sandbox]'" in lines[0]
        assert "connector_sandbox" in lines[0] and "Traceback" not in done.stderr


def test_sandbox_mode_without_the_sandbox_is_a_config_error() -> None:
    done = run_without_sandbox("""
        from connector.cli import main
        sys.exit(main(["handoff", "--dry-run"]))
    """)
    assert done.returncode == 2, done.stderr
    assert "needs the sandbox" in done.stderr and "Traceback" not in done.stderr


def test_sandbox_dependencies_live_in_the_extra_only() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(requirements: list[str]) -> set[str]:
        return {r.split(";")[0].split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip()
                for r in requirements}

    runtime = names(project["dependencies"])
    extras = project["optional-dependencies"]
    sandbox = {"starlette", "uvicorn", "uvloop", "httptools", "trustme", "orjson"}
    assert not runtime & (sandbox | {"httpx"})
    assert names(extras["sandbox"]) == sandbox
    assert "lead-handoff-connector[sandbox]" in extras["test"]

"""Is the optional sandbox installed? The simulators live beside the product, in the top-level
package ``connector_sandbox``, and their dependencies come with the ``[sandbox]`` extra. A
production install (``pip install .``) has neither; the product imports the sandbox only inside
the functions that need it, after ``require_sandbox`` has said how to install it when absent.
"""

from __future__ import annotations

import importlib.util

from connector.errors import ConfigError, Problem

SANDBOX_MODULES = ("connector_sandbox", "starlette", "uvicorn", "trustme", "orjson")
"""What the simulators import: the package itself and the ``[sandbox]`` extra's libraries."""

INSTALL_COMMAND = ("pip install 'lead-handoff-connector[sandbox]' "
                   "(from a clone: pip install -e '.[sandbox]')")


def missing_sandbox_modules() -> list[str]:
    """The modules of ``SANDBOX_MODULES`` that cannot be imported here (none are imported)."""
    missing = []
    for name in SANDBOX_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def require_sandbox(what: str) -> None:
    """Raise a one-problem ``ConfigError`` (exit code 2) naming the install command when the
    sandbox or one of its dependencies is absent; ``what`` says who needs it."""
    missing = missing_sandbox_modules()
    if missing:
        raise ConfigError([Problem(
            "<install>", "sandbox",
            f"{what} needs the sandbox, which is not installed (missing: {', '.join(missing)})",
            suggestion=INSTALL_COMMAND)])

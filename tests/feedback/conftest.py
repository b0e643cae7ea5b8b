"""``world``: build sandbox worlds for feedback tests; each is stopped after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.feedback.world import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Callable[..., World]]:
    made: list[World] = []

    def make(name: str = "w", **kw: Any) -> World:
        built = make_world(tmp_path / name, **kw)
        made.append(built)
        return built

    yield make
    for built in made:
        built.close()

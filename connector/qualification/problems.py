"""Collecting validation problems with file, key path, line and a suggestion where one helps."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

from connector.errors import Problem
from connector.problems import Collector, did_you_mean

__all__ = ["Problems", "did_you_mean", "join", "type_name"]


class Problems(Collector):
    """Every problem found in one definition file (the shared ``Collector``), with the checks the
    definition's loaders share; lines are looked up from the TOML text once a problem needs one."""

    def __init__(self, file: str, text: str) -> None:
        super().__init__(file, text=text)

    @property
    def file(self) -> str:
        return self.path

    @property
    def items(self) -> list[Problem]:
        return self.problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    # -- shared checks -----------------------------------------------------------------------
    def unknown_keys(self, table: Mapping[str, Any], allowed: Collection[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.error(join(where, key), f"unknown key {key!r}", did_you_mean(key, allowed))

    def table(self, value: Any, key: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.error(key, f"must be a table, got {type_name(value)}")
        return None

    def string(self, value: Any, key: str, *, required: bool = True) -> str | None:
        if value is None:
            if required:
                self.error(key, "is required")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(key, f"must be a non-empty string, got {type_name(value)}")
            return None
        return value

    def number(self, value: Any, key: str, *, required: bool = True) -> float | None:
        if value is None:
            if required:
                self.error(key, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(key, f"must be a number, got {type_name(value)}")
            return None
        if not math.isfinite(value):
            self.error(key, f"must be a finite number, got {value}")
            return None
        return float(value)

    def strings(self, value: Any, key: str) -> tuple[str, ...] | None:
        if isinstance(value, str):
            self.error(key, "must be a list of strings, got a single string",
                       f"{key.rsplit('.', 1)[-1]} = [{value!r}]".replace("'", '"'))
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(key, f"must be a list of strings, got {type_name(value)}")
            return None
        return tuple(value)


def join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__

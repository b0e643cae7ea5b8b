"""Shared pytest setup. Fixture plugins live in tests/fixtures/ (one module per area)."""

pytest_plugins = [
    "tests.fixtures.sandbox",
    "tests.fixtures.store",
]

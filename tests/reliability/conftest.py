"""The handoff worlds of tests/jobs (a seeded sandbox, settings, a job context)."""

from tests.jobs.conftest import world_factory

__all__ = ["world_factory"]

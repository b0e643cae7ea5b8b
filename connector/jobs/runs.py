"""Run bookkeeping shared by the jobs: one place that turns how a run ended into its status
and records it, without ever masking the run's own error with a bookkeeping one."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import sqlalchemy as sa

from connector.errors import ConnectorError, FatalError
from connector.jobs.context import JobContext
from connector.jobs.run_report import RunReport


@contextmanager
def tracked(ctx: JobContext, report: RunReport,
            api_calls: Callable[[], Mapping[str, int]] | None = None) -> Iterator[None]:
    """Set ``report.status`` from how the block ends (succeeded / failed on a connector error /
    interrupted on anything else, e.g. SIGINT), then record the run if it has an id.

    ``report`` is a job's report (``run_id``, ``status``, ``error``, ``counts``); ``api_calls``
    gives the calls to record (default: the context's calls by system)."""
    try:
        yield
        report.status = "succeeded"
    except ConnectorError as exc:
        report.status, report.error = "failed", str(exc)
        raise
    except sa.exc.DBAPIError as exc:  # the store went away (server restart, session ended)
        report.status, report.error = "failed", f"state store error: {type(exc.orig).__name__}"
        raise FatalError(f"the state store failed: {type(exc.orig).__name__}: "
                         f"{str(exc.orig).strip()[:300]}", system="store",
                         code="STORE_ERROR") from exc
    except BaseException as exc:  # SIGINT, SIGTERM's SystemExit: committed work stays
        report.status, report.error = "interrupted", type(exc).__name__
        raise
    finally:
        finish(ctx, report, api_calls() if api_calls is not None else ctx.stats.by_system())


def finish(ctx: JobContext, report: RunReport, api_calls: Mapping[str, int]) -> None:
    if report.run_id is None or report.status == "running":
        return
    try:
        if ctx.lease_job and report.status == "succeeded" \
                and not ctx.store.lease_owned(ctx.lease_job, ctx.owner, ctx.clock()):
            report.status, report.error = "interrupted", "the run lost its lease"
        # only a run still ``running`` is finished: the next holder may have closed it already
        ctx.store.finish_run(report.run_id, ctx.clock(), status=report.status,
                             counts=dict(report.counts), api_calls=dict(api_calls),
                             error=report.error)
    except Exception as exc:  # never mask the run's own error with a bookkeeping one
        if report.status == "succeeded":
            raise FatalError(f"could not record the run: {exc}") from exc

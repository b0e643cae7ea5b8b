"""JSON logs: one object per line, run context bound, secrets redacted wherever they hide."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from connector.daemon.logging import (
    MASK,
    configure_logging,
    get_logger,
    redact_text,
    unconfigure_logging,
)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    yield
    unconfigure_logging()


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_json_lines_with_context_and_redaction() -> None:
    out = io.StringIO()
    configure_logging(stream=out, instance="host-a")
    log = get_logger("test")
    with structlog.contextvars.bound_contextvars(job="handoff"):
        log.info("run finished", run_id=7, counts={"pushed": 3}, duration_s=1.5,
                 access_token="pat-na1-1234", headers={"Authorization": "Bearer abc.def"},
                 config={"client_secret": "s3cr3t", "password": "hunter2", "session": "x",
                         "private_key": "-----BEGIN", "timeout": 30})
    logging.getLogger("apscheduler.scheduler").warning(
        "login failed for https://user:pa55@db.example/test with sessionId=00D5g000004Sxyz")
    first, second = _lines(out)
    assert first["event"] == "run finished"
    assert first["job"] == "handoff" and first["run_id"] == 7 and first["instance"] == "host-a"
    assert first["counts"] == {"pushed": 3} and first["level"] == "info"
    assert first["access_token"] == MASK
    assert first["headers"] == {"Authorization": MASK}
    assert first["config"] == {"client_secret": MASK, "password": MASK, "session": MASK,
                               "private_key": MASK, "timeout": 30}
    assert second["level"] == "warning" and second["instance"] == "host-a"
    assert "pa55" not in str(second["event"]) and "00D5g000004Sxyz" not in str(second["event"])
    for secret in ("pat-na1-1234", "abc.def", "s3cr3t", "hunter2", "-----BEGIN"):
        assert secret not in out.getvalue()


def test_secrets_inside_strings() -> None:
    cases = {
        "Authorization: Bearer eyJhbGciOi.payload.sig": "eyJhbGciOi",
        "sid=00DXX0000001gPL!AQ4AQFdZ2.x_y": "AQ4AQFdZ2",
        "<sessionId>00DXX0000001gPL!AQkAQ</sessionId>": "AQkAQ",
        '{"access_token": "00DXX0000001gPL!ARsAQ", "x": 1}': "ARsAQ",
        "refresh_token=5Aep861 and client_secret=ABCDEF": "5Aep861",
        "postgresql+psycopg://svc:topsecret@db:5432/prod": "topsecret",
        "api_key: 1234-5678": "1234-5678",
    }
    for text, secret in cases.items():
        masked = redact_text(text)
        assert secret not in masked, masked
        assert MASK in masked
    assert redact_text("pushed 200 leads in 3.2 s") == "pushed 200 leads in 3.2 s"

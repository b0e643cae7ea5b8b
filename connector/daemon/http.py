"""A small threaded HTTP server for ``/metrics`` (Prometheus text format) and ``/healthz``.

``/healthz`` answers 200 with a JSON body when healthy and 503 with the same body listing the
failed checks otherwise; the checks themselves live in ``health.py``. The server runs on a daemon
thread so it never holds up the process's exit; binding to port 0 picks a free port
(``MetricsServer.port`` tells which).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST

from .logging import get_logger

log = get_logger("connector.daemon.http")

HealthCheck = Callable[[], tuple[bool, dict[str, Any]]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        try:
            if path == "/metrics":
                self._send(200, self.server.render_metrics(), CONTENT_TYPE_LATEST)
            elif path in ("/healthz", "/health"):
                ok, details = self.server.health()
                body = json.dumps({"status": "ok" if ok else "failing", **details},
                                  default=str).encode()
                self._send(200 if ok else 503, body, "application/json")
            elif path == "/":
                self._send(200, b"connector daemon: /metrics /healthz\n", "text/plain")
            else:
                self._send(404, b"not found\n", "text/plain")
        except Exception as exc:  # a broken check must not kill the server thread
            log.exception("http handler failed", path=path)
            body = json.dumps({"status": "failing", "error": type(exc).__name__}).encode()
            self._send(503, body, "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # scrapes every few seconds would drown the logs


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], render_metrics: Callable[[], bytes],
                 health: HealthCheck) -> None:
        super().__init__(address, _Handler)
        self.render_metrics = render_metrics
        self.health = health


class MetricsServer:
    def __init__(self, host: str, port: int, *, render_metrics: Callable[[], bytes],
                 health: HealthCheck) -> None:
        self._server = _Server((host, port), render_metrics, health)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.2},
                                        name="metrics-http", daemon=True)

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> MetricsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

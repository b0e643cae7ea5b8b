"""Serve an ASGI app on loopback in a background thread (plain HTTP or TLS with a test CA).

Used by ``connector sandbox``, the pytest fixtures, the demo and the benchmarks. The servers are
real sockets on 127.0.0.1 so the unmodified SDKs talk to them exactly as to the real APIs.
"""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trustme
import uvicorn


@dataclass(frozen=True)
class TestCA:
    """A throwaway certificate authority and a server certificate for 127.0.0.1 / localhost."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    @classmethod
    def create(cls, directory: Path) -> TestCA:
        directory.mkdir(parents=True, exist_ok=True)
        ca = trustme.CA(organization_name="Lead Connector Sandbox CA")
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ca_file = directory / "sandbox-ca.pem"
        cert_file = directory / "sandbox-server.pem"
        key_file = directory / "sandbox-server.key"
        ca.cert_pem.write_to_path(str(ca_file))
        cert.cert_chain_pems[0].write_to_path(str(cert_file))
        for extra in cert.cert_chain_pems[1:]:
            extra.write_to_path(str(cert_file), append=True)
        cert.private_key_pem.write_to_path(str(key_file))
        return cls(ca_file=ca_file, cert_file=cert_file, key_file=key_file)


GC_THRESHOLDS = (50_000, 20, 10)


def tune_gc_for_serving() -> None:
    """For a process whose job is serving the simulators (``connector sandbox``, the module
    entry points, the benchmarks' server processes), not for a test process that embeds them.

    A collection upsert of 200 records keeps about 1,200 container objects alive while it runs,
    so at CPython's default threshold (700) every request pays for two or three young-generation
    collections that find nothing to free, and promotes its live objects to be scanned again.
    With a threshold of 50,000 a collection runs about every 40 requests, after theirs died.
    What exists after start-up (the seeded data) is frozen out of full collections. Cyclic
    garbage, which the simulators don't make on their hot paths, waits a little longer."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the thread must not steal the main signals
        pass


@dataclass
class ServedApp:
    """A running server; ``url`` is its origin, e.g. ``https://127.0.0.1:53211``."""

    url: str
    port: int
    _server: _Server
    _thread: threading.Thread

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)


def serve_in_thread(
    app: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    tls: TestCA | None = None,
    name: str = "sandbox",
    startup_timeout: float = 10.0,
) -> ServedApp:
    """Start ``app`` with uvicorn on ``host:port`` (0 = a free port) and wait until it listens."""
    port = port or free_port(host)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=30,
        timeout_graceful_shutdown=1,  # idle keep-alive clients must not hold a stop for long
        backlog=2048,
        proxy_headers=False,  # loopback only: no proxy in front whose headers to trust
        ssl_certfile=str(tls.cert_file) if tls else None,
        ssl_keyfile=str(tls.key_file) if tls else None,
    )
    server = _Server(config)

    def run() -> None:
        # the loop uvicorn would pick itself (uvloop when installed), not plain asyncio.run's
        factory = getattr(config, "get_loop_factory", lambda: None)()  # uvicorn >= 0.36
        with asyncio.Runner(loop_factory=factory) as runner:
            runner.run(server.serve())

    thread = threading.Thread(target=run, name=f"{name}-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{name} server did not start on {host}:{port}")
        time.sleep(0.01)
    scheme = "https" if tls else "http"
    return ServedApp(url=f"{scheme}://{host}:{port}", port=port, _server=server, _thread=thread)

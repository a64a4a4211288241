"""Gunicorn for `bench.load`: as many sync workers as asked, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from bench.pages import ROOT, free_port, wait_until_healthy


@contextmanager
def gunicorn(
    database_url: str, log: IO[bytes], *, workers: int, secret_key: str | None = None
) -> Iterator[int]:
    """Serve the app (no scheduler) until the block ends, even on error; yield the port.

    Servers given the same `secret_key` accept each other's sessions, as several app servers behind
    one load balancer do."""
    port = free_port()
    environ = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key or secrets.token_hex(32),
        "SCHEDULER": "off",
    }
    command = [sys.executable, "-m", "gunicorn", "app:app", "--bind", f"127.0.0.1:{port}"]
    command += [
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(server, port)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

"""Time the main pages as served by gunicorn against a floor: /healthz of the same app (one SELECT 1).

    python -m bench.pages --programmes 10000 [--requests 200] [--database-url URL]

The portfolio is the risk scan benchmark's (built once per size, reused while the database holds exactly
that many programmes), rated by a scan as of the generator's reference day, with each open programme's
dashboard figures written as of today (as the daily scan does). Gunicorn serves it on
127.0.0.1 with two sync workers, as in production; this process signs in through the sign-in form as a CIO
and requests each page in turn, one request at a time. The last line printed is the result as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

from sqlalchemy import func, select

from bench.pipeline_world import prepare_pipeline
from bench.risk_scan import (
    bench_app,
    portfolio_arguments,
    portfolio_url,
    rated_portfolio,
)
from tracker.domain.calendar import london_today
from tracker.extensions import db
from tracker.models import Programme, ProgrammeFigures, RiskAssessment, Role, Stage
from tracker.models.types import utcnow
from tracker.services.accounts import tokens, users
from tracker.services.portfolio.figures import refresh_open_programmes

ROOT = Path(__file__).resolve().parent.parent
SIGN_IN_EMAIL = "bench-cio@council.example"
SIGN_IN_PASSWORD = "bench-only-password"  # a throwaway portfolio on this machine, served on 127.0.0.1 only
PAGE_BUDGET_SECONDS = 300.0
"""Measuring one page stops after this long, with the requests made so far."""
REQUEST_TIMEOUT = 60.0
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass(frozen=True)
class Timing:
    """One page's latencies (ms, sorted) over the wall time they took, requests one after another."""

    latencies: list[float]
    seconds: float

    def percentile(self, share: float) -> float:
        """Nearest rank: the latency that `share` of the requests were as quick as or quicker than."""
        return self.latencies[max(0, math.ceil(share * len(self.latencies)) - 1)]

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds


def prepare_site(n_programmes: int, seed: int) -> str:
    """Build or reuse the portfolio, rate it, add someone to sign in as; return a programme page's code."""
    rated_portfolio(n_programmes, seed)
    now = utcnow()
    today = london_today(now)
    todays = select(func.count()).select_from(ProgrammeFigures).where(ProgrammeFigures.as_of == today)
    if db.session.scalar(todays) != db.session.scalar(
        select(func.count()).where(Programme.stage != Stage.CLOSED)
    ):
        # The daily scan writes each open programme's figures as of its day; the scan above is as of the
        # reference day, so write today's, as this morning's scan would have.
        refresh_open_programmes(today=today, now=now)
        db.session.commit()
        print(f"Dashboard figures written as of {today.isoformat()}")
    if users.find_by_email(SIGN_IN_EMAIL) is None:
        users.create_user(SIGN_IN_EMAIL, name="Bench CIO", role=Role.CIO, password=SIGN_IN_PASSWORD)
    # The most flagged open programme: the overview has the most to show.
    code = db.session.scalar(
        select(Programme.code)
        .join(RiskAssessment, RiskAssessment.programme_id == Programme.id)
        .where(RiskAssessment.is_latest.is_(True), Programme.stage != Stage.CLOSED)
        .order_by(RiskAssessment.score.desc(), Programme.code)
        .limit(1)
    )
    if code is None:
        raise SystemExit("No rated open programme to show: is the portfolio empty?")
    return code


def free_port() -> int:
    """A port nobody listens on now (the kernel picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(database_url: str, log: IO[bytes]) -> Iterator[int]:
    """Serve the app with two gunicorn workers on a free local port until the block ends, even on error."""
    port = free_port()
    environ = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "SCHEDULER": "off",
    }
    command = [sys.executable, "-m", "gunicorn", "app:app", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    command += ["--timeout", "120", "--graceful-timeout", "5", "--log-level", "warning"]
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


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, timeout: float = 30.0) -> None:
    """Return once /healthz answers 200; fail if gunicorn exits or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {server.returncode} before answering")
        probe = Client(port)
        try:
            if probe.get("/healthz")[0] == 200:
                return
        except OSError:
            pass
        finally:
            probe.close()
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s")


class Client:
    """One keep-alive connection per server (reopened when the server closes it) carrying the session cookie.

    Given several ports, requests take turns between the servers, as behind a load balancer with no
    sticky sessions: a session and a form's CSRF token started on one must hold on the others."""

    def __init__(self, port: int | Sequence[int]) -> None:
        ports = [port] if isinstance(port, int) else list(port)
        self.connections = [
            http.client.HTTPConnection("127.0.0.1", each, timeout=REQUEST_TIMEOUT) for each in ports
        ]
        self.turn = 0
        self.cookies: dict[str, str] = {}
        self.location: str | None = None
        self.token: str | None = None
        """An API token: sent as the bearer for paths under /api/, as another system would."""

    @property
    def connection(self) -> http.client.HTTPConnection:
        """The connection the next request goes out on."""
        return self.connections[self.turn % len(self.connections)]

    def request(
        self,
        method: str,
        path: str,
        body: str | bytes | None = None,
        content_type: str = "application/x-www-form-urlencoded",
    ) -> tuple[int, str]:
        """Send one request, read the whole response, keep any cookie it sets; return status and body.

        A redirect's target is kept in `location`."""
        headers = {"Connection": "keep-alive"}
        if self.token and path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
        connection = self.connection
        self.turn += 1
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        self.location = response.getheader("Location")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, content.decode("utf-8", "replace")

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def sign_in(self, email: str, password: str) -> None:
        """Through the real form: fetch it for the CSRF token, post it, expect the redirect to land."""
        status, page = self.get("/sign-in")
        token = CSRF_INPUT.search(page)
        if status != 200 or token is None:
            raise RuntimeError(f"The sign-in form did not load (status {status})")
        form = urlencode({"email": email, "password": password, "csrf_token": token.group(1)})
        status, page = self.request("POST", "/sign-in", form)
        if status != 302:
            raise RuntimeError(f"Signing in as {email} failed (status {status})")

    def close(self) -> None:
        for connection in self.connections:
            connection.close()


def measure(client: Client, path: str, *, requests: int, warmup: int) -> Timing:
    """Warm up, then time `requests` GETs one after another (fewer if the page's time budget runs out)."""
    for _ in range(warmup):
        expect_ok(client, path)
    latencies: list[float] = []
    started = time.perf_counter()
    while len(latencies) < requests and time.perf_counter() - started < PAGE_BUDGET_SECONDS:
        before = time.perf_counter()
        expect_ok(client, path)
        latencies.append((time.perf_counter() - before) * 1000)
    return Timing(sorted(latencies), time.perf_counter() - started)


def expect_ok(client: Client, path: str) -> None:
    status, _ = client.get(path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")


def new_api_token() -> str:
    """A fresh API token of the benchmark's CIO (tokens are stored hashed: the plaintext is only had now)."""
    person = users.find_by_email(SIGN_IN_EMAIL)
    if person is None:
        raise RuntimeError("The benchmark's CIO is missing: run prepare_site first")
    _, plaintext = tokens.create_token(person, name="bench", purpose="api")
    db.session.commit()
    return plaintext


def run_pages(
    port: int, pages: dict[str, str], *, requests: int, warmup: int, token: str | None = None
) -> dict[str, Timing | str]:
    """Each page's timing, or why it could not be measured (the others are still measured)."""
    client = Client(port)
    client.token = token
    try:
        client.sign_in(SIGN_IN_EMAIL, SIGN_IN_PASSWORD)
        results: dict[str, Timing | str] = {}
        for name, path in pages.items():
            try:
                results[name] = measure(client, path, requests=requests, warmup=warmup)
            except (RuntimeError, OSError, http.client.HTTPException) as error:
                client.close()  # a half-read response would confuse the next request
                results[name] = str(error) or type(error).__name__
        return results
    finally:
        client.close()


def report(n_programmes: int, pages: dict[str, str], results: dict[str, Timing | str]) -> dict[str, object]:
    """Print a line per page; return the figures for the JSON line (None for a page that failed)."""
    print(f"{'page':<10} {'path':<24} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}")
    for name, path in pages.items():
        timing = results[name]
        if isinstance(timing, str):
            print(f"{name:<10} {path:<24} failed: {timing}")
        else:
            print(
                f"{name:<10} {path:<24} {len(timing.latencies):>8} {timing.percentile(0.5):>8.2f} "
                f"{timing.percentile(0.95):>8.2f} {timing.per_second:>7.1f}"
            )

    timings = {name: timing for name, timing in results.items() if isinstance(timing, Timing)}
    floor = timings.get("floor")

    def ratio(name: str) -> float | None:
        timing = timings.get(name)
        return round(timing.percentile(0.5) / floor.percentile(0.5), 2) if timing and floor else None

    def p95(name: str) -> float | None:
        timing = timings.get(name)
        return round(timing.percentile(0.95), 2) if timing else None

    return {
        "programmes": n_programmes,
        "floor_p50_ms": round(floor.percentile(0.5), 2) if floor else None,
        "dashboard_ratio": ratio("dashboard"),
        "list_ratio": ratio("list"),
        "programme_ratio": ratio("programme"),
        "milestones_ratio": ratio("milestones"),
        "api_list_ratio": ratio("api_list"),
        "dashboard_p95_ms": p95("dashboard"),
        "programme_p95_ms": p95("programme"),
        "milestones_p95_ms": p95("milestones"),
        "api_list_p95_ms": p95("api_list"),
        "capacity_ratio": ratio("capacity"),
        "capacity_p95_ms": p95("capacity"),
        "pipeline_ratio": ratio("pipeline"),
        "pipeline_p95_ms": p95("pipeline"),
    }


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the portfolio, serve it, time the floor and each page, print the JSON result last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    portfolio_arguments(parser)
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per page")
    parser.add_argument("--warmup", type=int, default=10, help="Untimed requests per page first")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be at least 1 and --warmup not negative")
    url = portfolio_url(args)
    with bench_app(url).app_context():
        code = prepare_site(args.programmes, args.seed)
        pipeline = prepare_pipeline(args.seed)
        token = new_api_token()
        db.session.remove()
        db.engine.dispose()
    pages = {
        "floor": "/healthz",
        "dashboard": "/dashboard",
        "list": "/programmes/",
        "programme": f"/programmes/{code}/",
        "milestones": "/milestones/",  # overdue, the page's default
        "api_list": "/api/v1/programmes",  # the list's JSON twin, with an API token
        "capacity": "/capacity/",  # every service team by the next 12 months
        "pipeline": pipeline,  # ideas and business cases ranked, twenty ticked in
    }
    with tempfile.TemporaryFile() as log:
        with gunicorn(url, log) as port:
            results = run_pages(port, pages, requests=args.requests, warmup=args.warmup, token=token)
        figures = report(args.programmes, pages, results)
        if any(isinstance(result, str) for result in results.values()):
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").splitlines()[-20:]
            print("Server log (last lines):", *tail, sep="\n")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

"""Two app servers, each with its own scheduler, on one PostgreSQL database, as behind a load balancer:
a session from one holds on the other, the import wizard completes with its steps taking turns between
them, and the weekly digest goes out once however many schedulers fire it. Real processes throughout:
`flask serve` (gunicorn and a scheduler process) twice, a real SMTP server, HTTP over the loopback."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from bench.pages import CSRF_INPUT, Client, free_port, wait_until_healthy
from tests.smtp_server import SmtpSink
from tracker.extensions import db
from tracker.models import DigestDelivery, Programme
from tracker.services.demo.seed import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.postgres_only
SELECTED = r'<select class="govuk-select[^"]*" id="([a-z]+-\d+)".*?<option value="([a-z_]+)" selected'
ROOT = Path(__file__).resolve().parents[2]
CIO = "cio@demo.council.example"
PORTFOLIO = (
    b"Project ref,Project name,Service area,Focus,Budget,Original end date\r\n"
    b"TWO-001,Library kiosks,Communities,Service improvement,250000,31/03/2028\r\n"
    b"TWO-002,Parking permits online,Place,Cost reduction,90000,30/09/2027\r\n"
)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes]

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def environment(app, schema: str, smtp: SmtpSink) -> dict[str, str]:
    """The demo council in the database, and the settings both servers share (one secret key)."""
    seed_demo()
    db.session.remove()
    return {
        **os.environ,
        "DATABASE_URL": schema,
        "SECRET_KEY": secrets.token_hex(32),
        "SCHEDULER": "embedded",
        **{key: str(value) for key, value in smtp.settings().items()},
    }


def _serve(environ: dict[str, str], log: IO[bytes]) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "serve", "--workers", "1"],
        cwd=ROOT,
        env={**environ, "PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Server(process, port, log)


@pytest.fixture
def servers(environment: dict[str, str]) -> Iterator[list[Server]]:
    with tempfile.TemporaryFile() as first_log, tempfile.TemporaryFile() as second_log:
        running = [_serve(environment, log) for log in (first_log, second_log)]
        try:
            for server in running:
                wait_until_healthy(server.process, server.port, timeout=90)
            yield running
        finally:
            for server in running:
                if server.process.poll() is None:
                    os.killpg(server.process.pid, signal.SIGINT)  # Ctrl-C: gunicorn and its scheduler stop
            for server in running:
                server.process.wait(timeout=60)


def test_a_session_started_on_one_server_holds_on_the_other(servers: list[Server]) -> None:
    first, second = Client(servers[0].port), Client(servers[1].port)
    first.sign_in(CIO, DEMO_PASSWORD)
    second.cookies = dict(first.cookies)

    status, page = second.get("/dashboard")
    assert status == 200 and "Portfolio dashboard" in page
    status, _ = Client(servers[1].port).get("/dashboard")  # no session: off to sign in
    assert status == 302


def test_the_import_wizard_completes_with_its_steps_taking_turns_between_servers(
    servers: list[Server],
) -> None:
    client = Client([server.port for server in servers])  # each request goes to the other server
    client.sign_in(CIO, DEMO_PASSWORD)

    status, page = client.get("/imports/")
    body, content_type = _multipart(
        {"csrf_token": _token(page), "unit": "pounds"}, {"programmes": ("portfolio.csv", PORTFOLIO)}
    )
    status, page = client.request("POST", "/imports/", body, content_type)
    assert status == 302, page
    columns = _path(client.location)

    status, page = client.get(columns)
    chosen = dict(
        re.findall(
            r'<select class="govuk-select[^"]*" id="([a-z]+-\d+)".*?<option value="([a-z_]+)" selected',
            page,
            re.S,
        )
    )
    status, page = client.request("POST", columns, urlencode({"csrf_token": _token(page), **chosen}))
    assert status == 302, page
    check = _path(client.location)

    status, page = client.get(check)
    assert "Ready to import" in page, page
    commit = re.search(r'action="([^"]+/commit)"', page)[1]
    status, page = client.request("POST", commit, urlencode({"csrf_token": _token(page)}))
    assert status == 302, page
    status, page = client.get(_path(client.location))
    assert "Import complete" in page and "Imported 2 rows: 2 new" in page

    db.session.remove()
    codes = set(db.session.scalars(select(Programme.code).where(Programme.code.like("TWO-%"))))
    assert codes == {"TWO-001", "TWO-002"}
    for server in servers:  # both servers took part in the wizard
        assert "/imports/" in server.output()


def test_the_weekly_digest_goes_out_once_when_both_schedulers_fire_it(
    environment: dict[str, str], servers: list[Server], smtp: SmtpSink
) -> None:
    command = [sys.executable, "-m", "flask", "--app", "app", "scheduler", "run-now", "weekly_digest"]
    firing = [
        subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(2)
    ]
    said = [process.communicate(timeout=120)[0].decode() for process in firing]

    assert sum("already claimed by another run" in words for words in said) == 1, said
    assert sum(": done." in words for words in said) == 1, said
    db.session.remove()
    sent = db.session.scalar(select(func.count()).select_from(DigestDelivery))
    assert sent and sent >= 1
    smtp.wait_for(sent)
    assert set(Counter(smtp.recipients()).values()) == {1}  # each CIO once, nobody twice
    assert len(smtp.recipients()) == sent


def _token(page: str) -> str:
    found = CSRF_INPUT.search(page)
    assert found, page
    return found.group(1)


def _path(location: str | None) -> str:
    assert location
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, (filename, content) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        body += head.encode() + b"Content-Type: text/csv\r\n\r\n" + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"

"""The scheduler process killed (SIGKILL) halfway through the weekly digest, then restarted:
everyone still ends with exactly one message, through a real SMTP server (aiosmtpd).

The kill lands while the second recipient's SMTP conversation is open, before its message is
handed over (the server holds the RCPT reply). What stays open by design: a process killed after
the server's final "250" for a message but before its row is committed as sent; the retry then sends
that one message again (at least once, never lost). That window is one UPDATE and COMMIT long.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.smtp_server import SmtpSink, _Handler
from tracker.extensions import db
from tracker.models import DeliveryStatus, DigestDelivery, JobRun, RunStatus
from tracker.models.types import utcnow
from tracker.services.demo.seed import seed_demo
from tracker.services.digest.jobs import LEASE, retry_failed_deliveries
from tracker.services.ratings.scan import scan_portfolio

ROOT = Path(__file__).resolve().parents[2]
DEMO_RECIPIENTS = [
    "admin@demo.council.example",
    "board@demo.council.example",
    "cio@demo.council.example",
    "pm@demo.council.example",
    "pm2@demo.council.example",
]


class _HoldingHandler(_Handler):
    """Accepts mail as the sink does, but keeps the second recipient waiting at RCPT until released."""

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options: list[str]) -> str:
        sink = self.sink
        assert isinstance(sink, HoldingSink)
        sink.rcpt_count += 1
        if sink.rcpt_count == 2:
            sink.held.set()
            while not sink.release.is_set():
                await asyncio.sleep(0.02)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


class HoldingSink(SmtpSink):
    def __init__(self) -> None:
        super().__init__()
        self.rcpt_count = 0
        self.held = threading.Event()
        self.release = threading.Event()

    def start(self) -> HoldingSink:
        from aiosmtpd.controller import Controller

        self._controller = Controller(_HoldingHandler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self


@pytest.fixture
def smtp(app: Flask):
    sink = HoldingSink().start()
    app.config.update(sink.settings())
    try:
        yield sink
    finally:
        sink.release.set()
        sink.stop()


@pytest.fixture
def demo(app: Flask) -> None:
    seed_demo()
    scan_portfolio()


def scheduler_command(schema: str, port: int, job: str) -> tuple[list[str], dict[str, str]]:
    env = {
        **os.environ,
        "DATABASE_URL": schema,
        "SECRET_KEY": "test-secret-key",
        "BASE_URL": "http://tracker.test",
        "ORG_NAME": "Testshire County Council",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SCHEDULER": "off",
    }
    return [sys.executable, "-m", "flask", "--app", "app", "scheduler", "run-now", job], env


def run_now(schema: str, port: int, job: str) -> str:
    command, env = scheduler_command(schema, port, job)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def rows() -> dict[str, DigestDelivery]:
    db.session.expire_all()
    return {row.recipient: row for row in db.session.scalars(select(DigestDelivery))}


def test_killed_mid_digest_then_restarted_everyone_gets_exactly_one(
    demo, smtp: HoldingSink, schema: str
) -> None:
    command, env = scheduler_command(schema, smtp.port, "weekly_digest")
    scheduler = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert smtp.held.wait(timeout=120), "the digest never reached its second recipient"
        scheduler.send_signal(signal.SIGKILL)
        scheduler.wait(timeout=30)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.wait()
        smtp.release.set()
    assert scheduler.returncode == -signal.SIGKILL
    assert len(smtp.recipients()) == 1  # the first was sent before the kill
    before = rows()
    assert Counter(row.status for row in before.values()) == {
        DeliveryStatus.SENT: 1,
        DeliveryStatus.PENDING: 4,
    }
    # The one being sent when the process died: leased by it, its attempt counted, not marked sent.
    (held,) = [
        row.recipient for row in before.values() if row.attempts == 1 and row.status is DeliveryStatus.PENDING
    ]
    job_run = db.session.scalar(select(JobRun).where(JobRun.job == "weekly_digest"))
    assert job_run.status is RunStatus.RUNNING  # died without recording an outcome

    # The restarted scheduler fires the weekly job again: the week's claim stops a second build or send.
    assert "already claimed" in run_now(schema, smtp.port, "weekly_digest")
    # Its hourly retry sends the rows nobody had started; the killed process's lease still holds one back.
    assert "Retried: 3 sent" in run_now(schema, smtp.port, "retry_deliveries")
    assert sorted(smtp.recipients()) == sorted(r for r in DEMO_RECIPIENTS if r != held)
    # Once the lease has run out (ten minutes), the next retry sends the message that never left.
    summary = retry_failed_deliveries(now=utcnow() + LEASE + timedelta(minutes=1))

    assert summary.startswith("Retried: 1 sent")
    assert Counter(smtp.recipients()) == Counter(DEMO_RECIPIENTS)  # everyone exactly once
    after = rows()
    assert all(row.status is DeliveryStatus.SENT for row in after.values())
    assert after[held].attempts == 2

"""Delivering the digest through a real SMTP server (aiosmtpd): exactly once per person per week."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.smtp_server import SmtpSink, free_port
from tracker.domain.calendar import LONDON, london_week_key
from tracker.extensions import db
from tracker.jobs import get_job
from tracker.mail import DeliveryError, SmtpMailer
from tracker.models import AuditEvent, DeliveryStatus, DigestDelivery, User
from tracker.models.types import utcnow
from tracker.services.demo.seed import seed_demo
from tracker.services.digest.jobs import (
    MAX_ATTEMPTS,
    resend_delivery,
    retry_failed_deliveries,
    send_weekly_digest,
)
from tracker.services.ratings.scan import scan_portfolio

ROOT = Path(__file__).resolve().parents[2]
DEMO_RECIPIENTS = sorted(
    [
        "admin@demo.council.example",
        "board@demo.council.example",
        "cio@demo.council.example",
        "pm@demo.council.example",
        "pm2@demo.council.example",
    ]
)


@pytest.fixture
def smtp(app: Flask):
    with SmtpSink() as sink:
        app.config.update(sink.settings())
        yield sink


@pytest.fixture
def demo(app: Flask) -> None:
    """The demo council, rated by the scan: five users, of whom four get a digest by default."""
    seed_demo()
    scan_portfolio()


def rows() -> list[DigestDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(DigestDelivery).order_by(DigestDelivery.recipient)))


def test_weekly_send_delivers_one_digest_to_each_recipient(demo, smtp: SmtpSink) -> None:
    summary = send_weekly_digest()

    week = london_week_key(utcnow())
    assert summary == f"{week}: 5 digests built; 5 sent, 0 waiting to retry, 0 failed."
    assert sorted(smtp.recipients()) == DEMO_RECIPIENTS  # the viewer has not opted in
    [cio] = smtp.to("cio@demo.council.example")
    assert cio.message["To"] == "cio@demo.council.example"
    assert cio.message["From"] == "Testshire County Council change programme tracker <tracker@localhost>"
    assert cio.message["Subject"].startswith("Risk digest w/c ")
    assert "Red" in cio.message["Subject"] and "Amber" in cio.message["Subject"]
    assert "For Helen Carter: the whole portfolio" in cio.text
    assert "http://tracker.test/programmes/WST-007/updates/" in cio.text  # stale: chase Tom Barker
    assert "Chase: Tom Barker <pm2@demo.council.example>" in cio.text
    assert "http://tracker.test/rebaselines/" in cio.html
    assert "<table" in cio.html and "Helen Carter" in cio.html
    [pm] = smtp.to("pm@demo.council.example")
    assert "For Priya Shah: your programmes" in pm.text and "WHAT TO UPDATE THIS WEEK" in pm.text
    assert "WST-007" not in pm.text  # Tom Barker's programme

    stored = rows()
    assert [row.status for row in stored] == [DeliveryStatus.SENT] * 5
    by_email = {row.recipient: row for row in stored}
    assert by_email["cio@demo.council.example"].subject == cio.message["Subject"]
    assert by_email["cio@demo.council.example"].text_body.strip() == cio.text.strip()
    assert all(row.attempts == 1 and row.iso_week == week and row.sent_at for row in stored)


def test_a_second_run_for_the_week_sends_nothing(app: Flask, demo, smtp: SmtpSink) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["digest", "send"])
    second = runner.invoke(args=["digest", "send"])
    direct = send_weekly_digest()  # even past the claim, rows are never rebuilt or resent

    assert first.exit_code == 0 and "5 sent" in first.output, first.output
    assert second.exit_code == 0 and "already claimed by another run; nothing done" in second.output
    assert direct.endswith(": 0 digests built; 0 sent, 0 waiting to retry, 0 failed.")
    assert sorted(smtp.recipients()) == DEMO_RECIPIENTS


def test_opted_in_viewer_and_opted_out_cio(demo, smtp: SmtpSink) -> None:
    viewer = db.session.scalar(select(User).where(User.email == "viewer@demo.council.example"))
    cio = db.session.scalar(select(User).where(User.email == "cio@demo.council.example"))
    viewer.digest_opt_in = True
    cio.digest_opt_out = True
    db.session.commit()

    send_weekly_digest()

    assert "viewer@demo.council.example" in smtp.recipients()
    assert "cio@demo.council.example" not in smtp.recipients()
    [message] = smtp.to("viewer@demo.council.example")
    assert "the whole portfolio" in message.text
    assert "RE-BASELINE REQUESTS" not in message.text  # a viewer approves nothing


def test_smtp_down_then_back_sends_each_exactly_once(app: Flask, demo) -> None:
    port = free_port()  # nothing listens here yet
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    now = utcnow()

    send_weekly_digest(now=now)

    stored = rows()
    assert [row.status for row in stored] == [DeliveryStatus.PENDING] * 5
    assert all(row.attempts == 1 and "Could not reach SMTP" in row.last_error for row in stored)
    assert all(row.next_attempt_at == now + timedelta(minutes=15) for row in stored)
    assert retry_failed_deliveries(now=now + timedelta(minutes=5)) == "No digest deliveries due for retry."

    with SmtpSink(port) as smtp:
        summary = retry_failed_deliveries(now=now + timedelta(hours=1))
        again = retry_failed_deliveries(now=now + timedelta(hours=2))

    assert summary == "Retried: 5 sent, 0 waiting to retry, 0 failed; 0 given up."
    assert again == "No digest deliveries due for retry."
    assert sorted(smtp.recipients()) == DEMO_RECIPIENTS
    assert all(row.status is DeliveryStatus.SENT and row.attempts == 2 for row in rows())


def test_backoff_doubles_and_gives_up_after_six_attempts(app: Flask, demo) -> None:
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    now = utcnow()
    send_weekly_digest(now=now)
    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        row = rows()[0]
        waits.append(row.next_attempt_at - now)
        now = row.next_attempt_at
        retry_failed_deliveries(now=now)

    assert waits == [timedelta(minutes=15 * 2**n) for n in range(5)]  # 15, 30, 60, 120, 240 minutes
    stored = rows()
    assert all(row.status is DeliveryStatus.FAILED and row.attempts == MAX_ATTEMPTS for row in stored)
    assert all(row.next_attempt_at is None and row.last_error for row in stored)
    assert retry_failed_deliveries(now=now + timedelta(days=1)) == "No digest deliveries due for retry."


def test_a_refused_recipient_stays_pending_and_the_rest_are_sent(demo, smtp: SmtpSink) -> None:
    smtp.refuse.add("pm2@demo.council.example")

    send_weekly_digest()

    status = {row.recipient: row for row in rows()}
    assert status["pm2@demo.council.example"].status is DeliveryStatus.PENDING
    assert "550" in status["pm2@demo.council.example"].last_error
    assert sorted(smtp.recipients()) == [r for r in DEMO_RECIPIENTS if r != "pm2@demo.council.example"]


class CrashingMailer:
    """Delivers through the real server, then the process 'dies' before the third message."""

    def __init__(self, port: int, survive: int) -> None:
        self.inner = SmtpMailer("127.0.0.1", port)
        self.survive = survive

    def send(self, message: EmailMessage) -> None:
        if self.survive == 0:
            raise KeyboardInterrupt("the process was killed")
        self.survive -= 1
        self.inner.send(message)


def test_a_crash_halfway_sends_the_rest_on_retry_and_nobody_twice(demo, smtp: SmtpSink) -> None:
    now = utcnow()
    with pytest.raises(KeyboardInterrupt):
        send_weekly_digest(now=now, mailer=CrashingMailer(smtp.port, survive=2))

    assert len(smtp.received) == 2
    assert Counter(row.status for row in rows()) == {DeliveryStatus.SENT: 2, DeliveryStatus.PENDING: 3}

    retry_failed_deliveries(now=now + timedelta(hours=1))

    assert sorted(smtp.recipients()) == DEMO_RECIPIENTS  # each exactly once
    assert all(row.status is DeliveryStatus.SENT for row in rows())


class InterleavingMailer:
    """While the first message is on the wire, a second sender runs the retry job over the same rows."""

    def __init__(self, port: int, now: datetime) -> None:
        self.inner = SmtpMailer("127.0.0.1", port)
        self.now = now
        self.summary = ""

    def send(self, message: EmailMessage) -> None:
        if not self.summary:
            self.summary = retry_failed_deliveries(now=self.now, mailer=self.inner)
        self.inner.send(message)


def test_two_senders_at_once_never_send_anyone_twice(demo, smtp: SmtpSink) -> None:
    now = utcnow()
    mailer = InterleavingMailer(smtp.port, now)

    summary = send_weekly_digest(now=now, mailer=mailer)

    assert mailer.summary.startswith("Retried: 4 sent")  # the first row was leased to the weekly job
    assert summary.endswith("5 digests built; 1 sent, 0 waiting to retry, 0 failed.")
    assert sorted(smtp.recipients()) == DEMO_RECIPIENTS


def test_resend_sends_the_stored_message_again_on_purpose(demo, smtp: SmtpSink, make_user) -> None:
    admin = make_user("admin")
    send_weekly_digest()
    row = next(row for row in rows() if row.recipient == "pm@demo.council.example")

    resend_delivery(row.id, user_id=admin.id)

    first, second = smtp.to("pm@demo.council.example")
    assert second.message["Subject"] == first.message["Subject"]
    assert second.text == first.text and second.html == first.html
    assert second.message["Message-ID"] != first.message["Message-ID"]
    row = next(row for row in rows() if row.recipient == "pm@demo.council.example")
    assert row.attempts == 2 and row.status is DeliveryStatus.SENT
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "digest_delivery"))
    assert event.user_id == admin.id and "Resent the" in event.summary


def test_without_smtp_host_messages_land_in_the_outbox(app: Flask, demo, tmp_path: Path) -> None:
    app.config.update(SMTP_HOST="", OUTBOX_DIR=str(tmp_path / "outbox"))

    send_weekly_digest()

    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 5
    messages = [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    assert sorted(message["To"] for message in messages) == DEMO_RECIPIENTS
    assert all(message.get_body(("html",)) and message.get_body(("plain",)) for message in messages)
    assert not list((tmp_path / "outbox").glob("*.tmp"))


def test_smtp_login_when_credentials_are_configured(demo, app: Flask) -> None:
    with SmtpSink(credentials=("tracker", "s3cret-pass")) as smtp:
        app.config.update(smtp.settings(), SMTP_USERNAME="tracker", SMTP_PASSWORD="s3cret-pass")
        send_weekly_digest()
        assert {item.authenticated_as for item in smtp.received} == {"tracker"}
    with SmtpSink(credentials=("tracker", "s3cret-pass")) as smtp:
        mailer = SmtpMailer("127.0.0.1", smtp.port, username="tracker", password="wrong")
        with pytest.raises(DeliveryError, match="535"):
            mailer.send(EmailMessage())


def test_three_concurrent_send_processes_deliver_each_digest_once(demo, smtp: SmtpSink, schema: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": schema,
        "SECRET_KEY": "test-secret-key",
        "BASE_URL": "http://tracker.test",
        "ORG_NAME": "Testshire County Council",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SCHEDULER": "off",
    }
    command = [sys.executable, "-m", "flask", "--app", "app", "digest", "send"]
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]

    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    assert sum("5 sent" in output for output in outputs) == 1, outputs
    assert sum("already claimed" in output for output in outputs) == 2, outputs
    assert sorted(smtp.recipients()) == DEMO_RECIPIENTS
    assert all(row.status is DeliveryStatus.SENT for row in rows())


def test_monday_0800_london_fires_once_each_side_of_the_clock_change(app: Flask) -> None:
    """British Summer Time ends on Sunday 25 October 2026: 08:00 is 07:00 UTC before, 08:00 UTC after."""
    from tracker.scheduler import build_scheduler

    scheduler = build_scheduler(app, blocking=False)
    trigger = next(job.trigger for job in scheduler.get_jobs() if job.id == "weekly_digest")

    fires, moment = [], datetime(2026, 10, 12, 12, 0, tzinfo=LONDON)
    while len(fires) < 3:
        moment = trigger.get_next_fire_time(None, moment + timedelta(seconds=1))
        fires.append(moment)

    local = [(fire.astimezone(LONDON).date().isoformat(), fire.astimezone(LONDON).hour) for fire in fires]
    assert local == [("2026-10-19", 8), ("2026-10-26", 8), ("2026-11-02", 8)]  # once each Monday
    utc = [fire.astimezone(UTC) for fire in fires]
    assert [moment.hour for moment in utc] == [7, 8, 8]
    assert utc[1] - utc[0] == timedelta(days=7, hours=1)  # the week that gained an hour
    weeks = [get_job("weekly_digest").period(moment) for moment in utc]
    assert weeks == ["2026-W43", "2026-W44", "2026-W45"]  # each firing claims its own week

"""Period claims: a job runs once per period across threads, processes and hosts."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import JobRun, Programme, RiskAssessment, RunStatus
from tracker.models.types import utcnow
from tracker.services.claims import STALE_AFTER, claimant, run_claimed

PROJECT = Path(__file__).resolve().parents[2]


def job_run(job: str, period: str) -> JobRun:
    db.session.expire_all()
    return db.session.scalars(select(JobRun).filter_by(job=job, period_key=period)).one()


def test_a_period_runs_once(app) -> None:
    first = run_claimed("digest", "2027-W10", lambda: "Sent 4 digests.")
    second = run_claimed("digest", "2027-W10", lambda: "Sent 4 digests again.")

    assert (first.ran, first.succeeded, first.summary) == (True, True, "Sent 4 digests.")
    assert first.describe() == "digest 2027-W10: done. Sent 4 digests."
    assert not second.ran
    assert second.describe() == "digest 2027-W10: already claimed by another run; nothing done."
    row = job_run("digest", "2027-W10")
    assert (row.status, row.summary, row.claimed_by) == (RunStatus.SUCCEEDED, "Sent 4 digests.", claimant())
    assert row.finished_at is not None
    assert run_claimed("digest", "2027-W11", lambda: "Next week.").ran


def test_a_failed_run_keeps_its_traceback_and_can_be_claimed_again(app) -> None:
    def broken() -> str:
        raise ConnectionError("SMTP server refused the connection")

    failed = run_claimed("digest", "2027-W10", broken)

    assert (failed.ran, failed.succeeded) == (True, False)
    assert failed.describe() == "digest 2027-W10: FAILED. See the job log for the error."
    row = job_run("digest", "2027-W10")
    assert row.status == RunStatus.FAILED
    assert "Traceback (most recent call last)" in row.error
    assert "ConnectionError: SMTP server refused the connection" in row.error

    retried = run_claimed("digest", "2027-W10", lambda: "Sent 4 digests.")

    assert (retried.ran, retried.succeeded) == (True, True)
    row = job_run("digest", "2027-W10")
    assert (row.status, row.error, row.summary) == (RunStatus.SUCCEEDED, "", "Sent 4 digests.")


def test_a_stale_running_claim_is_taken_over_but_a_live_one_is_not(app) -> None:
    started = {"dead": utcnow() - STALE_AFTER - timedelta(minutes=1), "live": utcnow() - timedelta(minutes=5)}
    for period, at in started.items():
        db.session.add(
            JobRun(
                job="risk_scan",
                period_key=period,
                status=RunStatus.RUNNING,
                claimed_by="gone:1",
                started_at=at,
            )
        )
    db.session.commit()

    assert run_claimed("risk_scan", "dead", lambda: "Scanned 0 programmes.").ran
    assert not run_claimed("risk_scan", "live", lambda: "Scanned 0 programmes.").ran

    assert job_run("risk_scan", "dead").claimed_by == claimant()
    assert job_run("risk_scan", "live").claimed_by == "gone:1"


def test_three_processes_racing_run_the_scan_once(app) -> None:
    for code in ("DIG-001", "DIG-002"):
        db.session.add(
            Programme(code=code, name=code, directorate="Resources", focus="both", stage="delivery")
        )
    db.session.commit()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret-key",
        "SCHEDULER": "off",
    }
    command = [sys.executable, "-m", "flask", "--app", "app", "scheduler", "run-now", "risk_scan"]

    processes = [
        subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    results = [process.communicate(timeout=120) for process in processes]

    assert [process.returncode for process in processes] == [0, 0, 0], results
    outputs = [stdout for stdout, _ in results]
    assert sum(": done. Scanned 2 programmes" in out for out in outputs) == 1, outputs
    assert sum("already claimed" in out for out in outputs) == 2, outputs
    db.session.expire_all()
    assert db.session.scalar(select(func.count(JobRun.id))) == 1
    assert db.session.scalar(select(func.count(RiskAssessment.id))) == 2

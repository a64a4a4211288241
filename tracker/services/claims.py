"""Period claims: a job run first claims (job, period) with a unique row, so it runs once anywhere."""

from __future__ import annotations

import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.models import JobRun, RunStatus
from tracker.models.types import utcnow

# A run still marked running after this long is taken to have died (killed, host lost).
STALE_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class RunOutcome:
    job: str
    period_key: str
    ran: bool
    succeeded: bool
    summary: str

    def describe(self) -> str:
        if not self.ran:
            return f"{self.job} {self.period_key}: already claimed by another run; nothing done."
        state = "done" if self.succeeded else "FAILED"
        return f"{self.job} {self.period_key}: {state}. {self.summary}".strip()


def claimant() -> str:
    """Who holds a claim: host and process, for people reading the job log."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def claim(job: str, period_key: str, *, now: datetime | None = None) -> bool:
    """Take the period for this process; False if another run has it or has finished it."""
    now = now or utcnow()
    db.session.add(
        JobRun(
            job=job, period_key=period_key, status=RunStatus.RUNNING, claimed_by=claimant(), started_at=now
        )
    )
    try:
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    # The row exists: a failed run, or one that died while running, may be taken over,
    # by exactly one process (the conditional update is atomic).
    takeover = db.session.execute(
        update(JobRun)
        .where(
            JobRun.job == job,
            JobRun.period_key == period_key,
            or_(
                JobRun.status == RunStatus.FAILED,
                and_(JobRun.status == RunStatus.RUNNING, JobRun.started_at < now - STALE_AFTER),
            ),
        )
        .values(status=RunStatus.RUNNING, claimed_by=claimant(), started_at=now, finished_at=None, error="")
    )
    db.session.commit()
    return takeover.rowcount == 1


def finish(job: str, period_key: str, *, succeeded: bool, summary: str = "", error: str = "") -> None:
    """Record how the claimed run ended; a failure stays visible and claimable again."""
    db.session.rollback()
    db.session.execute(
        update(JobRun)
        .where(JobRun.job == job, JobRun.period_key == period_key)
        .values(
            status=RunStatus.SUCCEEDED if succeeded else RunStatus.FAILED,
            finished_at=utcnow(),
            summary=summary[:2000],
            error=error[-4000:],
        )
    )
    db.session.commit()


def run_claimed(job: str, period_key: str, work: Callable[[], str]) -> RunOutcome:
    """Claim the period, do the work, record the outcome; a second caller does nothing."""
    if not claim(job, period_key):
        return RunOutcome(job, period_key, ran=False, succeeded=False, summary="")
    try:
        summary = work()
    except Exception:
        finish(job, period_key, succeeded=False, error=traceback.format_exc())
        return RunOutcome(
            job, period_key, ran=True, succeeded=False, summary="See the job log for the error."
        )
    finish(job, period_key, succeeded=True, summary=summary)
    return RunOutcome(job, period_key, ran=True, succeeded=True, summary=summary)

"""The sign-in log keeps a year of attempts: the daily job deletes older ones, once a day."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from tracker.domain.vocabulary import SignInMethod, SignInResult
from tracker.extensions import db
from tracker.jobs import run_job
from tracker.models import SignInEvent
from tracker.models.types import utcnow
from tracker.services.accounts.sessions import record_sign_in


def attempt(email: str, *, days_ago: int) -> None:
    event = record_sign_in(method=SignInMethod.PASSWORD, result=SignInResult.FAILED, email=email)
    event.at = utcnow() - timedelta(days=days_ago)
    db.session.commit()


def test_the_daily_sweep_deletes_attempts_older_than_a_year_and_keeps_the_rest(app: Flask) -> None:
    attempt("recent@testshire.gov.uk", days_ago=2)
    attempt("last-spring@testshire.gov.uk", days_ago=365)
    attempt("long-ago@testshire.gov.uk", days_ago=400)
    assert run_job("sign_in_log_sweep").ran
    assert set(db.session.scalars(select(SignInEvent.email))) == {
        "recent@testshire.gov.uk",
        "last-spring@testshire.gov.uk",
    }
    assert not run_job("sign_in_log_sweep").ran  # once a day, however many schedulers ask

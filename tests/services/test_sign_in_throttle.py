"""The sign-in throttle under a flood: parallel wrong passwords get no more checks than the limit, and each
wait still doubles. Every guess is a real sign-in on its own connection. It matters most on PostgreSQL,
where the guesses really run at once; on SQLite its one write lock queues them."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Role, SignInThrottle
from tracker.services.accounts.auth import (
    PER_ACCOUNT,
    PER_ADDRESS,
    SignInFailed,
    SignInThrottled,
    authenticate,
)

FLOOD = 60
START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def flood(app: Flask, *, email: str | None, address: str, now: datetime) -> Counter[str]:
    """FLOOD wrong passwords at once, each in its own thread and session: how many were checked.

    `email` None: each guess tries another (unknown) account from the same address."""
    ready = threading.Barrier(FLOOD)

    def guess(number: int) -> str:
        with app.app_context():
            ready.wait()
            try:
                who = email or f"person{number}@testshire.gov.uk"
                authenticate(who, f"wrong guess {number:04d}", address=address, now=now)
            except SignInThrottled:
                return "throttled"
            except SignInFailed:
                return "checked"
            finally:
                db.session.remove()
            return "signed in"

    with ThreadPoolExecutor(FLOOD) as pool:
        return Counter(pool.map(guess, range(FLOOD)))


def stored(key: str) -> SignInThrottle:
    db.session.expire_all()
    return db.session.scalars(select(SignInThrottle).where(SignInThrottle.key == key)).one()


def test_a_flood_at_one_account_checks_only_the_allowed_guesses_and_the_wait_doubles(app, make_user) -> None:
    user = make_user(Role.PROGRAMME_MANAGER)
    # A different address per round, so only the account's limit is in play.
    first = flood(app, email=user.email, address="192.0.2.1", now=START)
    assert first == {"checked": PER_ACCOUNT.free_failures, "throttled": FLOOD - PER_ACCOUNT.free_failures}
    row = stored(f"email:{user.email}")
    assert row.failures == PER_ACCOUNT.free_failures
    assert row.blocked_until == START + PER_ACCOUNT.first_wait

    waits = []
    now = START
    for round_number in range(3):
        now = stored(f"email:{user.email}").blocked_until + timedelta(seconds=1)
        again = flood(app, email=user.email, address=f"192.0.2.{round_number + 2}", now=now)
        assert again == {"checked": 1, "throttled": FLOOD - 1}
        waits.append(stored(f"email:{user.email}").blocked_until - now)
    assert waits == [PER_ACCOUNT.first_wait * 2, PER_ACCOUNT.first_wait * 4, PER_ACCOUNT.first_wait * 8]


def test_a_flood_from_one_address_at_many_accounts_checks_only_the_address_allowance(app) -> None:
    outcomes = flood(app, email=None, address="198.51.100.7", now=START)
    assert outcomes == {"checked": PER_ADDRESS.free_failures, "throttled": FLOOD - PER_ADDRESS.free_failures}
    row = stored("ip:198.51.100.7")
    assert row.failures == PER_ADDRESS.free_failures
    assert row.blocked_until == START + PER_ADDRESS.first_wait

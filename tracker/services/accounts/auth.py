"""Signing in: one answer for unknown email and wrong password, and a growing wait after failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.models import SignInThrottle, User
from tracker.models.types import utcnow
from tracker.services.accounts import users
from tracker.services.errors import ServiceError


@dataclass(frozen=True)
class ThrottlePolicy:
    """Failures allowed before waits start, and how the wait grows."""

    free_failures: int
    first_wait: timedelta
    max_wait: timedelta
    forget_after: timedelta

    def wait_after(self, failures: int) -> timedelta | None:
        """The wait after `failures` in a row: none at first, then doubling to a cap."""
        if failures < self.free_failures:
            return None
        doubled = self.first_wait * (2 ** min(failures - self.free_failures, 16))
        return min(doubled, self.max_wait)


# Per account: five tries, then 30 s, 1 min, 2 min ... up to 15 min. Per address the
# allowance is larger, since an office may share one address.
PER_ACCOUNT = ThrottlePolicy(5, timedelta(seconds=30), timedelta(minutes=15), timedelta(hours=1))
PER_ADDRESS = ThrottlePolicy(20, timedelta(seconds=30), timedelta(minutes=15), timedelta(hours=1))

SIGN_IN_FAILED = "Enter a correct email address and password"


class SignInFailed(ServiceError):
    """Same message whether the email is unknown or the password wrong."""

    def __init__(self) -> None:
        super().__init__(SIGN_IN_FAILED)


class SignInThrottled(ServiceError):
    def __init__(self, retry_after: timedelta) -> None:
        minutes = max(1, -(-int(retry_after.total_seconds()) // 60))
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(f"Too many failed attempts to sign in. Wait {minutes} {unit} and try again.")
        self.retry_after = retry_after


def _keys(email: str, address: str | None) -> list[tuple[str, ThrottlePolicy]]:
    keys = [(f"email:{users.normalise_email(email)}"[:300], PER_ACCOUNT)]
    if address:
        keys.append((f"ip:{address}"[:300], PER_ADDRESS))
    return keys


def authenticate(email: str, password: str, *, address: str | None, now: datetime | None = None) -> User:
    """Return the user for a correct email and password, or raise without saying which was wrong."""
    now = now or utcnow()
    keys = _keys(email, address)
    rows = {
        row.key: row
        for row in db.session.scalars(
            select(SignInThrottle).where(SignInThrottle.key.in_([k for k, _ in keys]))
        )
    }
    waits = [
        row.blocked_until - now for row in rows.values() if row.blocked_until and row.blocked_until > now
    ]
    if waits:
        raise SignInThrottled(max(waits))

    user = users.find_by_email(email)
    if users.password_matches(user, password) and user is not None and user.active:
        account_row = rows.get(keys[0][0])
        if account_row is not None:
            db.session.delete(account_row)
        user.last_sign_in_at = now
        db.session.commit()
        return user

    for key, policy in keys:
        row = rows.get(key)
        if row is None:
            row = SignInThrottle(key=key, failures=0, last_failure_at=now)
            db.session.add(row)
        elif now - row.last_failure_at > policy.forget_after:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        wait = policy.wait_after(row.failures)
        row.blocked_until = now + wait if wait else None
    try:
        db.session.commit()
    except IntegrityError:
        # Another failed attempt for the same key was counted at the same moment; one is enough.
        db.session.rollback()
    raise SignInFailed()


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the id carries a generation, so a password change ends old sessions."""
    user_id, _, generation = session_id.partition(":")
    if not user_id.isdigit() or not generation.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user

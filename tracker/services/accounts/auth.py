"""Signing in: one answer for unknown email and wrong password, and a growing wait after failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tracker.domain.vocabulary import Role, SignInMethod, SignInResult
from tracker.extensions import db
from tracker.models import SignInThrottle, User
from tracker.models.types import utcnow
from tracker.services.accounts import sessions, users
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


def authenticate(
    email: str,
    password: str,
    *,
    address: str | None,
    user_agent: str | None = None,
    method: SignInMethod = SignInMethod.PASSWORD,
    only_emails: frozenset[str] | None = None,
    now: datetime | None = None,
) -> User:
    """Return the user for a correct email and password, or raise without saying which was wrong.

    Every attempt, whatever its result, goes in the sign-in log with its method and address.

    With `only_emails` (password sign-in turned off, LOCAL_SIGN_IN=off), only an active admin named
    there gets in: anyone else gets the same answer as a wrong password, counted in the throttle alike,
    so the page never tells which emails have accounts.

    The throttle's rows for this account and address are locked (PostgreSQL `FOR UPDATE`; SQLite takes
    its one write lock) from the block check until the failure is counted, so parallel guesses queue:
    each sees the count the one before it left, and no more get checked than the limit allows.
    """
    now = now or utcnow()
    keys = _keys(email, address)
    rows = _locked_rows([key for key, _ in keys], now)
    waits = [
        row.blocked_until - now for row in rows.values() if row.blocked_until and row.blocked_until > now
    ]
    if waits:
        db.session.rollback()
        sessions.record_sign_in(
            method=method,
            result=SignInResult.THROTTLED,
            email=users.normalise_email(email),
            reason="Too many failed attempts",
            address=address,
            user_agent=user_agent,
        )
        raise SignInThrottled(max(waits))

    user = users.find_by_email(email)
    matches = users.password_matches(user, password) and user is not None and user.active
    refused = matches and only_emails is not None and not _may_break_glass(user, only_emails)
    if matches and not refused:
        for key, _ in keys:
            row = rows[key]
            if key == keys[0][0] or row.failures == 0:
                db.session.delete(row)
        user.last_sign_in_at = now
        sessions.record_sign_in(
            method=method, result=SignInResult.SIGNED_IN, user=user, address=address, user_agent=user_agent
        )
        return user

    for key, policy in keys:
        _count_failure(rows[key], policy, now)
    sessions.record_sign_in(
        method=method,
        result=SignInResult.REFUSED if refused else SignInResult.FAILED,
        email=users.normalise_email(email),
        user=user,
        reason="Password sign-in is off and this is not a break-glass admin"
        if refused
        else "Unknown email, wrong password or deactivated account",
        address=address,
        user_agent=user_agent,
    )
    raise SignInFailed()


def _may_break_glass(user: User, emails: frozenset[str]) -> bool:
    """An active admin named in BREAK_GLASS_EMAILS."""
    return user.active and user.role is Role.ADMIN and users.normalise_email(user.email) in emails


def _count_failure(row: SignInThrottle, policy: ThrottlePolicy, now: datetime) -> None:
    """One more failure on a throttle row, forgetting old ones, and the wait it now calls for."""
    if row.failures and now - row.last_failure_at > policy.forget_after:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    wait = policy.wait_after(row.failures)
    row.blocked_until = now + wait if wait else None


def check_address(
    address: str | None,
    *,
    method: SignInMethod,
    user_agent: str | None = None,
    now: datetime | None = None,
) -> None:
    """Raise SignInThrottled (and log it) if this address has failed too often, for sign-in paths
    with no email to count against, such as the directory's."""
    if not address:
        return
    now = now or utcnow()
    row = db.session.scalar(select(SignInThrottle).where(SignInThrottle.key == f"ip:{address}"[:300]))
    if row is not None and row.blocked_until is not None and row.blocked_until > now:
        sessions.record_sign_in(
            method=method,
            result=SignInResult.THROTTLED,
            reason="Too many failed attempts from this address",
            address=address,
            user_agent=user_agent,
        )
        raise SignInThrottled(row.blocked_until - now)


def count_address_failure(address: str | None, *, now: datetime | None = None) -> None:
    """Count a failed sign-in against the address alone; the caller commits (with its log entry)."""
    if not address:
        return
    now = now or utcnow()
    key = f"ip:{address}"[:300]
    _count_failure(_locked_rows([key], now)[key], PER_ADDRESS, now)


def _locked_rows(keys: list[str], now: datetime) -> dict[str, SignInThrottle]:
    """The throttle rows for these keys, created if missing, locked until the transaction ends."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(SignInThrottle)
        .values([{"key": key, "failures": 0, "last_failure_at": now} for key in keys])
        .on_conflict_do_nothing(index_elements=["key"])
    )
    locked = select(SignInThrottle).where(SignInThrottle.key.in_(keys)).order_by(SignInThrottle.key)
    found = db.session.scalars(locked.with_for_update().execution_options(populate_existing=True))
    return {row.key: row for row in found}

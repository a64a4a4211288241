"""Server-side sessions: one row per signed-in device, which the person (or an admin) can end.

The session cookie carries only `<id>.<secret>`; the database keeps a hash of the secret, when the
device was last seen, its address and browser, and whether the session has ended. A copied cookie is
therefore worth nothing once its session is ended, by signing out on that device, from the devices
page, or by a reset, a password change or a deactivation, and nothing brings an ended session back.

`revoke_access` is the one place that ends a person's sessions and revokes their API tokens and
calendar links together, so every operation that must cut someone off does it the same way.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager

from tracker.domain.vocabulary import SignInMethod, SignInResult
from tracker.extensions import db
from tracker.models import ApiToken, AuditAction, SignInEvent, User, UserSession
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.accounts.tokens import hash_token
from tracker.services.errors import NotFound

# Writing last-seen on every request would turn each read into a write; a minute is precise enough.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def _idle_limit() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("PERMANENT_SESSION_LIFETIME", 8 * 3600)))


def start(user: User, *, method: SignInMethod, address: str | None, user_agent: str | None) -> str:
    """Open a session for a device and return its key (`<id>.<secret>`), which goes in the cookie.

    The person is not committed separately: the caller's changes (last sign-in time) commit with it."""
    secret = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        secret_hash=hash_token(secret),
        method=method,
        address=(address or "")[:64],
        user_agent=(user_agent or "")[:300],
    )
    db.session.add(row)
    db.session.commit()
    key = f"{row.id}.{secret}"
    user.session_key, user.session_id, user.session_method = key, row.id, method
    return key


def load(key: str | None, *, now: datetime | None = None) -> User | None:
    """The person a session key signs in, or None if it is unknown, ended, idle too long, or theirs is
    deactivated. One query (session and person together); a write at most once a minute."""
    if not key:
        return None
    session_id, _, secret = key.partition(".")
    if not session_id.isdigit() or not secret or len(secret) > 100:
        return None
    row = db.session.scalar(
        select(UserSession)
        .join(UserSession.user)
        .options(contains_eager(UserSession.user))
        .where(UserSession.id == int(session_id))
    )
    if (
        row is None
        or row.ended_at is not None
        or not hmac.compare_digest(row.secret_hash, hash_token(secret))
    ):
        return None
    user = row.user
    if not user.active:
        return None
    now = now or utcnow()
    if now - row.last_seen_at > _idle_limit():
        row.ended_at, row.ended_reason = now, "Idle for too long"
        db.session.commit()
        return None
    if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
        db.session.commit()
    user.session_key, user.session_id, user.session_method = key, row.id, row.method
    return user


def live_sessions(user: User) -> list[UserSession]:
    """A person's signed-in devices, most recently seen first."""
    cutoff = utcnow() - _idle_limit()
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.last_seen_at >= cutoff,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def end(session_id: int, *, reason: str, owner: User | None = None, by: User | None = None) -> UserSession:
    """End one session. With `owner`, only one of theirs (a person ending their own device)."""
    row = db.session.get(UserSession, session_id)
    if row is None or (owner is not None and row.user_id != owner.id):
        raise NotFound("That session does not exist")
    if row.ended_at is None:
        row.ended_at, row.ended_reason = utcnow(), reason[:120]
        if by is not None and by.id != row.user_id:
            audit.record(
                AuditAction.UPDATE,
                row.user,
                user_id=by.id,
                programme_id=None,
                summary=f"Ended a session of {row.user.email} ({reason})"[:300],
            )
        db.session.commit()
    return row


def end_all(user: User, *, by: User, keep_session_id: int | None = None) -> int:
    """End all of a person's sessions (but `keep_session_id`, the device asking): themselves from their
    devices page, or an admin. Their API tokens and calendar links stay. Returns how many ended."""
    mine = by.id == user.id
    revoked = revoke_access(
        user,
        reason="Signed out from another device" if mine else "Ended by an admin",
        keep_session_id=keep_session_id,
        commit=False,
    )
    if not mine:
        audit.record(
            AuditAction.UPDATE,
            user,
            user_id=by.id,
            programme_id=None,
            summary=f"Ended all sessions of {user.email} ({revoked.sessions})"[:300],
        )
    db.session.commit()
    return revoked.sessions


@dataclass(frozen=True)
class Revoked:
    """What `revoke_access` cut off, for the page or log that reports it."""

    sessions: int
    api_tokens: int
    calendar_links: int


def revoke_access(
    user: User,
    *,
    reason: str,
    sessions: bool = True,
    api_tokens: bool = False,
    calendar_links: bool = False,
    keep_session_id: int | None = None,
    commit: bool = True,
) -> Revoked:
    """End a person's sessions (all, or all but `keep_session_id`) and revoke their API tokens and
    calendar links, as the operation asks; what is ended stays ended, whatever happens to the person
    afterwards. Also moves the session generation on, which pages use to spot a reset since loading."""
    now = utcnow()
    ended = tokens = links = 0
    if sessions:
        query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        if keep_session_id is not None:
            query = query.where(UserSession.id != keep_session_id)
        ended = db.session.execute(
            query.values(ended_at=now, ended_reason=reason[:120]).execution_options(synchronize_session=False)
        ).rowcount
        user.session_generation += 1
    purposes = [p for p, wanted in (("api", api_tokens), ("calendar", calendar_links)) if wanted]
    if purposes:
        revoked = db.session.execute(
            select(ApiToken.purpose).where(
                ApiToken.user_id == user.id, ApiToken.purpose.in_(purposes), ApiToken.revoked_at.is_(None)
            )
        ).scalars()
        counted = list(revoked)
        tokens, links = counted.count("api"), counted.count("calendar")
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.purpose.in_(purposes), ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
    if commit:
        db.session.commit()
    return Revoked(sessions=ended, api_tokens=tokens, calendar_links=links)


def record_sign_in(
    *,
    method: SignInMethod,
    result: SignInResult,
    email: str = "",
    user: User | None = None,
    reason: str = "",
    address: str | None = None,
    user_agent: str | None = None,
    commit: bool = True,
) -> SignInEvent:
    """Note one attempt to sign in in the sign-in log, whatever its result."""
    event = SignInEvent(
        user_id=user.id if user is not None else None,
        email=(email or (user.email if user is not None else ""))[:254],
        method=method,
        result=result,
        reason=reason[:300],
        address=(address or "")[:64],
        user_agent=(user_agent or "")[:300],
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    return event

"""Secret tokens for the API and calendar feeds: shown once, kept only as a hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import ApiToken, AuditAction, User
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.errors import Invalid, NotFound

PURPOSES = ("api", "calendar")
PREFIX = {"api": "cpt_", "calendar": "cal_"}
# Writing last-used on every request would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(plaintext: str) -> str:
    """SHA-256 is enough for 256 random bits: nothing to guess, so no need for a slow hash. The one hash
    for every bearer secret: API and calendar tokens, provisioning tokens and session secrets."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


def token_name(name: str) -> str:
    """A token's name as kept (API, calendar or provisioning token), or Invalid saying what is wrong."""
    name = name.strip()
    if not name:
        raise Invalid("Enter a name for the token", field="name")
    if len(name) > 80:
        raise Invalid("Token name must be 80 characters or fewer", field="name")
    return name


def create_token(user: User, *, name: str, purpose: str = "api") -> tuple[ApiToken, str]:
    """Create a token for a user; the plaintext is returned once and never stored."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    name = token_name(name)
    plaintext = PREFIX[purpose] + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, purpose=purpose, token_hash=hash_token(plaintext))
    db.session.add(token)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        token,
        user_id=user.id,
        programme_id=None,
        summary=f'Created {purpose} token "{name}"',
    )
    db.session.commit()
    return token, plaintext


def list_tokens(user: User, *, purpose: str) -> list[ApiToken]:
    """A user's tokens for one purpose, newest first, revoked ones included (marked)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.purpose == purpose)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int, *, purpose: str) -> ApiToken:
    """Revoke one of the user's own tokens; revoking twice is harmless."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.purpose != purpose:
        raise NotFound("Token not found")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            AuditAction.UPDATE,
            token,
            user_id=user.id,
            programme_id=None,
            summary=f'Revoked {purpose} token "{token.name}"',
        )
        db.session.commit()
    return token


def authenticate(plaintext: str | None, *, purpose: str) -> User | None:
    """The active user a live token belongs to, or None; notes when it was last used."""
    if not plaintext or not plaintext.startswith(PREFIX.get(purpose, "\0")) or len(plaintext) > 200:
        return None
    token = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))  # one query for both
        .where(ApiToken.token_hash == hash_token(plaintext), ApiToken.purpose == purpose)
    )
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return token.user

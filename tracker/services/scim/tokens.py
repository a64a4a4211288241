"""The provisioning service's bearer tokens: shown once, kept only as a hash, revocable by an admin."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditAction, ScimToken, User
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.accounts.tokens import hash_token, token_name
from tracker.services.errors import NotFound

PREFIX = "scim_"
# Writing last-used on every request would turn each call into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def create_token(*, name: str, by: User | None = None) -> tuple[ScimToken, str]:
    """Make a token for the provisioning service; the plaintext is returned once and never stored."""
    name = token_name(name)
    plaintext = PREFIX + secrets.token_urlsafe(32)
    token = ScimToken(name=name, token_hash=hash_token(plaintext), created_by_id=by.id if by else None)
    db.session.add(token)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        token,
        user_id=by.id if by else None,
        programme_id=None,
        summary=f'Created provisioning (SCIM) token "{name}"',
    )
    db.session.commit()
    return token, plaintext


def list_tokens() -> list[ScimToken]:
    """Every provisioning token, newest first, revoked ones included."""
    return list(
        db.session.scalars(select(ScimToken).order_by(ScimToken.created_at.desc(), ScimToken.id.desc()))
    )


def get_token(token_id: int) -> ScimToken:
    token = db.session.get(ScimToken, token_id)
    if token is None:
        raise NotFound("That provisioning token does not exist")
    return token


def revoke_token(token_id: int, *, by: User) -> ScimToken:
    """Revoke a token now: the provisioning service's next call with it is refused. Twice is harmless."""
    token = get_token(token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            AuditAction.UPDATE,
            token,
            user_id=by.id,
            programme_id=None,
            summary=f'Revoked provisioning (SCIM) token "{token.name}"',
        )
        db.session.commit()
    return token


def authenticate(plaintext: str | None) -> ScimToken | None:
    """The live token this is, or None; notes when it was last used."""
    if not plaintext or not plaintext.startswith(PREFIX) or len(plaintext) > 200:
        return None
    digest = hash_token(plaintext)
    token = db.session.scalar(select(ScimToken).where(ScimToken.token_hash == digest))
    if token is None or token.revoked_at is not None or not hmac.compare_digest(token.token_hash, digest):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return token

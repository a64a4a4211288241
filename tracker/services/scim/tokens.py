"""The provisioning service's bearer tokens: shown once, kept only as a hash, revocable by an admin."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditAction, ScimToken, User
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.errors import Invalid, NotFound

PREFIX = "scim_"
# Writing last-used on every request would turn each call into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(plaintext: str) -> str:
    """SHA-256 is enough for 256 random bits: nothing to guess, so no need for a slow hash."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_token(*, name: str, by: User | None = None) -> tuple[ScimToken, str]:
    """Make a token for the provisioning service; the plaintext is returned once and never stored."""
    name = name.strip()
    if not name:
        raise Invalid("Enter a name for the token", field="name")
    if len(name) > 80:
        raise Invalid("Token name must be 80 characters or fewer", field="name")
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

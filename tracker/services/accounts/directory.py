"""Signing in through the council's directory (OpenID Connect): from an ID token's checked claims
to a person here, found by issuer and subject, linked by verified email, or created; the role
follows the directory's groups and app roles at every sign-in.

The web layer talks to the provider (through Authlib, which checks the token); this module decides
who the claims stand for and whether they may come in, and logs every attempt.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tracker.domain.directory import DirectoryIdentity, identity_from_claims, role_from_directory
from tracker.domain.vocabulary import ROLE_LABELS, AuditAction, Role, RoleSource, SignInMethod, SignInResult
from tracker.extensions import db
from tracker.models import User
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.accounts import auth, sessions, users
from tracker.services.errors import ServiceError


class DirectoryRefused(ServiceError):
    """The directory vouched for this person, but they may not come in; `reason` goes in the log."""

    def __init__(self, message: str, *, reason: str, admins: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.reason = reason
        self.admins = admins  # whom to ask for access, by name


def _admin_names() -> tuple[str, ...]:
    return tuple(admin.name for admin in users.active_admins())


def sign_in(
    claims: Mapping[str, Any],
    *,
    role_map: Mapping[str, str],
    default_role: str = "",
    address: str | None = None,
    user_agent: str | None = None,
    now: datetime | None = None,
) -> User:
    """The person an ID token's (already checked) claims stand for, with the role the directory gives
    them now; raises DirectoryRefused, logged, for someone who may not come in."""
    identity = identity_from_claims(claims)
    log = {"method": SignInMethod.OIDC, "address": address, "user_agent": user_agent}
    try:
        user = _sign_in(identity, role_map=role_map, default_role=default_role)
    except DirectoryRefused as refusal:
        db.session.rollback()
        sessions.record_sign_in(
            result=SignInResult.REFUSED,
            email=identity.email,
            user=_known(identity),
            reason=refusal.reason,
            **log,
        )
        raise
    user.last_sign_in_at = now or utcnow()
    sessions.record_sign_in(result=SignInResult.SIGNED_IN, user=user, commit=False, **log)
    db.session.commit()
    return user


def record_failure(
    reason: str, *, email: str = "", address: str | None = None, user_agent: str | None = None
) -> None:
    """Log a directory sign-in that failed its checks (a bad token, a lost state, an error from the
    provider), and count it against the address, as a wrong password is."""
    db.session.rollback()
    auth.count_address_failure(address)
    sessions.record_sign_in(
        method=SignInMethod.OIDC,
        result=SignInResult.FAILED,
        email=email,
        reason=reason,
        address=address,
        user_agent=user_agent,
    )


def record_unavailable(reason: str, *, address: str | None = None, user_agent: str | None = None) -> None:
    """Log an attempt the provider could not answer (down, or too slow): not the person's failure,
    so the throttle does not count it."""
    db.session.rollback()
    sessions.record_sign_in(
        method=SignInMethod.OIDC,
        result=SignInResult.FAILED,
        reason=reason,
        address=address,
        user_agent=user_agent,
    )


def _known(identity: DirectoryIdentity) -> User | None:
    """The person already linked to this directory identity, if any."""
    if not identity.issuer or not identity.subject:
        return None
    return db.session.scalar(
        select(User).where(User.oidc_issuer == identity.issuer, User.oidc_subject == identity.subject)
    )


def _directory_role(identity: DirectoryIdentity, role_map: Mapping[str, str], default_role: str):
    """The role and its source the directory gives now, or (None, None) for no access."""
    role = role_from_directory(identity.groups, identity.roles, role_map)
    if role is not None:
        return role, RoleSource.DIRECTORY
    if default_role:
        return Role(default_role), RoleSource.DEFAULT
    return None, None


def _no_access(identity: DirectoryIdentity) -> DirectoryRefused:
    return DirectoryRefused(
        "You do not have access to the tracker",
        reason="In no group or app role that maps to a role here",
        admins=_admin_names(),
    )


def _sign_in(identity: DirectoryIdentity, *, role_map: Mapping[str, str], default_role: str) -> User:
    if not identity.issuer or not identity.subject:
        raise DirectoryRefused(
            "The directory did not say who you are", reason="No issuer or subject in the ID token"
        )
    role, source = _directory_role(identity, role_map, default_role)
    user = _known(identity)
    if user is None:
        user = _link_by_provisioning(identity)
    if user is None:
        user = _link_by_email(identity)
    if user is not None and not user.active:
        raise DirectoryRefused(
            "Your account has been deactivated", reason="Deactivated account", admins=_admin_names()
        )
    if user is None:
        if role is None:
            raise _no_access(identity)
        return _create(identity, role, source)
    if role is None:
        # Group membership pushed by SCIM provisioning stands when the token names no mapped group.
        if user.role_source is RoleSource.PROVISIONING:
            return user
        raise _no_access(identity)
    _follow_directory(user, role, source, name=identity.name)
    return user


def _link_by_provisioning(identity: DirectoryIdentity) -> User | None:
    """An account SCIM provisioning made for this Entra object id (its externalId), not yet linked:
    the directory itself named the person, so no email need be trusted."""
    if not identity.object_id:
        return None
    user = db.session.scalar(
        select(User).where(User.scim_external_id == identity.object_id, User.oidc_subject.is_(None))
    )
    if user is not None:
        _link(user, identity, how="by the object id provisioning gave them")
    return user


def _link(user: User, identity: DirectoryIdentity, *, how: str) -> None:
    user.oidc_issuer, user.oidc_subject = identity.issuer, identity.subject
    audit.record(
        AuditAction.UPDATE,
        user,
        user_id=None,
        programme_id=None,
        summary=f"Linked {user.email} to their directory account {how}",
        changes={"oidc_issuer": (None, identity.issuer), "oidc_subject": (None, identity.subject)},
    )


def _link_by_email(identity: DirectoryIdentity) -> User | None:
    """An existing account with the token's email, linked to this identity only when the provider says
    the email is verified, and only if it is not linked to another identity already."""
    if not identity.email:
        return None
    user = users.find_by_email(identity.email)
    if user is None:
        return None
    if user.oidc_subject:
        raise DirectoryRefused(
            "Your email address belongs to an account linked to someone else in the directory",
            reason="Email matches an account linked to another directory identity",
            admins=_admin_names(),
        )
    if not identity.email_verified:
        raise DirectoryRefused(
            "The directory has not verified your email address",
            reason="Email not verified by the provider; existing account not linked",
            admins=_admin_names(),
        )
    _link(user, identity, how="by their verified email")
    return user


def _create(identity: DirectoryIdentity, role: Role, source: RoleSource) -> User:
    """A new person from the directory: no password here, their role from the directory."""
    if not identity.email:
        raise DirectoryRefused(
            "The directory did not give your email address",
            reason="No email in the ID token for a new account",
            admins=_admin_names(),
        )
    user = User(
        email=identity.email,
        name=identity.name or identity.email,
        role=role,
        role_source=source,
        password_hash="",
        oidc_issuer=identity.issuer,
        oidc_subject=identity.subject,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        user,
        user_id=None,
        programme_id=None,
        summary=f"Created user {user.email} ({ROLE_LABELS[role]}) at their first directory sign-in",
        changes={"email": (None, user.email), "role": (None, role), "role_source": (None, source)},
    )
    return user


def _follow_directory(user: User, role: Role, source: RoleSource, *, name: str = "") -> None:
    """Give the person the role (and the name) the directory gives them now, audited when it changes."""
    changes = audit.apply_changes(user, {"role": role, "role_source": source, "name": name or user.name})
    if "role" in changes or "role_source" in changes:
        before = ROLE_LABELS[changes["role"][0]] if "role" in changes else ROLE_LABELS[role]
        summary = f"Role of {user.email} follows the directory: {before} to {ROLE_LABELS[role]}"
    elif changes:
        summary = f"Name of {user.email} follows the directory: {changes['name'][1]}"
    else:
        return
    audit.record(AuditAction.UPDATE, user, user_id=None, programme_id=None, summary=summary, changes=changes)

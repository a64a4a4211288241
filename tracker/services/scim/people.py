"""People as the provisioning service sees them: create (or link by email), replace, deactivate, find.

Every change is audited as the provisioning service's (no person made it). Deactivating ends every
session and revokes every API token and calendar link at once, as the users page does; reactivating
brings none of them back. Nobody is ever deleted here: the trail of what they did stays."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from tracker.domain.scim import Filter, default_role_of
from tracker.domain.vocabulary import Role, RoleSource
from tracker.extensions import db
from tracker.models import AuditAction, User
from tracker.services import audit
from tracker.services.accounts import sessions
from tracker.services.accounts.users import find_by_email, normalise_email
from tracker.services.errors import Invalid, NotFound
from tracker.services.scim.errors import Uniqueness

BY = "Provisioning service"
LAST_ADMIN = (
    "There must always be at least one active admin: this change would leave none, so nothing was "
    "changed. Make someone else an admin first."
)


@dataclass(frozen=True)
class Person:
    """What a SCIM User resource says of a person, as this tracker keeps it."""

    user_name: str  # their email address (Entra sends the userPrincipalName)
    name: str
    active: bool
    external_id: str | None = None  # None leaves the one already held


def _checked_email(user_name: str) -> str:
    email = normalise_email(user_name)
    local, at, domain = email.partition("@")
    if not local or not at or not domain or any(c.isspace() for c in email) or len(email) > 254:
        raise Invalid(f"userName must be an email address, like name@example.gov.uk, not {user_name[:100]!r}")
    return email


def _external_id_taken(external_id: str | None, *, other_than: int | None) -> bool:
    if not external_id:
        return False
    if len(external_id) > 255:
        raise Invalid("externalId must be 255 characters or fewer")
    query = select(User.id).where(User.scim_external_id == external_id)
    if other_than is not None:
        query = query.where(User.id != other_than)
    return db.session.scalar(query) is not None


def refuse_if_no_admin_left(losing: Collection[int]) -> None:
    """Refuse a change that would take the last active admin's role or access away."""
    if not losing:
        return
    others = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.id.not_in(list(losing)))
    )
    if others == 0:
        raise Invalid(LAST_ADMIN, field="active")


def _filtered(query: Select, found: Filter | None) -> Select:
    if found is None:
        return query
    if found.attribute == "userName":
        return query.where(func.lower(User.email) == normalise_email(found.value))
    if found.attribute == "externalId":
        return query.where(User.scim_external_id == found.value)
    return query.where(User.id == int(found.value)) if found.value.isdigit() else query.where(False)


def list_people(found: Filter | None, *, start: int, count: int) -> tuple[int, list[User]]:
    """People matching the filter (everyone without one), in id order: the total and one page."""
    total = db.session.scalar(_filtered(select(func.count()).select_from(User), found)) or 0
    page = db.session.scalars(_filtered(select(User), found).order_by(User.id).offset(start - 1).limit(count))
    return total, list(page)


def get_person(user_id: str) -> User:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() and len(user_id) < 10 else None
    if user is None:
        raise NotFound(f"There is no user with id {user_id[:40]!r}")
    return user


def create_person(person: Person) -> User:
    """Add someone the directory provisions: no password, the default role until a group push says
    otherwise. An account already here with their email and no directory link is linked, not doubled."""
    email = _checked_email(person.user_name)
    existing = find_by_email(email)
    if existing is not None:
        if existing.scim_external_id is not None:
            raise Uniqueness(f"A user with the userName {email} is already provisioned")
        if _external_id_taken(person.external_id, other_than=existing.id):
            raise Uniqueness(f"Another user already has the externalId {person.external_id!r}")
        return _apply(existing, person, summary=f"{BY} linked the existing user {email}")
    if _external_id_taken(person.external_id, other_than=None):
        raise Uniqueness(f"Another user already has the externalId {person.external_id!r}")
    role = default_role_of(current_app.config.get("OIDC_DEFAULT_ROLE", ""))
    user = User(
        email=email,
        name=person.name,
        role=role,
        password_hash="",
        active=person.active,
        role_source=RoleSource.DEFAULT,
        scim_external_id=person.external_id,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        user,
        user_id=None,
        programme_id=None,
        summary=f"{BY} created user {email} ({role.value})",
        changes={"email": (None, email), "role": (None, role), "active": (None, person.active)},
    )
    _commit(email)
    return user


def replace_person(user_id: str, person: Person) -> User:
    """Make a person what the directory says (PUT, and PATCH once applied): email, name, externalId
    and whether they may sign in."""
    user = get_person(user_id)
    email = _checked_email(person.user_name)
    if email != user.email and find_by_email(email) is not None:
        raise Uniqueness(f"Another user already has the userName {email}")
    if _external_id_taken(person.external_id, other_than=user.id):
        raise Uniqueness(f"Another user already has the externalId {person.external_id!r}")
    return _apply(user, person, email=email, summary=f"{BY} changed user {user.email}")


def deactivate_person(user_id: str) -> User:
    """DELETE from the directory: deactivate and cut off, keeping the person and their trail."""
    user = get_person(user_id)
    person = Person(user_name=user.email, name=user.name, active=False)
    return _apply(user, person, summary=f"{BY} deactivated user {user.email}")


def _apply(user: User, person: Person, *, summary: str, email: str | None = None) -> User:
    """Set what changed, cut off someone deactivated, audit, commit; the last admin stays."""
    if user.active and not person.active and user.role is Role.ADMIN:
        refuse_if_no_admin_left([user.id])
    was_active = user.active
    values: dict[str, object] = {"email": email or user.email, "name": person.name, "active": person.active}
    if person.external_id is not None:
        values["scim_external_id"] = person.external_id
    changes = audit.apply_changes(user, values)
    if was_active and not user.active:
        # Every session, API token and calendar link ends now; reactivating brings none of them back.
        sessions.revoke_access(
            user, reason="Deactivated by the directory", api_tokens=True, calendar_links=True, commit=False
        )
    if changes:
        audit.record(
            AuditAction.UPDATE,
            user,
            user_id=None,
            programme_id=None,
            summary=f"{summary}: {', '.join(sorted(changes))}",
            changes=changes,
        )
        _commit(user.email)
    return user


def _commit(email: str) -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same person or externalId added at the same moment
        db.session.rollback()
        raise Uniqueness(f"A user with the userName {email} or the same externalId already exists") from exc

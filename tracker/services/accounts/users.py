"""Users: creating and editing them, passwords and their rules, and ending their sessions."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.domain.passwords import MIN_LENGTH, password_problem
from tracker.extensions import db
from tracker.models import AuditAction, Role, User
from tracker.services import audit
from tracker.services.accounts import sessions
from tracker.services.accounts.temporary import temporary_password
from tracker.services.errors import Conflict, Invalid, NotFound

MIN_PASSWORD_LENGTH = MIN_LENGTH


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt unless tests choose a faster one)."""
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def password_matches(user: User | None, password: str) -> bool:
    """Check a password; for no user (or one with no password here), spend the same time."""
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(user.password_hash, password)


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY:
        _DUMMY[method] = generate_password_hash("not-a-real-password", method=method)
    return _DUMMY[method]


def check_password_rules(password: str, *, email: str = "", name: str = "", field: str = "password") -> None:
    """NCSC guidance: long enough, not common, not the person's own details; nothing else forced."""
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise Invalid(problem, field=field)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def new_user_problems(
    email: str | None, *, name: str | None, password: str | None
) -> list[tuple[str | None, str]]:
    """Everything that stops this person being added, as (field, message): all of it, so the form can say
    it at once. A form that has already refused a field can leave it out (pass None)."""
    problems: list[tuple[str | None, str]] = []
    if email is not None:
        email = normalise_email(email)
        if (
            "@" not in email
            or email.startswith("@")
            or email.endswith("@")
            or any(c.isspace() for c in email)
        ):
            problems.append(
                ("email", "Enter an email address in the correct format, like name@example.gov.uk")
            )
        elif find_by_email(email) is not None:
            problems.append(("email", f"A user with the email {email} already exists"))
    if name is not None and not name.strip():
        problems.append(("name", "Enter the person's name"))
    if password is not None:
        problem = password_problem(password, email=email or "", name=name or "")
        if problem:
            problems.append(("password", problem))
    return problems


def create_user(
    email: str,
    *,
    name: str,
    role: Role,
    password: str | None,
    created_by_id: int | None = None,
    must_change_password: bool = False,
) -> User:
    """Create a user with a hashed password, or with none (None: they sign in through the directory);
    emails are unique whatever their case."""
    email = normalise_email(email)
    problems = new_user_problems(email, name=name, password=password)
    if problems:
        raise Invalid.every(problems)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password) if password is not None else "",
        must_change_password=must_change_password and password is not None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        user,
        user_id=created_by_id,
        programme_id=None,
        summary=f"Created user {email} ({role.value})",
        changes={"email": (None, email), "role": (None, role)},
    )
    try:
        db.session.commit()
    except IntegrityError as exc:  # someone added the same email at the same moment
        db.session.rollback()
        raise Invalid(f"A user with the email {email} already exists", field="email") from exc
    return user


def list_users() -> list[User]:
    """Everyone, active first, then by name."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), func.lower(User.name), User.id)))


def active_admins() -> list[User]:
    """The people who can add users and reset passwords: whom to ask for help, by name."""
    return list(
        db.session.scalars(
            select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(func.lower(User.name))
        )
    )


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("That user does not exist")
    return user


def _active_admins_other_than(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)
    )


def update_user(user_id: int, *, name: str, role: Role, active: bool, by: User) -> User:
    """Change a person's name, role or whether they may sign in; admins keep at least one admin."""
    user = get_user(user_id)
    if not name.strip():
        raise Invalid("Enter the person's name", field="name")
    if user.id == by.id and role is not Role.ADMIN:
        raise Invalid("You cannot remove your own admin role: ask another admin", field="role")
    if user.id == by.id and not active:
        raise Invalid("You cannot deactivate your own account: ask another admin", field="active")
    losing_admin = user.role is Role.ADMIN and user.active and (role is not Role.ADMIN or not active)
    if losing_admin and _active_admins_other_than(user) == 0:
        field = "role" if role is not Role.ADMIN else "active"
        raise Invalid("There must always be at least one active admin", field=field)
    was_active = user.active
    changes = audit.apply_changes(user, {"name": name.strip(), "role": role, "active": active})
    if was_active and not active:
        # Cut off now, for good: reactivating later brings back no session, token or calendar link.
        sessions.revoke_access(user, reason="Deactivated", api_tokens=True, calendar_links=True, commit=False)
    if changes:
        audit.record(
            AuditAction.UPDATE,
            user,
            user_id=by.id,
            programme_id=None,
            summary=f"Changed user {user.email}: {', '.join(sorted(changes))}",
            changes=changes,
        )
        db.session.commit()
    return user


def force_password_reset(
    user_id: int, *, by: User, expected_generation: int | None = None
) -> tuple[User, str]:
    """Replace someone's password with a one-time temporary one and end their sessions now.

    The old password stops working (it may be forgotten, or known to someone else); the admin passes
    the temporary one on, and the person must choose their own when they sign in with it.
    `expected_generation`: the person's session generation when the admin's page was loaded. A reset
    since then (this very one, sent again by a reload) is refused, so the password shown stands."""
    user = get_user(user_id)
    if user.id == by.id:
        raise Invalid("You cannot force a reset of your own password: change it in your account instead")
    if expected_generation is not None and user.session_generation != expected_generation:
        raise Conflict(
            f"{user.name}'s password was reset, or they were signed out everywhere, after this page was "
            "loaded, so nothing was changed: the temporary password shown then still stands."
        )
    temporary = temporary_password(email=user.email, name=user.name)
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    # A reset is for a password that may be known to someone else: whatever it opened is closed too.
    sessions.revoke_access(
        user, reason="Password reset by an admin", api_tokens=True, calendar_links=True, commit=False
    )
    audit.record(
        AuditAction.UPDATE,
        user,
        user_id=by.id,
        programme_id=None,
        summary=f"Forced a password reset for {user.email}",
        changes={"must_change_password": (False, True), "password": ("(hidden)", "(temporary)")},
    )
    db.session.commit()
    return user, temporary


def end_sessions(user: User, *, reason: str = "Signed out everywhere") -> None:
    """Sign a person out everywhere: a session cookie copied before this no longer signs anyone in."""
    sessions.revoke_access(user, reason=reason)


def change_password(user: User, *, current: str, new: str, keep_session_id: int | None = None) -> User:
    """A person changes their own password: every other session of theirs ends, and their API tokens
    and calendar links are revoked (a password changed for fear it is known may have made them)."""
    if not password_matches(user, current):
        raise Invalid("Your current password is not correct", field="current_password")
    check_password_rules(new, email=user.email, name=user.name, field="new_password")
    if new == current:
        raise Invalid("Your new password must be different from your current password", field="new_password")
    user.password_hash = hash_password(new)
    sessions.revoke_access(
        user,
        reason="Password changed",
        keep_session_id=keep_session_id,
        api_tokens=True,
        calendar_links=True,
        commit=False,
    )
    was_forced = user.must_change_password
    user.must_change_password = False
    audit.record(
        AuditAction.UPDATE,
        user,
        user_id=user.id,
        programme_id=None,
        summary=f"{user.email} changed their password" + (" (reset by an admin)" if was_forced else ""),
        changes={"password": ("(hidden)", "(changed)")},
    )
    db.session.commit()
    return user

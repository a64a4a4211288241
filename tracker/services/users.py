"""Creating users and checking passwords."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.extensions import db
from tracker.models import AuditAction, Role, User
from tracker.services import audit
from tracker.services.errors import Invalid

MIN_PASSWORD_LENGTH = 12


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt unless tests choose a faster one)."""
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def password_matches(user: User | None, password: str) -> bool:
    """Check a password; for no user, spend the same time so timing reveals nothing."""
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(user.password_hash, password)


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY:
        _DUMMY[method] = generate_password_hash("not-a-real-password", method=method)
    return _DUMMY[method]


def check_password_rules(password: str) -> None:
    """NCSC guidance: long enough, nothing else forced."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"Password must be at least {MIN_PASSWORD_LENGTH} characters", field="password")


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(
    email: str, *, name: str, role: Role, password: str, created_by_id: int | None = None
) -> User:
    """Create a user with a hashed password; emails are unique whatever their case."""
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise Invalid("Enter an email address in the correct format, like name@example.gov.uk", field="email")
    if not name.strip():
        raise Invalid("Enter the person's name", field="name")
    check_password_rules(password)
    if find_by_email(email) is not None:
        raise Invalid(f"A user with the email {email} already exists", field="email")
    user = User(email=email, name=name.strip(), role=role, password_hash=hash_password(password))
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
    db.session.commit()
    return user

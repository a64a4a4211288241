"""People who sign in, their API tokens, and the sign-in throttle."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import Role, RoleSource, SignInMethod, SignInResult
from tracker.extensions import db
from tracker.models.base import str_enum
from tracker.models.types import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_user_oidc_identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), nullable=False)
    # Empty for someone who has never had a password here (signed in or provisioned from the directory).
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default="1")
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )
    # Bumped when the password changes, so sessions signed in before then end.
    session_generation: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    digest_opt_out: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
    digest_opt_in: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
    # Someone who gets the whole portfolio's digest may have the board pack (PDF) attached to it.
    digest_pack_pdf: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The directory identity this person signs in with: issuer and subject (for Entra ID, the tenant and
    # object ids), never the email alone. Both empty for a local account not yet linked.
    oidc_issuer: Mapped[str | None] = mapped_column(String(255))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    # Where the role came from: set here by an admin, the directory's groups at sign-in, the default role
    # for someone in no mapped group, or group membership pushed by SCIM provisioning.
    role_source: Mapped[RoleSource] = mapped_column(
        str_enum(RoleSource, "role_source"), nullable=False, default=RoleSource.LOCAL, server_default="local"
    )
    # SCIM provisioning: the directory's own id for this person (Entra's externalId), if provisioned.
    scim_external_id: Mapped[str | None] = mapped_column(String(255), unique=True)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    # The key of the server-side session this request is signed in with (see services.accounts.sessions),
    # set when the session is started or loaded; Flask-Login keeps it in the cookie as the user id.
    # (Plain attributes, not columns: set per request on the loaded object.)
    session_key = None
    session_id = None
    session_method = None  # how this device signed in (SignInMethod)

    def get_id(self) -> str | None:
        """The session's key, not the person's id: the cookie names one server-side session."""
        return self.session_key

    # UserMixin compares people by get_id(), which is the session key: two people loaded outside any
    # session would compare equal. The identity map gives one object per row, so identity is right.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the API or calendar feed; only its hash is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    purpose: Mapped[str] = mapped_column(String(16), nullable=False, default="api", server_default="api")
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class SignInThrottle(db.Model):
    """Failed sign-ins counted per key ('email:...' or 'ip:...'), to slow guessing down."""

    __tablename__ = "sign_in_throttle"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), nullable=False)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserSession(db.Model):
    """One signed-in device: the cookie holds its id and a secret, of which only a hash is kept here.

    Ending it (signing out on that device, or ending it from the devices page, or a reset, a password
    change or a deactivation) sets `ended_at`; a cookie naming an ended session signs nobody in."""

    __tablename__ = "user_session"
    __table_args__ = (Index("ix_user_session_user_ended", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    method: Mapped[SignInMethod] = mapped_column(str_enum(SignInMethod, "sign_in_method"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    address: Mapped[str] = mapped_column(String(64), nullable=False, default="", server_default="")
    user_agent: Mapped[str] = mapped_column(String(300), nullable=False, default="", server_default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(120))

    user: Mapped[User] = relationship()


class SignInEvent(db.Model):
    """Every attempt to sign in, whatever its method and result: the admins' sign-in log."""

    __tablename__ = "sign_in_event"
    __table_args__ = (Index("ix_sign_in_event_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # As given (password) or as the directory said (OpenID Connect); may name nobody we know.
    email: Mapped[str] = mapped_column(String(254), nullable=False, default="", server_default="")
    method: Mapped[SignInMethod] = mapped_column(str_enum(SignInMethod, "sign_in_method"), nullable=False)
    result: Mapped[SignInResult] = mapped_column(str_enum(SignInResult, "sign_in_result"), nullable=False)
    reason: Mapped[str] = mapped_column(String(300), nullable=False, default="", server_default="")
    address: Mapped[str] = mapped_column(String(64), nullable=False, default="", server_default="")
    user_agent: Mapped[str] = mapped_column(String(300), nullable=False, default="", server_default="")

    user: Mapped[User | None] = relationship()


class ScimToken(db.Model):
    """The bearer token the directory's provisioning service (Entra ID) calls /scim/v2 with; hash only."""

    __tablename__ = "scim_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

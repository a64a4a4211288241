"""Groups the directory's provisioning service pushes (SCIM), and who is in them: what roles follow."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.types import UTCDateTime, utcnow
from tracker.models.users import User


class ScimGroup(db.Model):
    """A directory group as Entra pushes it; OIDC_ROLE_MAP names it by externalId or displayName."""

    __tablename__ = "scim_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(255), nullable=False)
    # The directory's own id for the group (Entra's objectId), if sent.
    external_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    members: Mapped[list[User]] = relationship(secondary="scim_group_member", order_by="User.id")


class ScimGroupMember(db.Model):
    """One person in one pushed group."""

    __tablename__ = "scim_group_member"

    group_id: Mapped[int] = mapped_column(ForeignKey("scim_group.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )

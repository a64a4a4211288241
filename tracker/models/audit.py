"""The audit trail: every change with who, when, and the before and after values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import AuditAction
from tracker.extensions import db
from tracker.models.base import str_enum
from tracker.models.types import UTCDateTime, utcnow
from tracker.models.users import User


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_programme_at", "programme_id", "at"),
        Index("ix_audit_event_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, "action"), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[int | None] = mapped_column(Integer)
    # Not a foreign key: the trail outlives what it describes.
    programme_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(300), nullable=False, default="", server_default="")
    # {"field": [before, after], ...} as display strings.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)

    user: Mapped[User | None] = relationship()

"""Lessons learned: what a programme would repeat or do differently, kept for the programmes after it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import LessonKind
from tracker.extensions import db
from tracker.models.base import Tracked, str_enum
from tracker.models.types import UTCDateTime, utcnow
from tracker.models.users import User


class Lesson(Tracked, db.Model):
    __tablename__ = "lesson"
    __table_args__ = (Index("ix_lesson_programme", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[LessonKind] = mapped_column(str_enum(LessonKind, "kind"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    what_happened: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    recommendation: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

"""Scheduled job period claims, digest deliveries and admin-editable settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import DeliveryStatus, RunStatus
from tracker.extensions import db
from tracker.models.base import str_enum
from tracker.models.types import UTCDateTime, utcnow
from tracker.models.users import User


class JobRun(db.Model):
    """The claim a job run makes on its period: unique, so a period runs once anywhere."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60), nullable=False)
    period_key: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus, "status"), nullable=False)
    claimed_by: Mapped[str] = mapped_column(String(120), nullable=False, default="", server_default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    error: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")


class DigestDelivery(db.Model):
    """One weekly digest for one recipient: what was built, and whether it went."""

    __tablename__ = "digest_delivery"
    __table_args__ = (
        UniqueConstraint("user_id", "iso_week"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_digest_delivery_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    iso_week: Mapped[str] = mapped_column(String(8), nullable=False)
    recipient: Mapped[str] = mapped_column(String(254), nullable=False)
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus, "status"), nullable=False, default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    subject: Mapped[str] = mapped_column(String(300), nullable=False, default="", server_default="")
    html_body: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    text_body: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    last_error: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class Setting(db.Model):
    """An admin-editable setting (risk thresholds and the like), as JSON."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

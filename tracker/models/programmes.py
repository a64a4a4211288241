"""The programme aggregate root, its team, and its highlight reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import Confidence, ConfidenceSource, Focus, Rag, Stage
from tracker.extensions import db
from tracker.models.base import Tracked, str_enum
from tracker.models.types import Money, UTCDateTime, utcnow
from tracker.models.users import User


class Programme(Tracked, db.Model):
    __tablename__ = "programme"
    __table_args__ = (
        CheckConstraint(
            "baseline_end_date IS NULL OR start_date IS NULL OR baseline_end_date >= start_date",
            name="baseline_after_start",
        ),
        Index("ix_programme_directorate_stage", "directorate", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    directorate: Mapped[str] = mapped_column(String(120), nullable=False)
    strategic_objective: Mapped[str] = mapped_column(
        String(300), nullable=False, default="", server_default=""
    )
    focus: Mapped[Focus] = mapped_column(str_enum(Focus, "focus"), nullable=False)
    sro_name: Mapped[str] = mapped_column(String(120), nullable=False, default="", server_default="")
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    stage: Mapped[Stage] = mapped_column(str_enum(Stage, "stage"), nullable=False, default=Stage.IDEA)
    # The programme's stage in the council's stage model (e.g. "outline_business_case"), which counts as
    # `stage`; None until the first gate decision, read then as the model's first stage of `stage`.
    model_stage: Mapped[str | None] = mapped_column(String(40))
    # When the current stage's gate is planned; past it, the programme is flagged.
    planned_gate_date: Mapped[date | None] = mapped_column(Date)
    paused: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
    start_date: Mapped[date | None] = mapped_column(Date)
    baseline_end_date: Mapped[date | None] = mapped_column(Date)
    forecast_end_date: Mapped[date | None] = mapped_column(Date)
    # Delivery confidence on the IPA's five-point scale, who assessed it and when.
    confidence: Mapped[Confidence | None] = mapped_column(str_enum(Confidence, "confidence"))
    confidence_source: Mapped[ConfidenceSource | None] = mapped_column(
        str_enum(ConfidenceSource, "confidence_source")
    )
    confidence_assessed_on: Mapped[date | None] = mapped_column(Date)
    # Whole-life cost: the approved baseline and the current forecast; either may be unknown (NULL).
    whole_life_baseline: Mapped[Decimal | None] = mapped_column(Money)
    whole_life_forecast: Mapped[Decimal | None] = mapped_column(Money)
    # A return's own project number (e.g. `MOD_0106_1617-Q1`), kept as published.
    external_reference: Mapped[str | None] = mapped_column(String(64), index=True)
    confidence_commentary: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    change_plan: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    adoption_owner: Mapped[str] = mapped_column(String(120), nullable=False, default="", server_default="")
    # When the programme last reported anything (a status update or a milestone, money or
    # benefit change); the stale rule reads it.
    last_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])
    members: Mapped[list[ProgrammeMember]] = relationship(
        back_populates="programme", cascade="all, delete-orphan"
    )

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED

    @property
    def member_ids(self) -> frozenset[int]:
        """User ids of the team (the policy module asks for these)."""
        return frozenset(member.user_id for member in self.members)

    def __repr__(self) -> str:
        return f"<Programme {self.code}>"


class ProgrammeMember(db.Model):
    """A user on a programme's team: they may edit it like its manager."""

    __tablename__ = "programme_member"
    __table_args__ = (UniqueConstraint("programme_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role_title: Mapped[str] = mapped_column(String(120), nullable=False, default="", server_default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class StatusUpdate(Tracked, db.Model):
    """A highlight report for a period; frozen once submitted."""

    __tablename__ = "status_update"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_order"),
        Index("ix_status_update_programme_period", "programme_id", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    overall: Mapped[Rag] = mapped_column(str_enum(Rag, "overall"), nullable=False)
    schedule: Mapped[Rag] = mapped_column(str_enum(Rag, "schedule"), nullable=False)
    cost: Mapped[Rag] = mapped_column(str_enum(Rag, "cost"), nullable=False)
    benefits: Mapped[Rag] = mapped_column(str_enum(Rag, "benefits"), nullable=False)
    resources: Mapped[Rag] = mapped_column(str_enum(Rag, "resources"), nullable=False)
    narrative: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

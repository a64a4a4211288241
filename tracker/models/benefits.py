"""Benefit profiles with their planned trajectory and recorded measurements."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import BenefitStatus, BenefitType, Direction
from tracker.extensions import db
from tracker.models.base import Tracked, str_enum
from tracker.models.types import Measure, UTCDateTime, utcnow
from tracker.models.users import User


class Benefit(Tracked, db.Model):
    __tablename__ = "benefit"
    __table_args__ = (Index("ix_benefit_programme", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    benefit_type: Mapped[BenefitType] = mapped_column(str_enum(BenefitType, "benefit_type"), nullable=False)
    measure: Mapped[str] = mapped_column(String(200), nullable=False, default="", server_default="")
    unit: Mapped[str] = mapped_column(String(40), nullable=False, default="", server_default="")
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "direction"), nullable=False)
    # True when the measure shows the service adopting the change (not just IT going live).
    adoption_measure: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
    baseline_value: Mapped[Decimal | None] = mapped_column(Measure)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    target_value: Mapped[Decimal | None] = mapped_column(Measure)
    target_date: Mapped[date | None] = mapped_column(Date)
    # The owner sits in the service that must realise the benefit, not in the programme.
    owner: Mapped[str] = mapped_column(String(120), nullable=False, default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    # Tracking until realised or written off; a closed programme's tracking benefits stay in the
    # savings, the benefits rules and the digest.
    status: Mapped[BenefitStatus] = mapped_column(
        str_enum(BenefitStatus, "benefit_status"),
        nullable=False,
        default=BenefitStatus.TRACKING,
        server_default=BenefitStatus.TRACKING.value,
    )
    status_reason: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    # When the programme handed the benefit to its owner in the service (the closure gate asks for it).
    handed_over_on: Mapped[date | None] = mapped_column(Date)

    trajectory: Mapped[list[TrajectoryPoint]] = relationship(
        back_populates="benefit", cascade="all, delete-orphan", order_by="TrajectoryPoint.on_date"
    )
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="benefit", cascade="all, delete-orphan", order_by="Measurement.on_date"
    )


class TrajectoryPoint(db.Model):
    """A planned value of a benefit at a date."""

    __tablename__ = "trajectory_point"
    __table_args__ = (UniqueConstraint("benefit_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    benefit_id: Mapped[int] = mapped_column(ForeignKey("benefit.id", ondelete="CASCADE"), nullable=False)
    on_date: Mapped[date] = mapped_column(Date, nullable=False)
    value: Mapped[Decimal] = mapped_column(Measure, nullable=False)

    benefit: Mapped[Benefit] = relationship(back_populates="trajectory")


class Measurement(db.Model):
    """An actual value of a benefit, measured on a date, and who recorded it."""

    __tablename__ = "measurement"
    __table_args__ = (Index("ix_measurement_benefit_on", "benefit_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    benefit_id: Mapped[int] = mapped_column(ForeignKey("benefit.id", ondelete="CASCADE"), nullable=False)
    on_date: Mapped[date] = mapped_column(Date, nullable=False)
    value: Mapped[Decimal] = mapped_column(Measure, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    benefit: Mapped[Benefit] = relationship(back_populates="measurements")
    recorded_by: Mapped[User | None] = relationship()

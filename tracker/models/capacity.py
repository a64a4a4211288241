"""Capacity to change: the service teams that absorb programmes' business change, and the change days each
milestone lands on them."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import Tracked
from tracker.models.milestones import Milestone

ChangeDays = Numeric(7, 1)
"""Change days: staff days a team gives to training, testing and new ways of working; tenths allowed."""


class ServiceTeam(Tracked, db.Model):
    """A service team in a directorate, with the change days it can give in a month (None: not yet set,
    shown as unknown and never counted as over capacity)."""

    __tablename__ = "service_team"
    __table_args__ = (
        UniqueConstraint("name", name="uq_service_team_name"),
        CheckConstraint("monthly_capacity IS NULL OR monthly_capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    directorate: Mapped[str] = mapped_column(String(120), nullable=False)
    monthly_capacity: Mapped[Decimal | None] = mapped_column(ChangeDays)


class MilestoneTeamLoad(db.Model):
    """The change days one milestone lands on one team, in the month the milestone lands."""

    __tablename__ = "milestone_team_load"
    __table_args__ = (
        UniqueConstraint("milestone_id", "team_id", name="uq_milestone_team_load"),
        CheckConstraint("change_days > 0", name="change_days_positive"),
        Index("ix_milestone_team_load_team", "team_id", "milestone_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), nullable=False)
    team_id: Mapped[int] = mapped_column(ForeignKey("service_team.id", ondelete="CASCADE"), nullable=False)
    change_days: Mapped[Decimal] = mapped_column(ChangeDays, nullable=False)

    milestone: Mapped[Milestone] = relationship()
    team: Mapped[ServiceTeam] = relationship()

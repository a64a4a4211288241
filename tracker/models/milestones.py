"""Milestones, their change history, and re-baseline requests awaiting a CIO."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import ChangeKind, MilestoneKind, MilestoneStatus, RequestStatus
from tracker.extensions import db
from tracker.models.base import Tracked, str_enum
from tracker.models.types import UTCDateTime, utcnow
from tracker.models.users import User

OPEN_CONDITION = "status NOT IN ('complete', 'cancelled') AND actual_date IS NULL"
"""A milestone neither done nor cancelled, in SQL, as portfolio.definitions.milestone_open says it."""


class Milestone(Tracked, db.Model):
    __tablename__ = "milestone"
    __table_args__ = (
        Index("ix_milestone_programme_baseline", "programme_id", "baseline_date"),
        # The portfolio's overdue and upcoming milestones: a range of baseline dates, whose open ones (no
        # actual date, not cancelled) are counted from the index alone. Led by the date, not by actual_date:
        # led by actual_date, SQLite chose it for the programmes list's next milestone and then scanned the
        # result once per programme (18 ms to 210 ms at 1,000 programmes).
        Index("ix_milestone_open_by_baseline", "baseline_date", "actual_date", "status", "programme_id"),
        # The same, on PostgreSQL: a partial index of the open milestones alone. Its planner cannot tell
        # that "past its baseline" and "not done" rarely go together, so it scanned the table for the
        # overdue count (20 ms at 10,000 programmes; 6 ms reading this index whole). Led by the programme,
        # so that the list's next milestones of one page's programmes read only theirs (led by the date,
        # it read all 76,000 entries for them). SQLite, whose query binds the statuses as parameters,
        # cannot prove the condition and keeps to the index above.
        Index(
            "ix_milestone_open_baseline_pg",
            "programme_id",
            "baseline_date",
            postgresql_where=text(OPEN_CONDITION),
        ).ddl_if(dialect="postgresql"),
        CheckConstraint("status <> 'complete' OR actual_date IS NOT NULL", name="complete_has_actual"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[MilestoneKind] = mapped_column(str_enum(MilestoneKind, "kind"), nullable=False)
    critical: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
    owner: Mapped[str] = mapped_column(String(120), nullable=False, default="", server_default="")
    original_baseline_date: Mapped[date] = mapped_column(Date, nullable=False)
    # The latest approved baseline; only an approved re-baseline request moves it.
    baseline_date: Mapped[date] = mapped_column(Date, nullable=False)
    forecast_date: Mapped[date | None] = mapped_column(Date)
    actual_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[MilestoneStatus] = mapped_column(
        str_enum(MilestoneStatus, "status"), nullable=False, default=MilestoneStatus.NOT_STARTED
    )

    changes: Mapped[list[MilestoneChange]] = relationship(
        back_populates="milestone", cascade="all, delete-orphan", order_by="MilestoneChange.changed_at"
    )

    @property
    def variance_days(self) -> int | None:
        """Days late (positive) or early against the latest approved baseline."""
        moved = self.actual_date or self.forecast_date
        return None if moved is None else (moved - self.baseline_date).days


class MilestoneChange(db.Model):
    """One entry of a milestone's history: who moved what, from what, to what, and why."""

    __tablename__ = "milestone_change"
    __table_args__ = (Index("ix_milestone_change_milestone_at", "milestone_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[ChangeKind] = mapped_column(str_enum(ChangeKind, "kind"), nullable=False)
    from_value: Mapped[str | None] = mapped_column(String(40))
    to_value: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    milestone: Mapped[Milestone] = relationship(back_populates="changes")
    changed_by: Mapped[User | None] = relationship()


class RebaselineRequest(db.Model):
    """A programme manager's request to move a milestone's approved baseline."""

    __tablename__ = "rebaseline_request"
    __table_args__ = (Index("ix_rebaseline_request_status", "status", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # The latest approved baseline when asked, so a decided request still says what it moved from.
    from_date: Mapped[date | None] = mapped_column(Date)
    proposed_date: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus, "status"), nullable=False, default=RequestStatus.PENDING
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")

    milestone: Mapped[Milestone] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

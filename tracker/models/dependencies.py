"""Dependencies between programmes: a milestone that cannot land until a milestone of another programme
has, and the date it is needed by."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import Tracked
from tracker.models.milestones import Milestone


class MilestoneDependency(Tracked, db.Model):
    """`milestone` waits for `depends_on` (a milestone of another programme), needed by `needed_by`.

    That the two belong to different programmes, and that no loop of dependencies forms, the service
    checks (`services.dependencies.records`): neither is a rule one row can hold."""

    __tablename__ = "milestone_dependency"
    __table_args__ = (
        UniqueConstraint("milestone_id", "depends_on_id", name="uq_milestone_dependency"),
        CheckConstraint("milestone_id <> depends_on_id", name="not_itself"),
        # Who waits on a programme's milestones: its "Holding up" list and the re-rating after its edits.
        Index("ix_milestone_dependency_depends_on", "depends_on_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), nullable=False)
    depends_on_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), nullable=False)
    needed_by: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")

    milestone: Mapped[Milestone] = relationship(foreign_keys=[milestone_id])
    depends_on: Mapped[Milestone] = relationship(foreign_keys=[depends_on_id])

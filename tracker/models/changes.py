"""Change requests: a programme manager's proposal to change scope, time, cost or benefits, decided by a
CIO in the same queue as milestone re-baselines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import ChangeRequestKind, ChangeRequestStatus
from tracker.extensions import db
from tracker.models.base import Tracked, str_enum
from tracker.models.benefits import Benefit
from tracker.models.programmes import Programme
from tracker.models.types import Measure, Money, UTCDateTime, utcnow
from tracker.models.users import User


class ChangeRequest(Tracked, db.Model):
    """What a request would move is kept beside what each baseline was when asked (`from_*`), so a
    decided request still says what it moved from, and approval can tell a baseline moved meanwhile."""

    __tablename__ = "change_request"
    __table_args__ = (
        Index("ix_change_request_programme", "programme_id", "status"),
        Index("ix_change_request_status", "status", "requested_at"),
        CheckConstraint(
            "proposed_whole_life_baseline IS NULL OR proposed_whole_life_baseline >= 0",
            name="cost_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[ChangeRequestKind] = mapped_column(str_enum(ChangeRequestKind, "kind"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    impact: Mapped[str] = mapped_column(Text, nullable=False)
    # Time: the programme's baseline end date.
    from_end_date: Mapped[date | None] = mapped_column(Date)
    proposed_end_date: Mapped[date | None] = mapped_column(Date)
    # Cost: the programme's approved whole-life cost baseline.
    from_whole_life_baseline: Mapped[Decimal | None] = mapped_column(Money)
    proposed_whole_life_baseline: Mapped[Decimal | None] = mapped_column(Money)
    # Benefits: one of the programme's benefits, its target value and/or target date.
    benefit_id: Mapped[int | None] = mapped_column(ForeignKey("benefit.id", ondelete="SET NULL"), index=True)
    from_target_value: Mapped[Decimal | None] = mapped_column(Measure)
    proposed_target_value: Mapped[Decimal | None] = mapped_column(Measure)
    from_target_date: Mapped[date | None] = mapped_column(Date)
    proposed_target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ChangeRequestStatus] = mapped_column(
        str_enum(ChangeRequestStatus, "status"), nullable=False, default=ChangeRequestStatus.PENDING
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")

    programme: Mapped[Programme] = relationship()
    benefit: Mapped[Benefit | None] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

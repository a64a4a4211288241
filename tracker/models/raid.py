"""A programme's actions and decisions, the A and D of its RAID register beside the risks and issues."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import ActionStatus, DecisionStatus
from tracker.extensions import db
from tracker.models.base import Tracked, str_enum
from tracker.models.register import RegisterEntry


class ProgrammeAction(Tracked, db.Model):
    """Something someone must do by a date, perhaps in answer to a risk or an issue."""

    __tablename__ = "programme_action"
    __table_args__ = (Index("ix_programme_action_programme_status", "programme_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    owner: Mapped[str] = mapped_column(String(120), nullable=False, default="", server_default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, "status"), nullable=False, default=ActionStatus.OPEN
    )
    done_on: Mapped[date | None] = mapped_column(Date)
    # The risk or issue the action answers; deleting the entry leaves the action standing.
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entry.id", ondelete="SET NULL"))

    entry: Mapped[RegisterEntry | None] = relationship()


class Decision(Tracked, db.Model):
    """What was decided, why, by whom (a person or a board) and when."""

    __tablename__ = "decision"
    __table_args__ = (Index("ix_decision_programme", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    """What was decided and why."""
    decided_by: Mapped[str] = mapped_column(String(120), nullable=False, default="", server_default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[DecisionStatus] = mapped_column(
        str_enum(DecisionStatus, "status"), nullable=False, default=DecisionStatus.MADE
    )

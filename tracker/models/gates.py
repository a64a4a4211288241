"""Gate decisions: a programme asks to leave its stage, with its checklist; an approver decides."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import GateStatus
from tracker.extensions import db
from tracker.models.base import Tracked, str_enum
from tracker.models.programmes import Programme
from tracker.models.types import UTCDateTime, utcnow
from tracker.models.users import User


class GateRequest(Tracked, db.Model):
    """One request for a gate decision, kept as it stood: the gate's and stages' names, the checklist
    and the answers, even if the council later edits its stage model."""

    __tablename__ = "gate_request"
    __table_args__ = (
        Index("ix_gate_request_programme", "programme_id", "requested_at"),
        Index("ix_gate_request_status", "status", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    gate_key: Mapped[str] = mapped_column(String(40), nullable=False)
    gate_name: Mapped[str] = mapped_column(String(120), nullable=False)
    from_stage: Mapped[str] = mapped_column(String(40), nullable=False)
    from_stage_name: Mapped[str] = mapped_column(String(120), nullable=False)
    to_stage: Mapped[str] = mapped_column(String(40), nullable=False)
    to_stage_name: Mapped[str] = mapped_column(String(120), nullable=False)
    approver_role: Mapped[str] = mapped_column(String(32), nullable=False)
    # [{"item": "...", "met": true, "note": "..."}, ...] as answered.
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    status: Mapped[GateStatus] = mapped_column(
        str_enum(GateStatus, "status"), nullable=False, default=GateStatus.PENDING
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    conditions: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    decision_note: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")

    programme: Mapped[Programme] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status is GateStatus.PENDING

"""Risk assessments written by the scan and by every change to a programme: rating, score, the flags
behind them, and what set them off."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.domain.vocabulary import Rag, Trend
from tracker.extensions import db
from tracker.models.base import str_enum
from tracker.models.types import UTCDateTime, utcnow


class RiskAssessment(db.Model):
    __tablename__ = "risk_assessment"
    __table_args__ = (Index("ix_risk_assessment_programme_at", "programme_id", "assessed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    rating: Mapped[Rag] = mapped_column(str_enum(Rag, "rating"), nullable=False)
    score: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Compared with the programme's latest assessment from before today (London), so all of a day's
    # re-ratings after edits share one base; the 06:00 scan, the day's first, compares with the same.
    trend: Mapped[Trend] = mapped_column(str_enum(Trend, "trend"), nullable=False)
    # Each flag: {"rule", "severity", "message", "evidence": {...}, "subject": {"kind", "id"} | None}
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    # Newest assessment of its programme; kept so pages can join one row per programme.
    is_latest: Mapped[bool] = mapped_column(default=True, server_default="1", index=True)
    # What set it off: "scan", or the kind of change ("milestone", "money", ...); NULL before we kept it.
    trigger: Mapped[str | None] = mapped_column(String(32))
    triggered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

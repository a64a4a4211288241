"""Returns: a programme's reported figures as at a date, imported or entered; successive ones are history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.domain.vocabulary import Confidence, ConfidenceSource
from tracker.extensions import db
from tracker.models.base import str_enum
from tracker.models.types import Money, UTCDateTime, utcnow


class ProgrammeReturn(db.Model):
    """What a programme reported as at one date: one row per programme per date, every figure optional."""

    __tablename__ = "programme_return"
    __table_args__ = (UniqueConstraint("programme_id", "as_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), nullable=False, index=True
    )
    as_at: Mapped[date] = mapped_column(Date, nullable=False)
    # Where the figures came from: "import" (with the file name in `note`) or "form".
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="form", server_default="form")
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="", server_default="")
    confidence: Mapped[Confidence | None] = mapped_column(str_enum(Confidence, "return_confidence"))
    confidence_source: Mapped[ConfidenceSource | None] = mapped_column(
        str_enum(ConfidenceSource, "return_confidence_source")
    )
    whole_life_baseline: Mapped[Decimal | None] = mapped_column(Money)
    whole_life_forecast: Mapped[Decimal | None] = mapped_column(Money)
    # The year's budget and forecast, for the UK financial year starting in `financial_year`.
    financial_year: Mapped[int | None] = mapped_column(Integer)
    year_budget: Mapped[Decimal | None] = mapped_column(Money)
    year_forecast: Mapped[Decimal | None] = mapped_column(Money)
    end_date: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

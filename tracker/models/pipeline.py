"""The prioritised pipeline: each idea's and business case's scores on the council's criteria, and the
scenarios (which pipeline programmes to take on next year) a CIO saves for the management team."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import Tracked
from tracker.models.programmes import Programme
from tracker.models.types import Money, UTCDateTime, utcnow
from tracker.models.users import User


class PipelineScore(Tracked, db.Model):
    """One programme's score, 0 to 5 (5 always best for the council), on one criterion. A criterion with
    no row is not scored: unknown, never 0."""

    __tablename__ = "pipeline_score"
    __table_args__ = (
        UniqueConstraint("programme_id", "criterion", name="uq_pipeline_score_programme_criterion"),
        CheckConstraint("score BETWEEN 0 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    criterion: Mapped[str] = mapped_column(String(32), nullable=False)
    score: Mapped[int] = mapped_column(Integer, nullable=False)


class PipelineScenario(db.Model):
    """A saved choice of pipeline programmes for a financial year, with the envelope as it was then. At
    most one is the chosen one, shown to the management team and in the board pack."""

    __tablename__ = "pipeline_scenario"
    __table_args__ = (CheckConstraint("financial_year BETWEEN 1990 AND 2100", name="financial_year_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    # The year the UK financial year starts: 2027 means 2027/28.
    financial_year: Mapped[int] = mapped_column(Integer, nullable=False)
    envelope: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    chosen: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")

    saved_by: Mapped[User | None] = relationship()
    programmes: Mapped[list[PipelineScenarioProgramme]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", passive_deletes=True
    )


class PipelineScenarioProgramme(db.Model):
    """A programme a scenario ticks in."""

    __tablename__ = "pipeline_scenario_programme"
    __table_args__ = (UniqueConstraint("scenario_id", "programme_id", name="uq_pipeline_scenario_programme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("pipeline_scenario.id", ondelete="CASCADE"), nullable=False
    )
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)

    scenario: Mapped[PipelineScenario] = relationship(back_populates="programmes")
    programme: Mapped[Programme] = relationship()

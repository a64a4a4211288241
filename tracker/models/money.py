"""Investment (cost) lines of a programme, per UK financial year."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.domain.money import forecast_variance, funding_gap
from tracker.domain.vocabulary import CostType, InvestmentCategory, Recurrence
from tracker.extensions import db
from tracker.models.base import Tracked, str_enum
from tracker.models.types import Money


class Investment(Tracked, db.Model):
    __tablename__ = "investment"
    __table_args__ = (
        CheckConstraint("requested >= 0", name="requested_not_negative"),
        CheckConstraint("approved >= 0", name="approved_not_negative"),
        CheckConstraint("forecast >= 0", name="forecast_not_negative"),
        CheckConstraint("actual >= 0", name="actual_not_negative"),
        CheckConstraint("financial_year BETWEEN 1990 AND 2100", name="financial_year_range"),
        Index("ix_investment_programme_year", "programme_id", "financial_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    cost_type: Mapped[CostType] = mapped_column(str_enum(CostType, "cost_type"), nullable=False)
    recurrence: Mapped[Recurrence] = mapped_column(str_enum(Recurrence, "recurrence"), nullable=False)
    # The year the UK financial year starts: 2026 means 2026/27 (1 April 2026 to 31 March 2027).
    financial_year: Mapped[int] = mapped_column(Integer, nullable=False)
    category: Mapped[InvestmentCategory] = mapped_column(
        str_enum(InvestmentCategory, "category"),
        nullable=False,
        default=InvestmentCategory.TECHNOLOGY,
        server_default=InvestmentCategory.TECHNOLOGY.value,
    )
    # Each amount may be unknown (NULL): unknown is never read as zero.
    requested: Mapped[Decimal | None] = mapped_column(Money)
    approved: Mapped[Decimal | None] = mapped_column(Money)
    forecast: Mapped[Decimal | None] = mapped_column(Money)
    actual: Mapped[Decimal | None] = mapped_column(Money)

    @property
    def gap(self) -> Decimal | None:
        """Investment gap: funding asked for but not approved; unknown when either is."""
        return funding_gap(self.requested, self.approved)

    @property
    def variance(self) -> Decimal | None:
        """Forecast minus approved: positive is an overspend; unknown when either is."""
        return forecast_variance(self.forecast, self.approved)

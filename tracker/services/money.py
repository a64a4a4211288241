"""Money: a programme's investment lines per UK financial year, with totals, gap and variance."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from tracker.domain.calendar import financial_year_label
from tracker.domain.money import forecast_variance, format_money, funding_gap
from tracker.domain.rules_money import floored_forecast
from tracker.extensions import db
from tracker.models import AuditAction, CostType, Investment, InvestmentCategory, Programme, Recurrence, User
from tracker.models.types import ZERO
from tracker.services import audit
from tracker.services.editing import check_version, commit_or_conflict, mark_programme_updated
from tracker.services.errors import Invalid, NotFound, Problem
from tracker.services.milestones.records import MAX_ID
from tracker.services.ratings.rerating import Trigger

CATEGORY_HINTS = {
    InvestmentCategory.TECHNOLOGY: "Software, licences, hardware, hosting, IT suppliers and IT staff",
    InvestmentCategory.BUSINESS_CHANGE: "Redesigning processes, training, change managers, service adoption",
    InvestmentCategory.OTHER: "Construction, vehicles, non-IT staff, grants and anything else",
}
AMOUNTS = ("requested", "approved", "forecast", "actual")
FIRST_YEAR, LAST_YEAR = 1990, 2100  # the database's check on financial_year


def variance_wording(variance: Decimal | None, *, at_least: bool = False) -> str:
    """Forecast against approved as people say it: '£30,000 over', '£5,000 under', 'Not known'."""
    if variance is None or (at_least and variance <= 0):
        return "Not known"
    if variance == 0:
        return "On budget"
    words = f"{format_money(abs(variance))} {'over' if variance > 0 else 'under'}"
    return f"At least {words}" if at_least else words


def line_variance_text(line: Investment) -> str:
    """A line's forecast (floored at its spend) against its approved amount, in words."""
    variance = forecast_variance(floored_forecast(line), line.approved)
    return variance_wording(variance, at_least=line.forecast is None)


@dataclass
class Totals:
    """Sums of the known amounts over some lines, how many lines were not known, and the gap and variance.

    The forecast counts each line's forecast floored at its actual spend (a line with no forecast but some
    spend counts as at least that spend); `raised` is how many lines were lifted that way.
    """

    requested: Decimal = ZERO
    approved: Decimal = ZERO
    forecast: Decimal = ZERO
    actual: Decimal = ZERO
    not_known: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AMOUNTS, 0))
    raised: int = 0
    lines: int = 0

    def add(self, line: Investment) -> None:
        """Add a line's known amounts; count the unknown ones."""
        self.lines += 1
        amounts = {name: getattr(line, name) for name in AMOUNTS}
        counted = floored_forecast(line)
        if line.forecast is not None and counted != line.forecast:
            self.raised += 1
        for name, amount in amounts.items():
            if amount is None:
                self.not_known[name] += 1
            value = counted if name == "forecast" else amount
            if value is not None:
                setattr(self, name, getattr(self, name) + value)

    @property
    def forecast_at_least(self) -> bool:
        """Some line has no forecast, so the forecast total is only the least it can be."""
        return self.not_known["forecast"] > 0

    @property
    def gap(self) -> Decimal | None:
        """Requested minus approved; not known while any line lacks either."""
        return funding_gap(self._known("requested"), self._known("approved"))

    @property
    def variance(self) -> Decimal | None:
        """Forecast minus approved, when both are fully known (the API's exact figure)."""
        return forecast_variance(self._known("forecast"), self._known("approved"))

    @property
    def variance_text(self) -> str:
        """Over or under budget, or 'At least ... over' with forecasts missing; never a false 'under'."""
        variance = forecast_variance(self.forecast, self._known("approved"))
        return variance_wording(variance, at_least=self.forecast_at_least)

    def _known(self, name: str) -> Decimal | None:
        """A total only when every line's amount is known: a missing amount makes the sum a guess."""
        return None if self.not_known[name] else getattr(self, name)  # type: ignore[no-any-return]

    def shown(self, name: str) -> Decimal | None:
        """The total to show: None when no line's amount is known, so nothing reads as £0."""
        if self.lines and self.not_known[name] == self.lines and not (name == "forecast" and self.actual):
            return None
        return getattr(self, name)  # type: ignore[no-any-return]

    def note(self, name: str) -> str:
        """'2 lines not known' beside a total, or '' when every line's amount is known."""
        count = self.not_known[name]
        if not count:
            return ""
        return f"{count} line{'' if count == 1 else 's'} not known"


@dataclass
class Year:
    """One financial year's lines and their totals."""

    start: int
    label: str
    lines: list[Investment] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


@dataclass
class MoneySummary:
    years: list[Year]
    whole_life: Totals


@dataclass(frozen=True)
class Line:
    """An investment line as entered: amounts in pounds, None when not known."""

    title: str
    cost_type: CostType
    recurrence: Recurrence
    financial_year: int
    requested: Decimal | None = None
    approved: Decimal | None = None
    forecast: Decimal | None = None
    actual: Decimal | None = None
    category: InvestmentCategory = InvestmentCategory.TECHNOLOGY

    def values(self) -> dict[str, object]:
        """Column values; a blank amount stays unknown."""
        amounts = {name: getattr(self, name) for name in AMOUNTS}
        return {
            "title": self.title.strip(),
            "category": self.category,
            "cost_type": self.cost_type,
            "recurrence": self.recurrence,
            "financial_year": self.financial_year,
            **amounts,
        }


def money_summary(programme_id: int) -> MoneySummary:
    """Lines grouped by year with totals per year and whole life: one query and one pass."""
    lines = db.session.scalars(
        select(Investment)
        .where(Investment.programme_id == programme_id)
        .order_by(Investment.financial_year, Investment.cost_type, Investment.title, Investment.id)
    )
    years: dict[int, Year] = {}
    whole_life = Totals()
    for line in lines:
        year = years.get(line.financial_year)
        if year is None:
            year = years[line.financial_year] = Year(
                line.financial_year, financial_year_label(line.financial_year)
            )
        year.lines.append(line)
        year.totals.add(line)
        whole_life.add(line)
    return MoneySummary(list(years.values()), whole_life)


def get_investment(programme: Programme, investment_id: int) -> Investment:
    """A line of this programme, or NotFound."""
    line = db.session.get(Investment, investment_id) if 0 < investment_id <= MAX_ID else None
    if line is None or line.programme_id != programme.id:
        raise NotFound("There is no such investment line in this programme")
    return line


def create_investment(programme: Programme, line: Line, *, user: User) -> Investment:
    """Add an investment line."""
    values = _checked(line)
    investment = Investment(programme_id=programme.id, updated_by_id=user.id, **values)
    db.session.add(investment)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        investment,
        user_id=user.id,
        programme_id=programme.id,
        summary=f"Added investment line {investment.title} ({financial_year_label(line.financial_year)})",
        changes={name: (None, value) for name, value in values.items()},
    )
    mark_programme_updated(programme.id, trigger=Trigger.MONEY, user_id=user.id)
    db.session.commit()
    return investment


def update_investment(
    programme: Programme, investment_id: int, line: Line, *, user: User, expected_version: int | None
) -> Investment:
    """Change an investment line, refusing a save made from a stale copy."""
    investment = get_investment(programme, investment_id)
    check_version(investment, expected_version, what="investment line")
    changed = audit.apply_changes(investment, _checked(line))
    if changed:
        investment.updated_by_id = user.id
        audit.record(
            AuditAction.UPDATE,
            investment,
            user_id=user.id,
            programme_id=programme.id,
            summary=f"Updated investment line {investment.title}",
            changes=changed,
        )
        mark_programme_updated(programme.id, trigger=Trigger.MONEY, user_id=user.id)
    commit_or_conflict(what="investment line")
    return investment


def delete_investment(
    programme: Programme, investment_id: int, *, user: User, expected_version: int | None
) -> str:
    """Remove an investment line; the audit trail keeps what it was. Returns its title."""
    investment = get_investment(programme, investment_id)
    check_version(investment, expected_version, what="investment line")
    title = investment.title
    audit.record(
        AuditAction.DELETE,
        investment,
        user_id=user.id,
        programme_id=programme.id,
        summary=f"Deleted investment line {title} ({financial_year_label(investment.financial_year)})",
        changes={
            name: (getattr(investment, name), None)
            for name in ("title", "category", "financial_year", *AMOUNTS)
        },
    )
    db.session.delete(investment)
    mark_programme_updated(programme.id, trigger=Trigger.MONEY, user_id=user.id)
    commit_or_conflict(what="investment line")
    return title


def line_problems(
    *, title: str | None, financial_year: int | None, **amounts: Decimal | None
) -> list[Problem]:
    """Every rule an investment line breaks (None: not given, or refused by the form)."""
    problems: list[Problem] = []
    if title is not None and not title.strip():
        problems.append(("title", "Enter a title for the investment line"))
    if financial_year is not None and not FIRST_YEAR <= financial_year <= LAST_YEAR:
        first, last = financial_year_label(FIRST_YEAR), financial_year_label(LAST_YEAR)
        problems.append(("financial_year", f"Enter a financial year from {first} to {last}"))
    for name in AMOUNTS:
        amount = amounts.get(name)
        if amount is not None and amount < ZERO:
            problems.append((name, f"The {name} amount cannot be negative"))
    return problems


def _checked(line: Line) -> dict[str, object]:
    """The line's values, or Invalid naming every field that breaks a rule."""
    values = line.values()
    amounts = {name: values[name] for name in AMOUNTS}
    problems = line_problems(title=line.title, financial_year=line.financial_year, **amounts)  # type: ignore[arg-type]
    if problems:
        raise Invalid.every(problems)
    return values

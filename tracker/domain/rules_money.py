"""Risk rules about money: overrun, spend ahead of progress, funding gaps, missing forecasts, technology only.

Totals are over a programme's investment lines. An amount not known is left out of a sum, never read as
zero, and each message says how many lines were left out. A forecast below the actual spent so far is
taken as the actual, and a missing forecast with a known actual as at least the actual. Each rule is
`(snapshot, today, thresholds) -> list[Flag]` and is listed in `risk_rules.RULES`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from tracker.domain.flags import Flag, Severity, Subject, weight_for
from tracker.domain.money import format_money
from tracker.domain.snapshot import InvestmentSnap, ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import format_percent

HUNDRED = Decimal(100)
UNDECIDED_FUNDING_STAGES = frozenset({"idea", "business_case"})


def _sum(amounts: Iterable[Decimal | None]) -> Decimal:
    """Sum the known amounts as Decimal, starting from zero pounds (unknown ones are left out)."""
    return sum((amount for amount in amounts if amount is not None), Decimal(0))


class Spending(Protocol):
    """Anything with a forecast and an actual amount: a snapshot's line or a stored one."""

    @property
    def forecast(self) -> Decimal | None: ...

    @property
    def actual(self) -> Decimal | None: ...


def floored_forecast(line: Spending) -> Decimal | None:
    """A line cannot cost less than it has already spent: the forecast floored at the actual, or the actual
    alone when no forecast is known; None when neither is known."""
    if line.forecast is None:
        return line.actual
    if line.actual is not None and line.actual > line.forecast:
        return line.actual
    return line.forecast


def lines_phrase(count: int, what: str) -> str:
    """'1 line has no forecast', '2 lines have no forecast'."""
    return f"1 line has {what}" if count == 1 else f"{count} lines have {what}"


def _unknown_note(count: int, what: str) -> str:
    """A closing clause for a message, empty when nothing was left out."""
    return f" ({lines_phrase(count, what)})" if count else ""


@dataclass(frozen=True)
class ForecastTotal:
    """The forecast of some lines floored at their actuals, and whether it is only a lower bound."""

    amount: Decimal
    no_forecast: int
    """Lines whose forecast is not known (their actual, if known, is counted instead)."""
    unknown: int
    """Lines with neither forecast nor actual: nothing of theirs is counted."""

    @property
    def at_least(self) -> bool:
        """Some line's cost is not fully known, so the real total can only be higher."""
        return self.no_forecast > 0


def forecast_total(lines: Iterable[InvestmentSnap]) -> ForecastTotal:
    """Sum the floored forecasts of `lines`, counting the lines that have no forecast."""
    lines = list(lines)
    floored = [floored_forecast(line) for line in lines]
    return ForecastTotal(
        amount=_sum(floored),
        no_forecast=sum(1 for line in lines if line.forecast is None),
        unknown=sum(1 for amount in floored if amount is None),
    )


def cost_overrun(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """Forecast spend above the approved budget needs money found or scope cut, and soon.

    Compares the lines with an approved amount; a missing forecast counts as at least the actual spent,
    so the overrun found is the least it can be. With nothing approved there is no overrun to measure.
    """
    budgeted = [i for i in snapshot.investments if i.approved is not None]
    approved = _sum(i.approved for i in budgeted)
    if approved <= 0:
        return []
    forecast = forecast_total(budgeted)
    over_pct = (forecast.amount - approved) / approved * HUNDRED
    if over_pct <= thresholds.cost_overrun_pct:
        return []
    prefix = "at least " if forecast.at_least else ""
    unapproved = len(snapshot.investments) - len(budgeted)
    notes = [
        lines_phrase(forecast.no_forecast, "no forecast, so its actual spend is counted")
        if forecast.no_forecast
        else "",
        lines_phrase(unapproved, "no approved amount and is left out") if unapproved else "",
    ]
    note = "; ".join(n for n in notes if n)
    return [
        Flag(
            rule="cost_overrun",
            severity=Severity.RED if over_pct > thresholds.cost_overrun_red_pct else Severity.AMBER,
            message=f"Forecast spend is {prefix}{format_money(forecast.amount)}, "
            f"{format_money(forecast.amount - approved)} ({format_percent(over_pct)}) "
            f"{'or more ' if forecast.at_least else ''}over approved {format_money(approved)}"
            + (f" ({note})" if note else ""),
            evidence={
                "forecast": str(forecast.amount),
                "approved": str(approved),
                "over_pct": str(round(over_pct, 1)),
                "forecast_at_least": forecast.at_least,
                "lines_without_forecast": forecast.no_forecast,
                "lines_without_approved": unapproved,
            },
            subject=Subject("programme", snapshot.id),
            weight=weight_for(float(over_pct) - thresholds.cost_overrun_pct, 10),
        )
    ]


def burn_ahead_of_progress(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """Money going out much faster than milestones are met usually means the budget runs out first.

    Needs an approved budget and at least one milestone in the plan (cancelled ones are not); milestones
    count equally. Only lines with an approved amount count, and their unknown actuals are left out, so
    the share spent is the least it can be.
    """
    budgeted = [i for i in snapshot.investments if i.approved is not None]
    approved = _sum(i.approved for i in budgeted)
    planned = [m for m in snapshot.milestones if m.in_plan]
    if approved <= 0 or not planned:
        return []
    actual = _sum(i.actual for i in budgeted)
    no_actual = sum(1 for i in budgeted if i.actual is None)
    done = sum(1 for m in planned if m.done)
    total = len(planned)
    spent_pct = actual / approved * HUNDRED
    done_pct = Decimal(done) / Decimal(total) * HUNDRED
    gap = spent_pct - done_pct
    if gap <= thresholds.burn_ahead_pct_points:
        return []
    verb = "is" if done == 1 else "are"
    return [
        Flag(
            rule="burn_ahead_of_progress",
            severity=Severity.AMBER,
            message=f"{format_percent(spent_pct)} of the approved budget is spent "
            f"({format_money(actual)} of {format_money(approved)}) but only {done} of {total} "
            f"milestones {verb} complete ({format_percent(done_pct)})"
            + _unknown_note(no_actual, "no actual spend recorded"),
            evidence={
                "spent_pct": str(round(spent_pct, 1)),
                "done_pct": str(round(done_pct, 1)),
                "milestones_done": done,
                "milestones": total,
                "lines_without_actual": no_actual,
            },
            subject=Subject("programme", snapshot.id),
            weight=weight_for(float(gap) - thresholds.burn_ahead_pct_points, 10),
        )
    ]


def investment_gap(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """Approving much less than was asked for, without cutting scope, sets the programme up to fail.

    Ideas and business cases with nothing approved yet are awaiting a decision, so are not flagged. Only
    lines with both amounts known are compared: a line with no decision recorded is not a gap.
    """
    known = [i for i in snapshot.investments if i.requested is not None and i.approved is not None]
    unknown = len(snapshot.investments) - len(known)
    requested = _sum(i.requested for i in known)
    approved = _sum(i.approved for i in known)
    if requested <= 0 or approved >= requested:
        return []
    if approved <= 0 and snapshot.stage in UNDECIDED_FUNDING_STAGES:
        return []
    gap = requested - approved
    gap_pct = gap / requested * HUNDRED
    if gap_pct <= thresholds.investment_gap_pct:
        return []
    return [
        Flag(
            rule="investment_gap",
            severity=Severity.AMBER,
            message=f"Approved funding {format_money(approved)} is {format_money(gap)} "
            f"({format_percent(gap_pct)}) short of the {format_money(requested)} requested"
            + _unknown_note(unknown, "no requested or approved amount and is left out"),
            evidence={
                "requested": str(requested),
                "approved": str(approved),
                "gap_pct": str(round(gap_pct, 1)),
                "lines_left_out": unknown,
            },
            subject=Subject("programme", snapshot.id),
            weight=weight_for(float(gap_pct) - thresholds.investment_gap_pct, 10),
        )
    ]


def no_forecast(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """Approved money in delivery with no forecast means nobody can say whether it will be enough.

    Only programmes in delivery are expected to forecast; lines with nothing approved are not counted.
    """
    if snapshot.stage != "delivery":
        return []
    lines = [i for i in snapshot.investments if i.approved and i.approved > 0 and i.forecast is None]
    if not lines:
        return []
    approved = _sum(i.approved for i in lines)
    spent = _sum(i.actual for i in lines)
    spent_note = f", of which {format_money(spent)} is spent" if spent > 0 else ""
    return [
        Flag(
            rule="no_forecast",
            severity=Severity.AMBER,
            message=f"{lines_phrase(len(lines), 'no forecast')} against {format_money(approved)} approved"
            f"{spent_note}",
            evidence={"lines": len(lines), "approved": str(approved), "actual": str(spent)},
            subject=Subject("investment", lines[0].id)
            if len(lines) == 1
            else Subject("programme", snapshot.id),
        )
    ]


def technology_only(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """IT bought without changing how the service works, or measuring adoption, rarely yields benefits.

    Applies from business case onwards; an idea is not expected to have a plan yet. The amount shown
    is the approved IT total, or the requested total while nothing is approved.
    """
    if snapshot.stage == "idea":
        return []
    it_lines = [i for i in snapshot.investments if i.category == "technology"]
    amount = _sum(i.approved for i in it_lines) or _sum(i.requested for i in it_lines)
    if amount <= 0:
        return []
    if any(m.kind == "business_change" for m in snapshot.milestones):
        return []
    if any(b.is_adoption_measure for b in snapshot.benefits):
        return []
    return [
        Flag(
            rule="technology_only",
            severity=Severity.AMBER,
            message=f"IT investment of {format_money(amount)} has no business change milestone "
            "and no service adoption measure",
            evidence={"it_investment": str(amount)},
            subject=Subject("programme", snapshot.id),
        )
    ]

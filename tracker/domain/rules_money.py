"""Risk rules about money: overrun, spend ahead of progress, funding gaps and technology-only spend.

Totals are over all of a programme's investment lines. Each rule is
`(snapshot, today, thresholds) -> list[Flag]` and is listed in `risk_rules.RULES`.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from tracker.domain.flags import Flag, Severity, Subject, weight_for
from tracker.domain.money import format_money
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import format_percent

HUNDRED = Decimal(100)
UNDECIDED_FUNDING_STAGES = frozenset({"idea", "business_case"})


def _sum(amounts: Iterable[Decimal | None]) -> Decimal:
    """Sum the known amounts as Decimal, starting from zero pounds (unknown ones are left out)."""
    return sum((amount for amount in amounts if amount is not None), Decimal(0))


def cost_overrun(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """Forecast spend above the approved budget needs money found or scope cut, and soon.

    Needs an approved budget to compare against; with none approved there is no overrun to measure.
    """
    approved = _sum(i.approved for i in snapshot.investments)
    forecast = _sum(i.forecast for i in snapshot.investments)
    if approved <= 0:
        return []
    over_pct = (forecast - approved) / approved * HUNDRED
    if over_pct <= thresholds.cost_overrun_pct:
        return []
    return [
        Flag(
            rule="cost_overrun",
            severity=Severity.RED if over_pct > thresholds.cost_overrun_red_pct else Severity.AMBER,
            message=f"Forecast spend {format_money(forecast)} is {format_percent(over_pct)} over "
            f"approved {format_money(approved)}",
            evidence={
                "forecast": str(forecast),
                "approved": str(approved),
                "over_pct": str(round(over_pct, 1)),
            },
            subject=Subject("programme", snapshot.id),
            weight=weight_for(float(over_pct) - thresholds.cost_overrun_pct, 10),
        )
    ]


def burn_ahead_of_progress(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """Money going out much faster than milestones are met usually means the budget runs out first.

    Needs an approved budget and at least one milestone in the plan (cancelled ones are not); milestones
    count equally.
    """
    approved = _sum(i.approved for i in snapshot.investments)
    planned = [m for m in snapshot.milestones if m.in_plan]
    if approved <= 0 or not planned:
        return []
    actual = _sum(i.actual for i in snapshot.investments)
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
            f"milestones {verb} complete ({format_percent(done_pct)})",
            evidence={
                "spent_pct": str(round(spent_pct, 1)),
                "done_pct": str(round(done_pct, 1)),
                "milestones_done": done,
                "milestones": total,
            },
            subject=Subject("programme", snapshot.id),
            weight=weight_for(float(gap) - thresholds.burn_ahead_pct_points, 10),
        )
    ]


def investment_gap(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """Approving much less than was asked for, without cutting scope, sets the programme up to fail.

    Ideas and business cases with nothing approved yet are awaiting a decision, so are not flagged.
    """
    requested = _sum(i.requested for i in snapshot.investments)
    approved = _sum(i.approved for i in snapshot.investments)
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
            f"({format_percent(gap_pct)}) short of the {format_money(requested)} requested",
            evidence={
                "requested": str(requested),
                "approved": str(approved),
                "gap_pct": str(round(gap_pct, 1)),
            },
            subject=Subject("programme", snapshot.id),
            weight=weight_for(float(gap_pct) - thresholds.investment_gap_pct, 10),
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

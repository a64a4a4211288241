"""The risk rule about capacity to change: a service team asked to absorb more change in a month than it
can give. Every programme landing work on that team that month shares the problem, so each is flagged,
naming the others: the fix is a conversation between them (move a go-live, stagger the training).

The rule is `(snapshot, today, thresholds) -> list[Flag]` and is listed in `risk_rules.RULES`.
"""

from datetime import date
from decimal import Decimal

from tracker.domain.flags import Flag, Severity, Subject, weight_for
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import format_number, plural

COMMITTED_STAGES = frozenset({"delivery", "closing"})
"""Only committed programmes load teams for real; ideas and business cases are the pipeline."""


def change_days(value: Decimal) -> str:
    """Change days as people write them: `48 change days`, `1 change day`, `12.5 change days`."""
    text = format_number(value)
    return f"{text} change day" if value == 1 else f"{text} change days"


def month_name(month: date) -> str:
    """`March 2027`: a team-month is a whole month."""
    return month.strftime("%B %Y")


def over_capacity(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """A team over capacity in a month will not absorb every programme's change at once: training is cut
    short, go-lives slip, or the service suffers. One flag per team-month over capacity this programme
    lands work in; red when the load is more than `over_capacity_red_pct` above capacity (or the capacity
    is nil). A team whose capacity is not set is never over capacity; months before this one are past. A
    paused programme is not flagged (its plan is on hold), though the sums still count what it lands.
    """
    if snapshot.stage not in COMMITTED_STAGES or snapshot.paused:
        return []
    this_month = today.replace(day=1)
    flags = []
    for load in snapshot.team_loads:
        capacity = load.capacity
        if capacity is None or load.load <= capacity or load.share <= 0 or load.month < this_month:
            continue
        excess = load.load - capacity
        excess_pct = None if capacity == 0 else excess * 100 / capacity
        red = excess_pct is None or excess_pct > thresholds.over_capacity_red_pct
        message = (
            f"{load.team} is over capacity in {month_name(load.month)}: "
            f"{change_days(load.load)} planned against {format_number(capacity)}, "
            f"{format_number(load.share)} of them from this programme"
        )
        if load.others:
            names = [f"{other.code} {other.name}" for other in load.others]
            listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            message += f"; shared with {listed}"
        flags.append(
            Flag(
                rule="over_capacity",
                severity=Severity.RED if red else Severity.AMBER,
                message=message,
                evidence={
                    "team": load.team,
                    "month": month_name(load.month),
                    "load": str(load.load),
                    "capacity": str(capacity),
                    "share": str(load.share),
                    "over_pct": None if excess_pct is None else str(excess_pct.quantize(Decimal("0.1"))),
                    "other_programmes": plural(len(load.others), "other programme"),
                },
                subject=Subject("milestone", load.milestone_ids[0]) if load.milestone_ids else None,
                weight=9 if excess_pct is None else weight_for(float(excess_pct), 10),
            )
        )
    return flags

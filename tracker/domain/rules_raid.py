"""Risk rules about the programme's RAID register beyond risks and issues: its actions.

Each rule is `(snapshot, today, thresholds) -> list[Flag]` and is listed in `risk_rules.RULES`.
"""

from datetime import date

from tracker.domain.calendar import format_date
from tracker.domain.definitions import overdue_days
from tracker.domain.flags import Flag, Severity, Subject, weight_for
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import plural


def overdue_action(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """An action nobody finished by its due date is a plan not being worked; several at once, or one long
    overdue, says the register is not being run.

    One flag per overdue action, naming it, its owner, its due date and how late it is. An action whose
    due date is not known is never overdue.
    """
    overdue = [
        (action, due, days)
        for action in snapshot.actions
        if (due := action.due_date) is not None
        and (days := overdue_days(action.open, due, today)) is not None
    ]
    several = len(overdue) >= thresholds.overdue_actions_red_count
    flags = []
    for action, due, days in overdue:
        owner = (action.owner or "").strip()
        long_overdue = days > thresholds.overdue_action_red_days
        message = (
            f"Action '{action.title.strip()}' is {plural(days, 'day')} overdue "
            f"(due {format_date(due)}, owner {owner or 'not recorded'})"
        )
        if several:
            message += f"; {len(overdue)} actions are overdue"
        flags.append(
            Flag(
                rule="overdue_action",
                severity=Severity.RED if several or long_overdue else Severity.AMBER,
                message=message,
                evidence={
                    "due_date": due.isoformat(),
                    "days_overdue": days,
                    "owner": owner or None,
                    "overdue_actions": len(overdue),
                },
                subject=Subject("action", action.id),
                weight=weight_for(days, 15),
            )
        )
    return flags

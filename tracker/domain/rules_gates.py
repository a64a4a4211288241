"""The gate rule: a programme still in a stage after the date its gate was planned for."""

from datetime import date

from tracker.domain.calendar import format_date
from tracker.domain.flags import Flag, Severity, Subject, weight_for
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import plural


def gate_overdue(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """Amber the day after the planned gate date passes without the gate approved (approval clears the
    date); red when more than `gate_overdue_red_days` past it. Paused and closed programmes are not
    expected to move."""
    planned = snapshot.planned_gate_date
    if planned is None or snapshot.paused or snapshot.stage == "closed" or today <= planned:
        return []
    days = (today - planned).days
    return [
        Flag(
            rule="gate_overdue",
            severity=Severity.RED if days > thresholds.gate_overdue_red_days else Severity.AMBER,
            message=f"Gate planned for {format_date(planned)} not passed: {plural(days, 'day')} late",
            evidence={"planned_gate_date": planned.isoformat(), "days_past": days},
            subject=Subject("programme", snapshot.id),
            weight=weight_for(days, 30),
        )
    ]

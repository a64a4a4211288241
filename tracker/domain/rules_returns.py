"""Risk rule about successive returns: the end date moved later since the previous return.

A return's end date is the latest approved one, so a later date in the next return is a re-baseline
the tracker may never have seen as a milestone change. Unknown dates give no flag.
"""

from collections.abc import Sequence
from datetime import date

from tracker.domain.calendar import format_date
from tracker.domain.flags import Flag, Severity, Subject, weight_for
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds


def current_end_date(snapshot: ProgrammeSnapshot) -> date | None:
    """The end date the programme holds now: its forecast, else its approved baseline."""
    return snapshot.forecast_end_date or snapshot.baseline_end_date


def previous_return_end(current: date | None, return_ends: Sequence[date]) -> date | None:
    """The end date of the return before the one the current date came from.

    `return_ends` are the returns' end dates, newest first. When the newest return holds the current
    date it is the return now in force, so the one before it is compared; otherwise the programme was
    changed since its newest return, and that return is the previous one.
    """
    if not return_ends:
        return None
    if return_ends[0] == current:
        return return_ends[1] if len(return_ends) > 1 else None
    return return_ends[0]


def end_date_moved(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """An end date pushed back between returns is delay admitted, even when no milestone says so."""
    current, previous = current_end_date(snapshot), snapshot.previous_return_end_date
    if current is None or previous is None:
        return []
    moved = (current - previous).days
    if moved <= thresholds.end_date_moved_days:
        return []
    red = moved > thresholds.end_date_moved_red_days
    return [
        Flag(
            rule="end_date_moved",
            severity=Severity.RED if red else Severity.AMBER,
            message=f"End date moved {moved} days later since the previous return: "
            f"{format_date(previous)} to {format_date(current)}",
            evidence={
                "end_date": current.isoformat(),
                "previous_end_date": previous.isoformat(),
                "moved_days": moved,
            },
            subject=Subject("programme", snapshot.id),
            weight=weight_for(moved - thresholds.end_date_moved_days, 90),
        )
    ]

"""The dependency rule: a milestone waiting for another programme's milestone that will land after the
date it is needed by.

The rule is `(snapshot, today, thresholds) -> list[Flag]` and is listed in `risk_rules.RULES`.
"""

from datetime import date

from tracker.domain.calendar import format_date
from tracker.domain.dependencies import STATE_WORDS, Landing, State, landing
from tracker.domain.flags import Flag, Severity, Subject, weight_for
from tracker.domain.snapshot import DependencySnap, ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds


def dependency_landing(dependency: DependencySnap, today: date) -> Landing:
    """How the predecessor of a snapshot's dependency lands against its needed-by date."""
    predecessor = dependency.predecessor
    return landing(
        actual=predecessor.actual_date,
        forecast=predecessor.forecast_date,
        baseline=predecessor.baseline_date,
        done=predecessor.done,
        cancelled=predecessor.cancelled,
        needed_by=dependency.needed_by,
        today=today,
    )


def dependency_late(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """A programme cannot land a milestone before what it waits for: a predecessor expected after the
    needed-by date (or cancelled) puts the waiting milestone at risk, whatever its own forecast says.

    Amber; red when more than `dependency_late_red_days` late. One flag per late dependency, about the
    waiting milestone; a waiting milestone already done or cancelled waits for nothing.
    """
    waiting = {milestone.id for milestone in snapshot.milestones if milestone.open}
    flags = []
    for dependency in snapshot.dependencies:
        if dependency.milestone_id not in waiting:
            continue
        lands = dependency_landing(dependency, today)
        if not lands.late:
            continue
        days = lands.days_late
        red = days is not None and days > thresholds.dependency_late_red_days
        predecessor = f"{dependency.predecessor_code} {dependency.predecessor.title.strip()}"
        needed = f"needed by {format_date(dependency.needed_by)} for {dependency.milestone_title.strip()}"
        message = f"Depends on {predecessor}, {lands.words()}, {needed}"
        if lands.state is not State.CANCELLED:
            message += f": {lands.verdict()}"
        flags.append(
            Flag(
                rule="dependency_late",
                severity=Severity.RED if red else Severity.AMBER,
                message=message,
                evidence={
                    "waiting_milestone": dependency.milestone_title,
                    "predecessor_programme": f"{dependency.predecessor_code} {dependency.predecessor_name}",
                    "predecessor_milestone": dependency.predecessor.title,
                    "predecessor_state": STATE_WORDS[lands.state],
                    "predecessor_date": lands.expected.isoformat() if lands.expected else None,
                    "needed_by": dependency.needed_by.isoformat(),
                    "days_late": days,
                },
                subject=Subject("milestone", dependency.milestone_id),
                weight=weight_for(days or 0, 15),
            )
        )
    return flags

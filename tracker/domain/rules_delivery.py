"""Risk rules about delivery: milestones, re-baselines, status updates and the risk register.

Each rule is `(snapshot, today, thresholds) -> list[Flag]` and is listed in `risk_rules.RULES`.
"""

from datetime import date

from tracker.domain.calendar import format_date
from tracker.domain.definitions import days_silent, is_stale, overdue_days
from tracker.domain.flags import Evidence, Flag, Severity, Subject, weight_for
from tracker.domain.snapshot import MilestoneSnap, ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import plural


def milestone_name(milestone: MilestoneSnap) -> str:
    """'Go-live milestone', without doubling the word when the title already ends with it."""
    title = milestone.title.strip()
    return title if title.lower().endswith("milestone") else f"{title} milestone"


def overdue_milestone(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """A milestone past its approved date and not done is the plainest sign of slippage.

    When its forecast has also slipped past the threshold, that is said here rather than in a second flag,
    and the flag takes the worse of the two severities.
    """
    flags = []
    for milestone in snapshot.milestones:
        days = overdue_days(milestone.open, milestone.baseline_date, today)
        if days is None or milestone.baseline_date is None:
            continue
        baseline, forecast = milestone.baseline_date, milestone.forecast_date
        severity = Severity.RED if milestone.critical else Severity.AMBER
        weight = weight_for(days, 30)
        evidence: Evidence = {
            "days_overdue": days,
            "baseline_date": baseline.isoformat(),
            "forecast_date": forecast.isoformat() if forecast else None,
            "critical": milestone.critical,
        }
        message = (
            f"{milestone_name(milestone)} is {plural(days, 'day')} overdue (baseline {format_date(baseline)})"
        )
        slip = _slip(milestone, thresholds)
        if slip is not None and forecast is not None:
            slip_severity, slip_weight = slip
            severity = Severity.RED if Severity.RED in (severity, slip_severity) else Severity.AMBER
            weight = max(weight, slip_weight)
            slip_days = evidence["slip_days"] = (forecast - baseline).days
            message += f" and now forecast for {format_date(forecast)}, {plural(slip_days, 'day')} late"
        flags.append(
            Flag(
                rule="overdue_milestone",
                severity=severity,
                message=message,
                evidence=evidence,
                subject=Subject("milestone", milestone.id),
                weight=weight,
            )
        )
    return flags


def forecast_slip(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """A forecast well beyond the approved date warns of lateness before the date passes.

    An overdue milestone's slip is part of its overdue flag, so it is not flagged twice.
    """
    flags = []
    for milestone in snapshot.milestones:
        slip = _slip(milestone, thresholds)
        if slip is None or overdue_days(milestone.open, milestone.baseline_date, today) is not None:
            continue
        baseline, forecast = milestone.baseline_date, milestone.forecast_date
        if baseline is None or forecast is None:
            continue
        days = (forecast - baseline).days
        flags.append(
            Flag(
                rule="forecast_slip",
                severity=slip[0],
                message=f"{milestone_name(milestone)} is forecast {plural(days, 'day')} late "
                f"({format_date(forecast)} against a baseline of {format_date(baseline)})",
                evidence={
                    "slip_days": days,
                    "baseline_date": baseline.isoformat(),
                    "forecast_date": forecast.isoformat(),
                    "threshold_days": thresholds.forecast_slip_days,
                },
                subject=Subject("milestone", milestone.id),
                weight=slip[1],
            )
        )
    return flags


def _slip(milestone: MilestoneSnap, thresholds: Thresholds) -> tuple[Severity, int] | None:
    """The severity and weight of an open milestone's forecast slip beyond the threshold, if it has one."""
    baseline, forecast = milestone.baseline_date, milestone.forecast_date
    if not milestone.open or baseline is None or forecast is None:
        return None
    slip = (forecast - baseline).days
    if slip <= thresholds.forecast_slip_days:
        return None
    severity = Severity.RED if slip > thresholds.forecast_slip_red_days else Severity.AMBER
    return severity, weight_for(slip - thresholds.forecast_slip_days, 30)


def repeated_rebaselining(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """Moving the goalposts again and again hides slippage that the plan never catches up with."""
    window = thresholds.rebaseline_window_days
    recent = sorted(d for d in snapshot.rebaseline_dates if 0 <= (today - d).days <= window)
    if len(recent) < thresholds.rebaseline_count:
        return []
    times = "once" if len(recent) == 1 else f"{len(recent)} times"
    return [
        Flag(
            rule="repeated_rebaselining",
            severity=Severity.AMBER,
            message=f"Re-baselined {times} in the last {plural(window, 'day')} "
            f"(latest {format_date(recent[-1])})",
            evidence={
                "count": len(recent),
                "window_days": window,
                "latest": recent[-1].isoformat(),
            },
            subject=Subject("programme", snapshot.id),
            weight=min(9, len(recent) - thresholds.rebaseline_count),
        )
    ]


def stale(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """Without recent updates nobody knows the true position.

    Ideas, paused and closed programmes are not expected to report (`definitions.expects_updates`). A
    programme that has never submitted an update gets an amber flag: we cannot tell how long it has been
    silent.
    """
    if not is_stale(snapshot.stage, snapshot.paused, snapshot.last_update_on, today, thresholds.stale_days):
        return []
    subject = Subject("programme", snapshot.id)
    days = days_silent(snapshot.last_update_on, today)
    if days is None or snapshot.last_update_on is None:
        message = "No update has been submitted yet"
        return [Flag("stale", Severity.AMBER, message, {"days_since_update": None}, subject)]
    return [
        Flag(
            rule="stale",
            severity=Severity.RED if days > thresholds.stale_red_days else Severity.AMBER,
            message=f"No update for {plural(days, 'day')}",
            evidence={"days_since_update": days, "last_update_on": snapshot.last_update_on.isoformat()},
            subject=subject,
            weight=weight_for(days - thresholds.stale_days, 15),
        )
    ]


def unmitigated_high_risks(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """A high-scoring open risk with nobody owning it, or no plan to treat it, is waiting to happen."""
    flags = []
    for entry in snapshot.register:
        if not entry.open or entry.score < thresholds.high_risk_score:
            continue
        needed = (("mitigation", entry.mitigation), ("owner", entry.owner))
        missing = [name for name, value in needed if not _given(value)]
        if not missing:
            continue
        flags.append(
            Flag(
                rule="unmitigated_high_risks",
                severity=Severity.AMBER,
                message=f"No {' or '.join(missing)} recorded for {'an' if entry.kind == 'issue' else 'a'} "
                f"{entry.kind} scored {entry.score} (likelihood {entry.likelihood}, impact {entry.impact}): "
                f"{entry.title}",
                evidence={
                    "score": entry.score,
                    "likelihood": entry.likelihood,
                    "impact": entry.impact,
                    "kind": entry.kind,
                    "missing": ", ".join(missing),
                },
                subject=Subject("register_entry", entry.id),
                weight=min(9, entry.score - thresholds.high_risk_score),
            )
        )
    return flags


def _given(text: str | None) -> bool:
    """Blank text counts as missing: a mitigation of spaces mitigates nothing."""
    return text is not None and text.strip() != ""

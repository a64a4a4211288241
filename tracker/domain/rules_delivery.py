"""Risk rules about delivery: milestones, re-baselines, status updates and the risk register.

Each rule is `(snapshot, today, thresholds) -> list[Flag]` and is listed in `risk_rules.RULES`.
"""

from datetime import date

from tracker.domain.calendar import format_date
from tracker.domain.flags import Flag, Severity, Subject, weight_for
from tracker.domain.snapshot import MilestoneSnap, ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import plural

NOT_STALE_STAGES = frozenset({"idea", "closed"})


def milestone_name(milestone: MilestoneSnap) -> str:
    """'Go-live milestone', without doubling the word when the title already ends with it."""
    title = milestone.title.strip()
    return title if title.lower().endswith("milestone") else f"{title} milestone"


def overdue_milestone(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """A milestone past its approved date and not done is the plainest sign of slippage."""
    flags = []
    for milestone in snapshot.milestones:
        baseline = milestone.baseline_date
        if not milestone.open or baseline is None or today <= baseline:
            continue
        days = (today - baseline).days
        flags.append(
            Flag(
                rule="overdue_milestone",
                severity=Severity.RED if milestone.critical else Severity.AMBER,
                message=f"{milestone_name(milestone)} is {plural(days, 'day')} overdue "
                f"(baseline {format_date(baseline)})",
                evidence={
                    "days_overdue": days,
                    "baseline_date": baseline.isoformat(),
                    "forecast_date": milestone.forecast_date.isoformat() if milestone.forecast_date else None,
                    "critical": milestone.critical,
                },
                subject=Subject("milestone", milestone.id),
                weight=weight_for(days, 30),
            )
        )
    return flags


def forecast_slip(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds) -> list[Flag]:
    """A forecast well beyond the approved date warns of lateness before the date passes."""
    flags = []
    for milestone in snapshot.milestones:
        baseline, forecast = milestone.baseline_date, milestone.forecast_date
        if not milestone.open or baseline is None or forecast is None:
            continue
        slip = (forecast - baseline).days
        if slip <= thresholds.forecast_slip_days:
            continue
        flags.append(
            Flag(
                rule="forecast_slip",
                severity=Severity.RED if slip > thresholds.forecast_slip_red_days else Severity.AMBER,
                message=f"{milestone_name(milestone)} is forecast {plural(slip, 'day')} late "
                f"({format_date(forecast)} against a baseline of {format_date(baseline)})",
                evidence={
                    "slip_days": slip,
                    "baseline_date": baseline.isoformat(),
                    "forecast_date": forecast.isoformat(),
                    "threshold_days": thresholds.forecast_slip_days,
                },
                subject=Subject("milestone", milestone.id),
                weight=weight_for(slip - thresholds.forecast_slip_days, 30),
            )
        )
    return flags


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

    Ideas, paused and closed programmes are not expected to report. A programme that has never
    submitted an update gets an amber flag: we cannot tell how long it has been silent.
    """
    if snapshot.paused or snapshot.stage in NOT_STALE_STAGES:
        return []
    subject = Subject("programme", snapshot.id)
    if snapshot.last_update_on is None:
        message = "No update has been submitted yet"
        return [Flag("stale", Severity.AMBER, message, {"days_since_update": None}, subject)]
    days = (today - snapshot.last_update_on).days
    if days <= thresholds.stale_days:
        return []
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
                message=f"{entry.kind.capitalize()} '{entry.title}' scores {entry.score} "
                f"(likelihood {entry.likelihood}, impact {entry.impact}) and has "
                + " and ".join(f"no {name}" for name in missing),
                evidence={"score": entry.score, "kind": entry.kind, "missing": ", ".join(missing)},
                subject=Subject("register_entry", entry.id),
                weight=min(9, entry.score - thresholds.high_risk_score),
            )
        )
    return flags


def _given(text: str | None) -> bool:
    """Blank text counts as missing: a mitigation of spaces mitigates nothing."""
    return text is not None and text.strip() != ""

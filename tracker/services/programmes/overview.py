"""One programme's overview: its newest submitted highlight report and the flags behind its rating,
read in a fixed number of queries whatever the size of the portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.domain.evidence import describe
from tracker.domain.formatting import uk_datetime
from tracker.domain.programme_charts import Empty
from tracker.domain.programme_timeline import Timeline
from tracker.domain.risk_rules import RULE_LABELS
from tracker.extensions import db
from tracker.models import Programme, RiskAssessment, StatusUpdate, User
from tracker.services.editing import get_programme
from tracker.services.milestones.records import programme_milestones
from tracker.services.portfolio.scope import is_latest
from tracker.services.programmes.charts import timeline_chart
from tracker.services.ratings.rerating import CAUSES, Trigger


@dataclass(frozen=True)
class FlagView:
    """A stored flag ready to show: rule name, one-line message, the figures behind it in words, subject."""

    label: str
    severity: str
    message: str
    evidence: list[tuple[str, str]]
    subject_kind: str | None
    subject_id: int | None


@dataclass(frozen=True)
class ProgrammeOverview:
    """Everything the overview page shows of one programme."""

    programme: Programme
    status_update: StatusUpdate | None
    assessment: RiskAssessment | None
    flags: list[FlagView]
    timeline: Timeline | Empty | None = None
    rated: str = ""
    """When the rating was made and from what: "Rated on 3 December 2026 at 2:05pm, after ..."."""

    @property
    def end_variance_days(self) -> int | None:
        """Forecast end against baseline end: positive is late."""
        baseline, forecast = self.programme.baseline_end_date, self.programme.forecast_end_date
        return None if baseline is None or forecast is None else (forecast - baseline).days


def programme_overview(code: str, *, today: date | None = None) -> ProgrammeOverview:
    """The programme, its newest submitted highlight report, its latest rating with the flags behind it,
    and its milestone timeline (one more query, however many milestones)."""
    programme = get_programme(code)
    update = db.session.scalar(
        select(StatusUpdate)
        .where(StatusUpdate.programme_id == programme.id, StatusUpdate.submitted_at.is_not(None))
        .options(joinedload(StatusUpdate.author))
        .order_by(StatusUpdate.period_end.desc(), StatusUpdate.submitted_at.desc())
        .limit(1)
    )
    assessment = None
    if not programme.is_closed:
        assessment = db.session.scalar(
            select(RiskAssessment)
            .where(RiskAssessment.programme_id == programme.id, is_latest(by_programme=True))
            .order_by(RiskAssessment.assessed_at.desc())
            .limit(1)
        )
    flags = [flag_view(flag) for flag in (assessment.flags if assessment else [])]
    flags.sort(key=lambda flag: flag.severity != "red")
    timeline = timeline_chart(programme, programme_milestones(programme.id), today=today)
    return ProgrammeOverview(
        programme=programme,
        status_update=update,
        assessment=assessment,
        flags=flags,
        timeline=timeline,
        rated=rated_wording(assessment) if assessment else "",
    )


def rated_wording(assessment: RiskAssessment) -> str:
    """Say when a rating was made and what set it off, so a reader knows how fresh it is."""
    when = f"Rated on {uk_datetime(assessment.assessed_at)}"
    try:
        trigger = Trigger(assessment.trigger)
    except ValueError:  # rated before we kept what set it off
        return f"{when}."
    if trigger is Trigger.SCAN:
        return f"{when} by the daily risk scan."
    person = db.session.get(User, assessment.triggered_by_id) if assessment.triggered_by_id else None
    return f"{when}, after {CAUSES[trigger]}" + (f" by {person.name}." if person else ".")


def flag_view(flag: dict[str, Any]) -> FlagView:
    """Read one stored flag defensively: an odd shape shows what it can rather than failing the page."""
    subject = flag.get("subject") if isinstance(flag.get("subject"), dict) else {}
    evidence = flag.get("evidence") if isinstance(flag.get("evidence"), dict) else {}
    rule = str(flag.get("rule", ""))
    subject_id = subject.get("id")
    return FlagView(
        label=RULE_LABELS.get(rule, rule.replace("_", " ").capitalize()),
        severity=str(flag.get("severity", "amber")),
        message=str(flag.get("message", "")),
        evidence=describe(rule, evidence),
        subject_kind=subject.get("kind"),
        subject_id=subject_id if isinstance(subject_id, int) else None,
    )

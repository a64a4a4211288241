"""Re-rate a programme in the transaction that changed its facts, so no page shows a rating older than
the facts beside it. Same reads as the scan (`load_portfolio`, for just these programmes), same rules,
same kind of row; the daily scan still runs, for the passage of time.

Trend: an edit's rating compares with the programme's latest assessment from before today (London), not
with the last edit's, so a day of edits all compare with one base: the rating the day began with (for a
programme first rated today, its first rating). The digest and the dashboard's "since last week" read
the history as at a week ago, never this trend, so edits cannot turn them into "since the last edit".
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import String, case, func, select, type_coerce

from tracker.domain.calendar import LONDON, london_today
from tracker.domain.rating import Rating, Summary
from tracker.domain.risk import assess
from tracker.extensions import db
from tracker.models import RiskAssessment
from tracker.models.types import utcnow
from tracker.services.ratings.scan import SCAN, assessment_row, store_assessments
from tracker.services.ratings.snapshots import _rules, load_portfolio
from tracker.services.settings import current_thresholds


class Trigger(StrEnum):
    """What set off a rating: the scan, or the kind of change to the programme's facts."""

    SCAN = SCAN
    CREATED = "created"
    KEY_FACTS = "key_facts"
    TEAM = "team"
    STAGE = "stage"
    MILESTONE = "milestone"
    REBASELINE = "rebaseline"
    MONEY = "money"
    BENEFIT = "benefit"
    REGISTER = "register"
    STATUS_UPDATE = "status_update"
    IMPORT = "import"
    CHANGE_REQUEST = "change_request"
    CAPACITY = "capacity"
    DEPENDENCY = "dependency"


CAUSES = {
    Trigger.CREATED: "the programme was created",
    Trigger.KEY_FACTS: "a change to the key facts",
    Trigger.TEAM: "a change to the team",
    Trigger.STAGE: "a stage change",
    Trigger.MILESTONE: "a milestone change",
    Trigger.REBASELINE: "a re-baseline request or decision",
    Trigger.MONEY: "a money change",
    Trigger.BENEFIT: "a benefit change",
    Trigger.REGISTER: "a RAID register change",
    Trigger.STATUS_UPDATE: "a status update",
    Trigger.IMPORT: "an import",
    Trigger.CHANGE_REQUEST: "an approved change request",
    Trigger.CAPACITY: "a change to a team's load or capacity",
    Trigger.DEPENDENCY: "a change to what it depends on",
}
"""How the programme page names each kind of change, after "after"."""


def rerate(
    programme_ids: Collection[int], *, trigger: Trigger, user_id: int | None, now: datetime | None = None
) -> None:
    """Rate these open programmes now and store each as its latest assessment; the caller commits."""
    if not programme_ids:
        return
    now = now or utcnow()
    portfolio = load_portfolio(programme_ids=programme_ids)
    if not portfolio.snapshots:
        return  # closed programmes keep their last rating, as the scan leaves them
    today = london_today(now)
    thresholds = current_thresholds()
    bases = _day_bases(programme_ids, before=datetime.combine(today, time(), LONDON))
    rows = [
        assessment_row(
            snapshot.id,
            assess(snapshot, today, thresholds),
            bases.get(snapshot.id),
            now=now,
            trigger=trigger.value,
            user_id=user_id,
        )
        for snapshot in portfolio.snapshots
    ]
    store_assessments(rows, [previous.id for previous in portfolio.previous.values()])


def _day_bases(programme_ids: Collection[int], *, before: datetime) -> dict[int, Summary]:
    """Each programme's newest assessment from before today's start (or, rated first today, its first of
    today): what today's trends compare with."""
    earlier = RiskAssessment.assessed_at < before
    ranked = (
        select(
            RiskAssessment.programme_id,
            type_coerce(RiskAssessment.rating, String).label("rating"),
            RiskAssessment.score,
            RiskAssessment.flags,
            func.row_number()
            .over(
                partition_by=RiskAssessment.programme_id,
                order_by=(
                    case((earlier, 0), else_=1),
                    case((earlier, RiskAssessment.assessed_at)).desc(),
                    RiskAssessment.assessed_at,
                    RiskAssessment.id,
                ),
            )
            .label("place"),
        )
        .where(RiskAssessment.programme_id.in_(sorted(set(programme_ids))))
        .subquery()
    )
    statement = select(ranked.c.programme_id, ranked.c.rating, ranked.c.score, ranked.c.flags).where(
        ranked.c.place == 1
    )
    return {
        pid: Summary(Rating(rating), score, _rules(flags))
        for pid, rating, score, flags in db.session.execute(statement)
    }

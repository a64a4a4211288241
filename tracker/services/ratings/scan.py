"""The risk scan: assess every open programme and keep the result as history, with its trend.

Reads are one query per table (see `snapshots`), writes are one bulk UPDATE retiring the previous
latest rows and bulk INSERTs of the new ones, then one commit. The daily job then rewrites every
open programme's row of dashboard figures (`daily_scan`), which read the new flags. Closed
programmes are skipped: their last assessment stays as it was, as history, and pages list closed
programmes without a rating.
Two scans must not run at once; the job's period claim sees to that.

A scan as of a past day rates the portfolio as it stood then and stamps its rows at the end of that
London day, so history reads as if it had been scanned then. It follows the assessment before it in
time; where a newer one exists, that stays the latest and the new rows are history only.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, update

from tracker.domain.calendar import format_date, london_today
from tracker.domain.rating import Rating, Summary, trend
from tracker.domain.risk import Assessment, assess
from tracker.domain.thresholds import Thresholds
from tracker.extensions import db
from tracker.models import RiskAssessment
from tracker.models.types import utcnow
from tracker.services.portfolio.figures import start_the_day
from tracker.services.ratings.past import assessed_at
from tracker.services.ratings.snapshots import load_portfolio
from tracker.services.settings import current_thresholds

INSERT_BATCH = 10_000
SCAN = "scan"
"""The trigger stored on the scan's assessments; an edit's re-rating stores the kind of change."""


@dataclass(frozen=True)
class ScanResult:
    """How a scan went: programmes scanned, counts by rating, and how long it took."""

    scanned: int
    red: int
    amber: int
    green: int
    seconds: float
    as_of: date | None = None

    @property
    def counts(self) -> dict[Rating, int]:
        """Counts keyed by rating, worst first."""
        return {Rating.RED: self.red, Rating.AMBER: self.amber, Rating.GREEN: self.green}

    def summary(self) -> str:
        """One line for the job log and the CLI."""
        noun = "programme" if self.scanned == 1 else "programmes"
        when = "" if self.as_of is None else f" as of {format_date(self.as_of)}"
        if not self.scanned:
            return f"Scanned 0 programmes{when}."
        return f"Scanned {self.scanned} {noun}{when}: {self.red} Red, {self.amber} Amber, {self.green} Green."


Progress = Callable[[int, int], None]
"""Told (done, total) every PROGRESS_EVERY programmes and at the end, for a progress bar."""
PROGRESS_EVERY = 500


def scan_portfolio(
    *,
    today: date | None = None,
    now: datetime | None = None,
    as_of: date | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """Rate every open programme against today's thresholds and store the ratings as the latest; or, given
    `as_of`, rate it as it stood at the end of that day, judged against that day."""
    started = time.perf_counter()
    now = now or utcnow()
    if as_of is not None:
        today, now = as_of, assessed_at(as_of, now)
    today = today or london_today(now)
    thresholds = current_thresholds()
    with _collector_paused():
        ratings = _assess_and_store(today, now, thresholds, progress, as_of)
    db.session.commit()
    return ScanResult(
        scanned=sum(ratings.values()),
        red=ratings[Rating.RED],
        amber=ratings[Rating.AMBER],
        green=ratings[Rating.GREEN],
        seconds=time.perf_counter() - started,
        as_of=as_of,
    )


def daily_scan(*, as_of: date | None = None, progress: Progress | None = None) -> ScanResult:
    """The scheduled scan and `flask risk scan`: rate the portfolio, then rewrite each open programme's
    dashboard figures (their flag counts and past weeks follow the new ratings) in a second, short
    transaction."""
    result = scan_portfolio(as_of=as_of, progress=progress)
    start_the_day()
    return result


def _assess_and_store(
    today: date, now: datetime, thresholds: Thresholds, progress: Progress | None, as_of: date | None
) -> Counter[Rating]:
    """Assess each open programme and write the rows; the big structures die on return."""
    ratings: Counter[Rating] = Counter()
    rows: list[dict[str, Any]] = []
    portfolio = load_portfolio(as_of, today=today)
    total = len(portfolio.snapshots)
    for done, snapshot in enumerate(portfolio.snapshots, start=1):
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
        assessment = assess(snapshot, today, thresholds)
        previous = portfolio.previous.get(snapshot.id)
        ratings[assessment.rating] += 1
        rows.append(
            assessment_row(
                snapshot.id,
                assessment,
                None if previous is None else previous.summary,
                now=now,
                trigger=SCAN,
                latest=snapshot.id not in portfolio.rated_later,
            )
        )
    store_assessments(rows, [previous.id for previous in portfolio.previous.values() if previous.latest])
    return ratings


def assessment_row(
    programme_id: int,
    assessment: Assessment,
    base: Summary | None,
    *,
    now: datetime,
    trigger: str,
    user_id: int | None = None,
    latest: bool = True,
) -> dict[str, Any]:
    """One new latest row, its trend against `base`; the scan and an edit's re-rating write the same shape."""
    return {
        "programme_id": programme_id,
        "assessed_at": now,
        "rating": assessment.rating.value,
        "score": assessment.score,
        "trend": trend(base, assessment.summary()).value,
        "flags": [flag.as_dict() for flag in assessment.flags],
        "is_latest": latest,
        "trigger": trigger,
        "triggered_by_id": user_id,
    }


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The scan makes a million small objects and no cycles: cycle collection then only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def store_assessments(rows: list[dict[str, Any]], retired_ids: list[int]) -> None:
    """Retire the previous latest rows by primary key, then insert the new ones, in big batches."""
    table = RiskAssessment.__table__
    if retired_ids:
        retire = update(table).where(table.c.id == bindparam("retired_id")).values(is_latest=False)
        db.session.execute(retire, [{"retired_id": row_id} for row_id in retired_ids])
    for start in range(0, len(rows), INSERT_BATCH):
        db.session.execute(insert(table), rows[start : start + INSERT_BATCH])

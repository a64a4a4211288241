"""A programme's milestones as a calendar feed that Outlook subscribes to, opened by a calendar token.

The feed is fetched without a session, so the token decides who is asking; every refusal (no such
token, revoked, inactive user, no such programme, not allowed to see it) is the same NotFound, so a
feed URL reveals nothing about which part was wrong."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote, urlparse

from sqlalchemy import select

from tracker.domain.calendar import EARLIEST_YEAR, LATEST_YEAR, format_date
from tracker.domain.ical import AllDayEvent, Status, calendar_text
from tracker.domain.vocabulary import label
from tracker.extensions import db
from tracker.models import Milestone, MilestoneStatus, Programme
from tracker.models.types import utcnow
from tracker.policy import Action, can
from tracker.services.accounts.tokens import authenticate
from tracker.services.errors import NotFound

PURPOSE = "calendar"
FIRST_DAY, LAST_DAY = date(EARLIEST_YEAR, 1, 1), date(LATEST_YEAR, 12, 31)
"""Forms and imports refuse dates outside these years; one stored before they did (9999-12-31 as
"no end") is left out of the feed, as a calendar cannot hold the day after it."""
STATUSES = {
    MilestoneStatus.COMPLETE: Status.CONFIRMED,
    MilestoneStatus.CANCELLED: Status.CANCELLED,
}


def feed_path(token: str, code: str) -> str:
    """The feed's path for a token and a programme (the web layer adds the site's address)."""
    return f"/calendar/{quote(token, safe='')}/programmes/{quote(code, safe='')}.ics"


def programme_feed(token: str, code: str, *, base_url: str, now: datetime | None = None) -> str:
    """The programme's milestones as iCalendar text, if the token's user may see the programme."""
    user = authenticate(token, purpose=PURPOSE)
    programme = (
        db.session.scalar(select(Programme).where(Programme.code == code.strip().upper())) if user else None
    )
    if user is None or programme is None or not can(user, Action.VIEW_PROGRAMME, programme):
        raise NotFound("Calendar feed not found")
    milestones = db.session.scalars(
        select(Milestone)
        .where(Milestone.programme_id == programme.id)
        .order_by(Milestone.baseline_date, Milestone.id)
    )
    host = urlparse(base_url).hostname or "tracker"
    page = f"{base_url}/programmes/{quote(programme.code, safe='')}/milestones/"
    events = [
        milestone_event(milestone, programme.code, host=host, page=page)
        for milestone in milestones
        if FIRST_DAY <= event_day(milestone) <= LAST_DAY
    ]
    return calendar_text(f"{programme.code} {programme.name}", events, stamp=now or utcnow())


def event_day(milestone: Milestone) -> date:
    """When the milestone happens as far as anyone knows: actual once complete, else forecast or baseline."""
    if milestone.status is MilestoneStatus.COMPLETE and milestone.actual_date:
        return milestone.actual_date
    return milestone.forecast_date or milestone.baseline_date


def milestone_event(milestone: Milestone, code: str, *, host: str, page: str) -> AllDayEvent:
    """One all-day event, its UID stable across fetches so calendars update it rather than add another."""
    critical = " (critical)" if milestone.critical else ""
    dates = [
        f"Latest approved baseline: {format_date(milestone.baseline_date)}",
        f"Forecast: {format_date(milestone.forecast_date) if milestone.forecast_date else 'not set'}",
        f"Actual: {format_date(milestone.actual_date) if milestone.actual_date else 'not yet'}",
        f"Status: {label(milestone.status)}",
    ]
    if milestone.owner:
        dates.append(f"Owner: {milestone.owner}")
    link = f"{page}#milestone-{milestone.id}"
    return AllDayEvent(
        uid=f"milestone-{milestone.id}@{host}",
        day=event_day(milestone),
        summary=f"{code}: {milestone.title}{critical}",
        description="\n".join([*dates, "", link]),
        status=STATUSES.get(milestone.status, Status.TENTATIVE),
        url=link,
    )

"""The sign-in log as admins read it: every attempt, newest first, a page at a time, filtered by result
and email, in a fixed number of queries whatever its length; and how long it is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select

from tracker.domain.vocabulary import SignInResult
from tracker.extensions import db
from tracker.models import SignInEvent, User
from tracker.models.types import utcnow
from tracker.services.paging import page_of

PER_PAGE = 50
RECENT = 5
"""Sign-ins shown on a person's own admin page."""
KEEP = timedelta(days=366)
"""A year of attempts (a leap year's too) answers "who signed in, from where" for any audit of the last
year; older ones are deleted, as personal data kept no longer than needed."""


@dataclass(frozen=True)
class SignInQuery:
    """The log's filters: one result, and words the email contains (any case)."""

    result: SignInResult | None = None
    email: str = ""
    page: int = 1


@dataclass(frozen=True)
class SignInPage:
    rows: list[SignInEvent]
    total: int
    page: int
    pages: int
    # The id of the person each row's email belongs to, where we know them: an attempt refused before the
    # password was checked (a throttled one) names only the email.
    people: dict[str, int]

    def person_id(self, event: SignInEvent) -> int | None:
        return event.user_id or self.people.get(event.email.lower())


def _conditions(query: SignInQuery) -> list[Any]:
    conditions: list[Any] = []
    if query.result is not None:
        conditions.append(SignInEvent.result == query.result)
    email = query.email.strip().lower()
    if email:
        conditions.append(func.lower(SignInEvent.email).contains(email, autoescape=True))
    return conditions


def sign_in_page(query: SignInQuery, *, per_page: int = PER_PAGE) -> SignInPage:
    """One page of the log, how many attempts match, and who the emails on it belong to: three queries."""
    conditions = _conditions(query)
    total = db.session.scalar(select(func.count(SignInEvent.id)).where(*conditions)) or 0
    page, pages = page_of(query.page, total, per_page)
    rows = db.session.scalars(
        select(SignInEvent)
        .where(*conditions)
        .order_by(SignInEvent.at.desc(), SignInEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = list(rows)
    emails = {row.email.lower() for row in rows if row.user_id is None and row.email}
    people = {
        email: user_id
        for email, user_id in db.session.execute(
            select(func.lower(User.email), User.id).where(func.lower(User.email).in_(emails))
        )
    }
    return SignInPage(rows=rows, total=total, page=page, pages=pages, people=people)


def recent_sign_ins(user: User, *, limit: int = RECENT) -> list[SignInEvent]:
    """A person's last few attempts to sign in, newest first, those that name only their email included."""
    return list(
        db.session.scalars(
            select(SignInEvent)
            .where(or_(SignInEvent.user_id == user.id, func.lower(SignInEvent.email) == user.email.lower()))
            .order_by(SignInEvent.at.desc(), SignInEvent.id.desc())
            .limit(limit)
        )
    )


def sweep_old(*, now: datetime | None = None) -> str:
    """The daily job: delete attempts older than KEEP."""
    cutoff = (now or utcnow()) - KEEP
    removed = db.session.execute(delete(SignInEvent).where(SignInEvent.at < cutoff)).rowcount or 0
    db.session.commit()
    return f"Removed {removed} sign-in log {'entry' if removed == 1 else 'entries'} older than a year"

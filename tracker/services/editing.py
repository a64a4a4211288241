"""Helpers every editing service uses: the optimistic-lock check and marking a programme updated or
changed, which re-rates it and then refreshes its row of dashboard figures, in the same transaction.

Every editing service takes the same keyword arguments: `user`, the signed-in User, and
`expected_version`, the version the person started from (None skips the check), passed to
`check_version`. A service reads `user.id` before it changes anything: loading an expired user later
would flush a half-made change and move the version twice."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from tracker.domain.formatting import uk_datetime
from tracker.extensions import db
from tracker.models import Programme, ProgrammeMember, User
from tracker.models.types import utcnow
from tracker.services.capacity.knock_on import after_facts_changed
from tracker.services.dependencies.ripple import rerate_dependants
from tracker.services.errors import Conflict, NotFound
from tracker.services.portfolio.figures import refresh_programme_figures
from tracker.services.ratings.rerating import Trigger, rerate


def get_programme(code: str) -> Programme:
    """A programme by its code (case-insensitive), team loaded, or NotFound."""
    programme = db.session.scalar(
        select(Programme)
        .where(Programme.code == code.strip().upper())
        .options(selectinload(Programme.members).joinedload(ProgrammeMember.user))
    )
    if programme is None:
        raise NotFound(f"There is no programme {code}")
    return programme


def check_version(record: Any, expected: int | None, *, what: str) -> None:
    """Refuse a save made from a stale copy, saying who changed it and when."""
    if expected is None or record.version == expected:
        return
    editor = db.session.get(User, record.updated_by_id) if record.updated_by_id else None
    who = editor.name if editor else "someone else"
    when = uk_datetime(record.updated_at)
    raise Conflict(
        f"This {what} was changed by {who} on {when} while you were editing it. "
        "The page now shows their version; your changes are kept in the form below "
        "so you can apply them again."
    )


def mark_programme_updated(
    programme_id: int, *, trigger: Trigger, user_id: int | None, at: datetime | None = None
) -> None:
    """The programme reported something: the stale rule counts from here, and its rating and figures
    change now."""
    # Flushed first, so a save that lost a race with another surfaces here, as a Conflict the view
    # can show beside the user's input.
    flush_or_conflict()
    db.session.execute(
        update(Programme)
        .where(Programme.id == programme_id)
        .values(last_update_at=at or utcnow())
        .execution_options(synchronize_session=False)
    )
    facts_changed([programme_id], trigger=trigger, user_id=user_id)


def facts_changed(programme_ids: Collection[int], *, trigger: Trigger, user_id: int | None) -> None:
    """These programmes' facts changed in this transaction: re-rate them, then rewrite their figures,
    which count the new flags; and re-rate the programmes waiting on their milestones."""
    flush_or_conflict()
    rerate(programme_ids, trigger=trigger, user_id=user_id)
    refresh_programme_figures(programme_ids)
    after_facts_changed(programme_ids, trigger=trigger, user_id=user_id)
    rerate_dependants(programme_ids, trigger=trigger, user_id=user_id)


def flush_or_conflict(*, what: str = "record") -> None:
    """Send pending changes now; a save that lost a race with another on the same rows is a Conflict."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise _lost_race(what) from None


def _lost_race(what: str) -> Conflict:
    return Conflict(
        f"This {what} was changed by someone else while you were saving. "
        "Check the page, then make your change again."
    )


def commit_or_conflict(
    *,
    what: str = "record",
    refresh: Collection[int] = (),
    trigger: Trigger = Trigger.KEY_FACTS,
    user_id: int | None = None,
) -> None:
    """Commit (re-rating the `refresh` programmes and refreshing their figures first); a save that lost
    a race with another on the same rows becomes a Conflict."""
    try:
        if refresh:
            facts_changed(refresh, trigger=trigger, user_id=user_id)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise _lost_race(what) from None

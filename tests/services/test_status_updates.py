"""Highlight reports: drafts change freely; a submitted report is the programme's word and never changes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from tracker.extensions import db
from tracker.models import AuditEvent, Focus, Programme, Rag, Role, StatusUpdate, User
from tracker.models.types import utcnow
from tracker.services.errors import Conflict, Invalid
from tracker.services.programmes import status_updates
from tracker.services.programmes.status_updates import UpdateValues


@pytest.fixture
def user(app, make_user) -> User:
    return make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")


@pytest.fixture
def programme(app, user: User) -> Programme:
    programme = Programme(code="LIB-001", name="Libraries", directorate="Communities", focus=Focus.BOTH)
    db.session.add(programme)
    db.session.commit()
    return programme


def values(**changes: object) -> UpdateValues:
    base: dict[str, object] = {
        "period_start": date(2026, 3, 1),
        "period_end": date(2026, 3, 31),
        "overall": Rag.AMBER,
        "schedule": Rag.AMBER,
        "cost": Rag.GREEN,
        "benefits": Rag.GREEN,
        "resources": Rag.RED,
        "narrative": "Two libraries live; staffing is short.",
    }
    return UpdateValues(**{**base, **changes})  # type: ignore[arg-type]


def test_a_draft_is_not_yet_reported(programme, user) -> None:
    draft = status_updates.create_draft(programme, values=values(), user=user)
    assert draft.author_id == user.id and not draft.is_submitted
    db.session.refresh(programme)
    assert programme.last_update_at is None


def test_a_draft_can_change_and_the_change_is_recorded(programme, user) -> None:
    draft = status_updates.create_draft(programme, values=values(), user=user)
    status_updates.update_draft(
        programme, update_id=draft.id, values=values(overall=Rag.RED), expected_version=None, user=user
    )
    db.session.expire_all()
    assert db.session.get(StatusUpdate, draft.id).overall is Rag.RED
    last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last.changes == {"overall": ["amber", "red"]}


def test_submitting_freezes_the_update_and_marks_the_programme_updated(programme, user) -> None:
    draft = status_updates.create_draft(programme, values=values(), user=user)
    submitted = status_updates.submit(programme, update_id=draft.id, expected_version=None, user=user)

    assert submitted.is_submitted
    db.session.refresh(programme)
    assert programme.last_update_at == submitted.submitted_at

    with pytest.raises(Conflict, match=r"submitted on .* by Priya Shah and can no longer be changed"):
        status_updates.update_draft(
            programme, update_id=draft.id, values=values(narrative="Oops"), expected_version=None, user=user
        )
    with pytest.raises(Conflict):
        status_updates.submit(programme, update_id=draft.id, expected_version=None, user=user)
    db.session.expire_all()
    assert db.session.get(StatusUpdate, draft.id).narrative == "Two libraries live; staffing is short."


def test_a_submit_that_lands_while_a_draft_is_being_saved_wins(programme, user) -> None:
    draft = status_updates.create_draft(programme, values=values(), user=user)
    db.session.execute(update(StatusUpdate).where(StatusUpdate.id == draft.id).values(submitted_at=utcnow()))
    db.session.commit()
    # The saving request read the update just before the submit landed: to it, still a draft.
    stale = status_updates.get_update(programme, draft.id)
    set_committed_value(stale, "submitted_at", None)

    with pytest.raises(Conflict, match="can no longer be changed"):
        status_updates.update_draft(
            programme, update_id=draft.id, values=values(narrative="Late"), expected_version=None, user=user
        )
    db.session.expire_all()
    assert db.session.get(StatusUpdate, draft.id).narrative == "Two libraries live; staffing is short."


def test_the_period_must_end_on_or_after_its_start(programme, user) -> None:
    with pytest.raises(Invalid) as refused:
        status_updates.create_draft(programme, values=values(period_end=date(2026, 2, 28)), user=user)
    assert refused.value.field == "period_end"


def test_updates_are_listed_newest_first(programme, user) -> None:
    for month in (1, 3, 2):
        status_updates.create_draft(
            programme,
            values=values(period_start=date(2026, month, 1), period_end=date(2026, month, 28)),
            user=user,
        )
    assert [u.period_end.month for u in status_updates.list_updates(programme)] == [3, 2, 1]

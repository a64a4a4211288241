"""Actions and decisions: added, changed, done and deleted with an audit trail, and an overdue action
rates the programme at once; a past day's rating sees an action done since as open then."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    AuditAction,
    AuditEvent,
    Decision,
    DecisionStatus,
    EntryKind,
    Focus,
    Programme,
    ProgrammeAction,
    RegisterEntry,
    RiskAssessment,
    Role,
    Stage,
    User,
)
from tracker.services import raid
from tracker.services.errors import Conflict, Invalid
from tracker.services.raid import ActionValues, DecisionValues
from tracker.services.ratings.snapshots import load_portfolio

TODAY = date.today()


@pytest.fixture
def user(app, make_user) -> User:
    return make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")


@pytest.fixture
def programme(app, user: User) -> Programme:
    programme = Programme(
        code="FIN-002",
        name="ERP",
        directorate="Resources",
        focus=Focus.BOTH,
        stage=Stage.BUSINESS_CASE,
        manager_id=user.id,
    )
    db.session.add(programme)
    db.session.commit()
    return programme


def action_values(**changes: object) -> ActionValues:
    base: dict[str, object] = {
        "title": "Sign the data sharing agreement",
        "description": "With the NHS trust",
        "owner": "Sarah Quinn",
        "due_date": TODAY + timedelta(days=14),
    }
    return ActionValues(**{**base, **changes})  # type: ignore[arg-type]


def decision_values(**changes: object) -> DecisionValues:
    base: dict[str, object] = {
        "title": "Buy through the framework",
        "detail": "Quicker than a tender; prices fixed for 18 months",
        "decided_by": "Programme board",
        "decided_on": TODAY - timedelta(days=3),
    }
    return DecisionValues(**{**base, **changes})  # type: ignore[arg-type]


def events(programme: Programme) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.programme_id == programme.id).order_by(AuditEvent.id)
        )
    )


def latest(programme: Programme) -> RiskAssessment | None:
    return db.session.scalar(
        select(RiskAssessment).where(RiskAssessment.programme_id == programme.id, RiskAssessment.is_latest)
    )


def test_an_action_is_added_changed_done_and_deleted_with_an_audit_trail(programme, user) -> None:
    action = raid.create_action(programme, values=action_values(), user=user)
    assert (action.status, action.done_on, action.version) == (ActionStatus.OPEN, None, 1)

    raid.update_action(
        programme, action_id=action.id, values=action_values(owner="Dev Patel"), expected_version=1, user=user
    )
    raid.mark_action_done(programme, action_id=action.id, expected_version=2, user=user, today=TODAY)
    assert (action.status, action.done_on) == (ActionStatus.DONE, TODAY)
    raid.delete_action(programme, action_id=action.id, expected_version=3, user=user)

    assert db.session.get(ProgrammeAction, action.id) is None
    trail = [(event.action, event.summary) for event in events(programme)]
    due = TODAY + timedelta(days=14)
    assert trail == [
        (AuditAction.CREATE, f"Added action 'Sign the data sharing agreement' (due {due:%-d %B %Y})"),
        (AuditAction.UPDATE, "Changed action 'Sign the data sharing agreement'"),
        (AuditAction.UPDATE, "Action done: 'Sign the data sharing agreement'"),
        (AuditAction.DELETE, "Deleted action 'Sign the data sharing agreement'"),
    ]
    assert events(programme)[1].changes == {"owner": ["Sarah Quinn", "Dev Patel"]}
    assert events(programme)[2].changes == {"status": ["open", "done"], "done_on": [None, TODAY.isoformat()]}


def test_an_unknown_due_date_is_said_so_and_never_overdue(programme, user) -> None:
    raid.create_action(programme, values=action_values(due_date=None), user=user)
    assert (
        events(programme)[0].summary == "Added action 'Sign the data sharing agreement' (due date not known)"
    )
    assert latest(programme).rating.value == "green"


def test_an_action_past_its_due_date_flags_the_programme_at_once_and_done_clears_it(programme, user) -> None:
    action = raid.create_action(
        programme, values=action_values(due_date=TODAY - timedelta(days=9)), user=user
    )

    assessment = latest(programme)
    assert assessment.rating.value == "amber"
    (flag,) = assessment.flags
    assert flag["rule"] == "overdue_action"
    assert flag["message"].startswith("Action 'Sign the data sharing agreement' is 9 days overdue")
    assert flag["message"].endswith(", owner Sarah Quinn)")
    assert flag["subject"] == {"kind": "action", "id": action.id}

    raid.mark_action_done(programme, action_id=action.id, expected_version=1, user=user)
    assert latest(programme).rating.value == "green"


def test_a_done_action_keeps_its_date_or_takes_today_and_reopening_clears_it(programme, user) -> None:
    earlier = TODAY - timedelta(days=5)
    action = raid.create_action(
        programme, values=action_values(status=ActionStatus.DONE, done_on=earlier), user=user
    )
    assert action.done_on == earlier
    other = raid.create_action(programme, values=action_values(status=ActionStatus.DONE), user=user)
    assert other.done_on == TODAY

    raid.update_action(programme, action_id=action.id, values=action_values(), expected_version=1, user=user)
    assert (action.status, action.done_on) == (ActionStatus.OPEN, None)


def test_every_problem_with_an_action_is_said_at_once(programme, user, make_user) -> None:
    elsewhere = Programme(code="DIG-009", name="Other", directorate="Resources", focus=Focus.BOTH)
    db.session.add(elsewhere)
    db.session.flush()
    theirs = RegisterEntry(programme_id=elsewhere.id, title="Theirs", likelihood=2, impact=2)
    db.session.add(theirs)
    db.session.commit()

    with pytest.raises(Invalid) as refused:
        raid.create_action(
            programme,
            values=action_values(
                title="  ", status=ActionStatus.DONE, done_on=TODAY + timedelta(days=1), entry_id=theirs.id
            ),
            user=user,
        )

    assert refused.value.problems == [
        ("title", "Enter the title"),
        ("done_on", "The date it was done must be today or in the past"),
        ("entry_id", "Select a risk or issue of this programme, or none"),
    ]
    assert db.session.scalars(select(ProgrammeAction)).all() == []


def test_an_action_answers_a_risk_and_outlives_it(programme, user) -> None:
    risk = RegisterEntry(
        programme_id=programme.id, kind=EntryKind.RISK, title="Staff", likelihood=3, impact=3
    )
    db.session.add(risk)
    db.session.commit()
    action = raid.create_action(programme, values=action_values(entry_id=risk.id), user=user)
    assert action.entry.title == "Staff"

    db.session.delete(risk)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ProgrammeAction, action.id).entry_id is None


def test_marking_done_twice_is_refused_and_a_stale_copy_is_refused(programme, user) -> None:
    action = raid.create_action(programme, values=action_values(), user=user)
    raid.update_action(
        programme, action_id=action.id, values=action_values(owner="Dev"), expected_version=1, user=user
    )
    with pytest.raises(Conflict, match="This action was changed by Priya Shah"):
        raid.mark_action_done(programme, action_id=action.id, expected_version=1, user=user)

    raid.mark_action_done(
        programme, action_id=action.id, expected_version=2, user=user, today=date(2026, 12, 4)
    )
    with pytest.raises(Invalid, match="This action was already done on 4 December 2026"):
        raid.mark_action_done(programme, action_id=action.id, expected_version=3, user=user)


def test_a_decision_is_recorded_superseded_and_deleted_with_an_audit_trail(programme, user) -> None:
    decision = raid.create_decision(programme, values=decision_values(), user=user)
    assert decision.status is DecisionStatus.MADE

    raid.update_decision(
        programme,
        decision_id=decision.id,
        values=decision_values(status=DecisionStatus.SUPERSEDED),
        expected_version=1,
        user=user,
    )
    with pytest.raises(Conflict):
        raid.delete_decision(programme, decision_id=decision.id, expected_version=1, user=user)
    raid.delete_decision(programme, decision_id=decision.id, expected_version=2, user=user)

    assert db.session.scalars(select(Decision)).all() == []
    assert [event.summary for event in events(programme)] == [
        "Recorded decision 'Buy through the framework'",
        "Changed decision 'Buy through the framework'",
        "Deleted decision 'Buy through the framework'",
    ]
    assert events(programme)[1].changes == {"status": ["made", "superseded"]}


def test_a_decision_made_is_not_dated_in_the_future_but_a_proposed_one_may_be(programme, user) -> None:
    soon = TODAY + timedelta(days=10)
    with pytest.raises(Invalid) as refused:
        raid.create_decision(programme, values=decision_values(title="", decided_on=soon), user=user)
    assert refused.value.problems == [
        ("title", "Enter the title"),
        ("decided_on", "The date decided must be today or in the past"),
    ]
    proposed = decision_values(decided_on=soon, status=DecisionStatus.PROPOSED)
    assert raid.create_decision(programme, values=proposed, user=user).decided_on == soon


def test_the_lists_put_open_actions_soonest_first_and_decisions_latest_first(programme, user) -> None:
    for title, due, status in [
        ("Later", 20, ActionStatus.OPEN),
        ("Unknown", None, ActionStatus.OPEN),
        ("Done", -50, ActionStatus.DONE),
        ("Soon", 2, ActionStatus.OPEN),
    ]:
        due_date = None if due is None else TODAY + timedelta(days=due)
        raid.create_action(
            programme, values=action_values(title=title, due_date=due_date, status=status), user=user
        )
    for title, days_ago in [("Old", 90), ("Undated", None), ("New", 1)]:
        on = None if days_ago is None else TODAY - timedelta(days=days_ago)
        raid.create_decision(programme, values=decision_values(title=title, decided_on=on), user=user)

    assert [a.title for a in raid.list_actions(programme)] == ["Soon", "Later", "Unknown", "Done"]
    assert [d.title for d in raid.list_decisions(programme)] == ["New", "Old", "Undated"]


def test_a_past_days_rating_sees_an_action_done_since_as_open_then(programme, user) -> None:
    created = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    db.session.add_all(
        [
            ProgrammeAction(
                programme_id=programme.id, title="Done since", due_date=date(2027, 1, 10),
                status=ActionStatus.DONE, done_on=date(2027, 2, 20), created_at=created,
            ),
            ProgrammeAction(
                programme_id=programme.id, title="Done before", due_date=date(2027, 1, 10),
                status=ActionStatus.DONE, done_on=date(2027, 1, 20), created_at=created,
            ),
            ProgrammeAction(
                programme_id=programme.id, title="Added since", due_date=date(2027, 1, 10),
                created_at=datetime(2027, 2, 5, 9, 0, tzinfo=UTC),
            ),
        ]
    )  # fmt: skip
    programme.created_at = created
    db.session.commit()

    (then,) = load_portfolio(as_of=date(2027, 2, 1)).snapshots
    (now,) = load_portfolio().snapshots

    assert [(a.title, a.open) for a in then.actions] == [("Done since", True), ("Done before", False)]
    assert [(a.title, a.open) for a in now.actions] == [
        ("Done since", False),
        ("Done before", False),
        ("Added since", True),
    ]

"""Milestone services: moved forecasts need reasons, history is kept, re-baselines need a CIO."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    AuditAction,
    AuditEvent,
    ChangeKind,
    Focus,
    Milestone,
    MilestoneChange,
    MilestoneKind,
    MilestoneStatus,
    Programme,
    RebaselineRequest,
    RequestStatus,
    Role,
    Stage,
    User,
)
from tracker.services.errors import Conflict, Invalid
from tracker.services.milestones import rebaselines
from tracker.services.milestones import records as milestones

TODAY = date(2026, 11, 20)


@pytest.fixture
def people(make_user) -> dict[str, User]:
    return {
        "pm": make_user(Role.PROGRAMME_MANAGER, name="Priya Shah"),
        "other": make_user(Role.PROGRAMME_MANAGER, name="Tom Barker"),
        "cio": make_user(Role.CIO, name="Helen Carter"),
    }


@pytest.fixture
def programme(people) -> Programme:
    programme = Programme(
        code="DIG-001",
        name="Digital front door",
        directorate="Resources",
        focus=Focus.BOTH,
        stage=Stage.DELIVERY,
        manager_id=people["pm"].id,
    )
    db.session.add(programme)
    db.session.commit()
    return programme


def add_milestone(
    programme: Programme, title: str = "Go-live", baseline: date = date(2026, 12, 1)
) -> Milestone:
    milestone = Milestone(
        programme_id=programme.id,
        title=title,
        kind=MilestoneKind.IT_DELIVERY,
        original_baseline_date=baseline,
        baseline_date=baseline,
        forecast_date=baseline,
        status=MilestoneStatus.IN_PROGRESS,
    )
    db.session.add(milestone)
    db.session.commit()
    return milestone


def progress(milestone: Milestone, **changes) -> milestones.Progress:
    """The milestone's current state as a submitted row, with some values changed."""
    row = milestones.Progress(
        milestone_id=milestone.id,
        expected_version=milestone.version,
        forecast_date=milestone.forecast_date,
        actual_date=milestone.actual_date,
        status=milestone.status,
    )
    return replace(row, **changes)


def events(programme: Programme) -> list[AuditEvent]:
    """The programme's audit trail (creating users writes events of its own)."""
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.programme_id == programme.id).order_by(AuditEvent.id)
        )
    )


def history(milestone: Milestone) -> list[MilestoneChange]:
    return list(
        db.session.scalars(
            select(MilestoneChange)
            .where(MilestoneChange.milestone_id == milestone.id)
            .order_by(MilestoneChange.id)
        )
    )


def test_adding_a_milestone_sets_both_baselines_and_starts_its_history(programme, people) -> None:
    details = milestones.Details("Go-live", MilestoneKind.IT_DELIVERY, critical=True, owner=" Sam ")
    milestone = milestones.create_milestone(
        programme,
        user=people["pm"],
        details=details,
        baseline_date=date(2027, 1, 4),
        forecast_date=None,
        actual_date=None,
        status=MilestoneStatus.NOT_STARTED,
        today=TODAY,
    )

    assert (
        milestone.original_baseline_date
        == milestone.baseline_date
        == milestone.forecast_date
        == date(2027, 1, 4)
    )
    assert milestone.owner == "Sam"
    assert [(c.kind, c.to_value) for c in history(milestone)] == [(ChangeKind.CREATED, "2027-01-04")]
    [event] = events(programme)
    assert (event.action, event.programme_id, event.user_id) == (
        AuditAction.CREATE,
        programme.id,
        people["pm"].id,
    )
    assert db.session.get(Programme, programme.id).last_update_at is not None


def test_a_moved_forecast_needs_a_reason_and_nothing_is_saved_without_one(programme, people) -> None:
    go_live = add_milestone(programme)
    training = add_milestone(programme, "Staff trained", date(2026, 12, 10))
    rows = [
        progress(go_live, forecast_date=date(2027, 1, 15)),  # moved, no reason
        progress(training, status=MilestoneStatus.COMPLETE, actual_date=date(2026, 11, 18)),  # fine alone
    ]

    with pytest.raises(milestones.MilestoneInvalid) as raised:
        milestones.update_progress(programme, user=people["pm"], updates=rows, today=TODAY)

    assert raised.value.rows == {
        go_live.id: {
            "reason": "Give a reason for moving the forecast from 1 December 2026 to 15 January 2027"
        }
    }
    db.session.expire_all()
    assert db.session.get(Milestone, training.id).status is MilestoneStatus.IN_PROGRESS
    assert history(go_live) == history(training) == []


def test_saving_writes_one_history_line_per_thing_that_moved(programme, people) -> None:
    go_live = add_milestone(programme)
    training = add_milestone(programme, "Staff trained", date(2026, 11, 10))
    unchanged = add_milestone(programme, "Review", date(2027, 3, 1))
    rows = [
        progress(go_live, forecast_date=date(2027, 1, 15), reason="Supplier late"),
        progress(training, status=MilestoneStatus.COMPLETE, actual_date=date(2026, 11, 18)),
        progress(unchanged),
    ]

    changed = milestones.update_progress(programme, user=people["pm"], updates=rows, today=TODAY)

    assert changed == 2
    moved = history(go_live)
    assert [(c.kind, c.from_value, c.to_value, c.reason, c.changed_by_id) for c in moved] == [
        (ChangeKind.FORECAST_MOVED, "2026-12-01", "2027-01-15", "Supplier late", people["pm"].id)
    ]
    assert [(c.kind, c.from_value, c.to_value) for c in history(training)] == [
        (ChangeKind.ACTUAL_RECORDED, None, "2026-11-18"),
        (ChangeKind.STATUS_CHANGED, "in_progress", "complete"),
    ]
    assert history(unchanged) == []
    trail = events(programme)
    assert [e.entity_id for e in trail] == [go_live.id, training.id]
    assert trail[0].changes["forecast_date"] == ["2026-12-01", "2027-01-15"]
    assert "Supplier late" in trail[0].summary
    assert db.session.get(Milestone, go_live.id).variance_days == 45
    assert db.session.get(Programme, programme.id).last_update_at is not None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"actual_date": date(2026, 11, 21), "status": MilestoneStatus.COMPLETE}, "actual_date", "future"),
        ({"status": MilestoneStatus.COMPLETE}, "actual_date", "Enter the actual date"),
        ({"actual_date": date(2026, 11, 1)}, "status", "Choose 'Complete'"),
        ({"forecast_date": None}, "forecast_date", "Enter the forecast date"),
    ],
)
def test_dates_and_status_must_agree(programme, people, changes, field, message) -> None:
    milestone = add_milestone(programme)
    with pytest.raises(milestones.MilestoneInvalid) as raised:
        milestones.update_progress(
            programme, user=people["pm"], updates=[progress(milestone, **changes)], today=TODAY
        )
    assert message in raised.value.rows[milestone.id][field]


def test_a_stale_row_saves_nothing_and_says_who_changed_which_milestone(programme, people) -> None:
    go_live = add_milestone(programme)
    training = add_milestone(programme, "Staff trained", date(2026, 12, 10))
    rows = [
        progress(go_live, forecast_date=date(2027, 1, 15), reason="Supplier late"),
        progress(training, forecast_date=date(2026, 12, 20), reason="Trainer ill"),
    ]
    # Someone else saves the training milestone first.
    milestones.update_progress(
        programme,
        user=people["other"],
        updates=[progress(training, forecast_date=date(2026, 12, 12), reason="Room booked")],
        today=TODAY,
    )

    with pytest.raises(milestones.MilestoneConflict) as raised:
        milestones.update_progress(programme, user=people["pm"], updates=rows, today=TODAY)

    assert list(raised.value.rows) == [training.id]
    assert raised.value.rows[training.id].startswith(
        "Staff trained: This milestone was changed by Tom Barker"
    )
    db.session.expire_all()
    assert db.session.get(Milestone, go_live.id).forecast_date == date(2026, 12, 1)
    assert db.session.get(Milestone, training.id).forecast_date == date(2026, 12, 12)


def test_a_milestone_of_another_programme_cannot_be_updated_through_this_one(programme, people) -> None:
    other = Programme(
        code="OTH-001", name="Other", directorate="Adults", focus=Focus.BOTH, stage=Stage.DELIVERY
    )
    db.session.add(other)
    db.session.commit()
    theirs = add_milestone(other)
    with pytest.raises(Invalid, match="no longer part of this programme"):
        milestones.update_progress(programme, user=people["pm"], updates=[progress(theirs)], today=TODAY)


def test_editing_from_a_stale_copy_is_refused(programme, people) -> None:
    milestone = add_milestone(programme)
    details = milestones.Details("Go-live (phase 1)", MilestoneKind.IT_DELIVERY, critical=False, owner="")
    stale = progress(milestone)
    milestones.edit_milestone(programme, stale, user=people["other"], details=details, today=TODAY)

    with pytest.raises(Conflict, match="changed by Tom Barker"):
        milestones.edit_milestone(
            programme, stale, user=people["pm"], details=replace(details, title="Go-live!"), today=TODAY
        )
    assert db.session.get(Milestone, milestone.id).title == "Go-live (phase 1)"


def test_deleting_is_recorded_in_the_audit_trail(programme, people) -> None:
    milestone = add_milestone(programme)
    milestone_id = milestone.id
    title = milestones.delete_milestone(
        programme, milestone_id, user=people["pm"], expected_version=milestone.version
    )
    assert title == "Go-live"
    assert db.session.get(Milestone, milestone_id) is None
    [event] = events(programme)
    assert (event.action, event.entity_id, event.changes["title"]) == (
        AuditAction.DELETE,
        milestone_id,
        ["Go-live", None],
    )


def test_variance_is_worded_as_people_say_it() -> None:
    assert [rebaselines.variance_wording(days) for days in (12, 1, 0, -3, None)] == [
        "12 days late",
        "1 day late",
        "On time",
        "3 days early",
        "No forecast",
    ]


def request(programme: Programme, milestone: Milestone, user: User, when: date = date(2027, 2, 1)):
    return rebaselines.request_rebaseline(
        programme, milestone.id, user=user, proposed_date=when, reason="Supplier went into administration"
    )


def test_a_rebaseline_request_waits_for_the_cio_and_is_in_the_history(programme, people) -> None:
    milestone = add_milestone(programme)
    asked = request(programme, milestone, people["pm"])

    assert asked.status is RequestStatus.PENDING
    assert asked.from_date == date(2026, 12, 1)  # kept, so the request still says so once approved
    assert db.session.get(Milestone, milestone.id).baseline_date == date(2026, 12, 1)
    assert [(c.kind, c.from_value, c.to_value) for c in history(milestone)] == [
        (ChangeKind.REBASELINE_REQUESTED, "2026-12-01", "2027-02-01")
    ]
    with pytest.raises(Invalid, match="already waiting"):
        request(programme, milestone, people["pm"], date(2027, 3, 1))
    with pytest.raises(Invalid, match="current baseline"):
        rebaselines.request_rebaseline(
            programme,
            add_milestone(programme, "Other").id,
            user=people["pm"],
            proposed_date=date(2026, 12, 1),
            reason="No change",
        )


def test_approval_moves_the_latest_baseline_keeps_the_original_and_cannot_happen_twice(
    programme, people
) -> None:
    milestone = add_milestone(programme)
    asked = request(programme, milestone, people["pm"])

    rebaselines.decide(asked.id, user=people["cio"], approve=True, note="Agreed at board")

    db.session.expire_all()
    moved = db.session.get(Milestone, milestone.id)
    assert (moved.original_baseline_date, moved.baseline_date) == (date(2026, 12, 1), date(2027, 2, 1))
    approved = history(milestone)[-1]
    assert (approved.kind, approved.from_value, approved.to_value, approved.changed_by_id) == (
        ChangeKind.REBASELINE_APPROVED,
        "2026-12-01",
        "2027-02-01",
        people["cio"].id,
    )
    assert "Supplier went into administration" in approved.reason and "Agreed at board" in approved.reason
    decided = db.session.get(RebaselineRequest, asked.id)
    assert (decided.status, decided.decided_by_id) == (RequestStatus.APPROVED, people["cio"].id)

    with pytest.raises(Conflict, match=r"already approved by Helen Carter .* cannot be decided again"):
        rebaselines.decide(asked.id, user=people["cio"], approve=False, note="Changed my mind")
    assert db.session.get(RebaselineRequest, asked.id).status is RequestStatus.APPROVED


def test_rejection_needs_a_note_and_leaves_the_baseline_alone(programme, people) -> None:
    milestone = add_milestone(programme)
    asked = request(programme, milestone, people["pm"])

    with pytest.raises(Invalid, match="Say why"):
        rebaselines.decide(asked.id, user=people["cio"], approve=False, note="  ")
    rebaselines.decide(asked.id, user=people["cio"], approve=False, note="Recover the time instead")

    db.session.expire_all()
    assert db.session.get(Milestone, milestone.id).baseline_date == date(2026, 12, 1)
    assert history(milestone)[-1].kind is ChangeKind.REBASELINE_REJECTED
    assert rebaselines.pending_queue() == []
    assert [item.request.id for item in rebaselines.recent_decisions()] == [asked.id]


def test_the_page_rows_carry_history_newest_first_and_pending_requests(programme, people) -> None:
    milestone = add_milestone(programme)
    milestones.update_progress(
        programme,
        user=people["pm"],
        updates=[progress(milestone, forecast_date=date(2026, 12, 8), reason="Testing overran")],
        today=TODAY,
    )
    request(programme, milestone, people["pm"])

    [row] = rebaselines.milestone_rows(programme.id)

    assert row.variance == "7 days late"
    assert [line.what for line in row.history] == [
        "Re-baseline requested (the baseline moves only if the CIO approves)",
        "Forecast moved",
    ]
    moved = row.history[1]
    assert (moved.who, moved.from_text, moved.to_text, moved.reason) == (
        "Priya Shah",
        "1 December 2026",
        "8 December 2026",
        "Testing overran",
    )
    assert [r.proposed_date for r in row.pending] == [date(2027, 2, 1)]
    assert not row.can_rebaseline

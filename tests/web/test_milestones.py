"""Milestone pages through the client: the table, history, the one-form update, re-baselining, odd input."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.helpers import csrf_token_from
from tests.web.pages import counting_queries, error_summary
from tracker.domain.formatting import uk_date
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

TODAY = date.today()


@pytest.fixture(autouse=True)
def on_today(time_machine) -> None:
    """TODAY is read once, at import: the clock stays on that day for the whole run, past midnight too."""
    time_machine.move_to(datetime.combine(TODAY, time(12), tzinfo=UTC), tick=True)


BASELINE = TODAY + timedelta(days=60)


def detached(record):
    """A loaded copy the test can read after requests (each request ends the test's session)."""
    db.session.commit()
    db.session.refresh(record)
    db.session.expunge(record)
    return record


def make_programme(manager: User | None, code: str = "DIG-001") -> Programme:
    programme = Programme(
        code=code,
        name=f"Programme {code}",
        directorate="Resources",
        focus=Focus.BOTH,
        stage=Stage.DELIVERY,
        manager_id=manager.id if manager else None,
    )
    db.session.add(programme)
    return detached(programme)


def make_milestone(
    programme: Programme, title: str = "Go-live", baseline: date = BASELINE, **values
) -> Milestone:
    milestone = Milestone(
        programme_id=programme.id,
        title=title,
        kind=MilestoneKind.IT_DELIVERY,
        original_baseline_date=baseline,
        baseline_date=baseline,
        **{"forecast_date": baseline, **values},
    )
    db.session.add(milestone)
    return detached(milestone)


def day_month_year(value: date) -> list[str]:
    return [str(value.day), str(value.month), str(value.year)]


def row_data(index: int, milestone: Milestone, **values) -> dict[str, object]:
    """One row of the update form as the page would post it, with some values changed."""
    row = {
        "milestone_id": milestone.id,
        "version": milestone.version,
        "forecast_date": day_month_year(milestone.forecast_date or milestone.baseline_date),
        "actual_date": ["", "", ""],
        "status": milestone.status.value,
        "reason": "",
    }
    row.update(values)
    return {f"rows-{index}-{name}": value for name, value in row.items()}


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_page_shows_each_milestone_with_variance_history_and_pending_request(client, auth) -> None:
    viewer = auth.sign_in_as(Role.VIEWER)
    programme = make_programme(None)
    late = make_milestone(programme, "Go-live", forecast_date=BASELINE + timedelta(days=12), critical=True)
    make_milestone(programme, "Training", baseline=BASELINE + timedelta(days=5))
    db.session.add_all(
        [
            MilestoneChange(
                milestone_id=late.id,
                kind=ChangeKind.FORECAST_MOVED,
                from_value=BASELINE.isoformat(),
                to_value=(BASELINE + timedelta(days=12)).isoformat(),
                reason="Supplier late",
                changed_by_id=viewer.id,
            ),
            RebaselineRequest(
                milestone_id=late.id, proposed_date=BASELINE + timedelta(days=30), reason="Contract"
            ),
        ]
    )
    db.session.commit()

    page = text(client.get("/programmes/dig-001/milestones/"))

    assert f'id="milestone-{late.id}"' in page
    assert "12 days late" in page and "On time" in page and "Critical" in page
    assert "Supplier late" in page and "Forecast moved" in page
    assert "Re-baseline requests waiting for the CIO" in page
    assert "Update milestones" not in page and "/edit" not in page  # a viewer changes nothing


@pytest.mark.parametrize(
    ("day_month_year_", "message"),
    [
        (["aa", "bb", "cccc"], "Baseline date must be a real date, in numbers"),
        (["31", "2", "2027"], "Baseline date must be a real date"),
        (["", "3", "2027"], "Baseline date must include a day"),
        (["", "", ""], "Enter the baseline date"),
        (["1", "1", "27"], "the year must have 4 numbers"),
        (["1", "1", "3027"], "Baseline date must be between 1950 and 2100"),
    ],
)
def test_odd_dates_give_the_error_summary_not_a_server_error(client, auth, day_month_year_, message) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    make_programme(pm)
    token = auth.csrf_token("/programmes/DIG-001/milestones/new")
    response = client.post(
        "/programmes/DIG-001/milestones/new",
        data={
            "csrf_token": token,
            "title": "Go-live",
            "kind": "it_delivery",
            "status": "not_started",
            "baseline_date": day_month_year_,
        },
    )
    assert response.status_code == 200
    assert message in error_summary(response)


def test_extra_or_missing_date_parts_do_not_break_the_page(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    make_programme(pm)
    token = auth.csrf_token("/programmes/DIG-001/milestones/new")
    for parts in (["1", "2"], ["1", "2", "2027", "4"], ["1"]):
        response = client.post(
            "/programmes/DIG-001/milestones/new",
            data={"csrf_token": token, "title": "Go-live", "kind": "it_delivery", "baseline_date": parts},
        )
        assert response.status_code == 200
        assert "Baseline date must be a real date" in error_summary(response)


def test_adding_editing_and_deleting_a_milestone(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme = make_programme(pm)
    token = auth.csrf_token("/programmes/DIG-001/milestones/new")
    response = client.post(
        "/programmes/DIG-001/milestones/new",
        data={
            "csrf_token": token,
            "title": "Staff trained",
            "kind": "business_change",
            "critical": "y",
            "owner": "Head of Revenues",
            "status": "not_started",
            "baseline_date": day_month_year(BASELINE),
        },
    )
    milestone = db.session.scalars(select(Milestone)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/programmes/DIG-001/milestones/#milestone-{milestone.id}")
    assert (milestone.kind, milestone.critical, milestone.baseline_date) == (
        MilestoneKind.BUSINESS_CHANGE,
        True,
        BASELINE,
    )

    edit = f"/programmes/DIG-001/milestones/{milestone.id}/edit"
    fields = {
        "csrf_token": token,
        "title": "Staff trained",
        "kind": "business_change",
        "owner": "",
        "status": "not_started",
        "version": milestone.version,
        "forecast_date": day_month_year(BASELINE + timedelta(days=3)),
        "actual_date": ["", "", ""],
    }
    response = client.post(edit, data=fields)
    assert "Give a reason for moving the forecast" in error_summary(response)
    response = client.post(edit, data={**fields, "reason": "Trainer booked later"})
    assert response.status_code == 302

    delete = f"/programmes/DIG-001/milestones/{milestone.id}/delete"
    assert "Are you sure you want to delete" in text(client.get(delete))
    db.session.expire_all()
    response = client.post(
        delete, data={"csrf_token": token, "version": db.session.get(Milestone, milestone.id).version}
    )
    assert response.status_code == 302
    assert db.session.get(Milestone, milestone.id) is None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.programme_id == programme.id).order_by(AuditEvent.id)
    ).all()
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]


def test_an_edit_from_a_stale_copy_says_who_changed_it_and_keeps_the_input(client, auth, make_user) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    milestone = make_milestone(make_programme(pm))
    changed = db.session.get(Milestone, milestone.id)
    changed.title, changed.updated_by_id = "Go-live (changed)", make_user(Role.CIO, name="Helen Carter").id
    db.session.commit()
    stale = milestone.version
    path = f"/programmes/DIG-001/milestones/{milestone.id}/edit"
    response = client.post(
        path,
        data={
            "csrf_token": auth.csrf_token(path),
            "title": "My new title",
            "kind": "it_delivery",
            "status": "in_progress",
            "version": stale,
            "forecast_date": day_month_year(BASELINE),
        },
    )
    assert response.status_code == 200
    assert "This milestone was changed by Helen Carter" in error_summary(response)
    assert 'value="My new title"' in text(response)
    assert "Go-live (changed)" in text(response)  # their version, shown beside the form
    assert db.session.get(Milestone, milestone.id).title == "Go-live (changed)"


def test_the_update_page_saves_every_row_in_one_go(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme = make_programme(pm)
    go_live = make_milestone(programme, "Go-live")
    training = make_milestone(programme, "Training", baseline=TODAY - timedelta(days=3))
    make_milestone(
        programme,
        "Done already",
        baseline=TODAY - timedelta(days=90),
        status=MilestoneStatus.COMPLETE,
        actual_date=TODAY - timedelta(days=91),
    )
    page = client.get("/programmes/DIG-001/milestones/update")
    assert "Go-live" in text(page) and "Training" in text(page)
    assert "Done already" not in text(page)  # only open milestones
    assert "3 days late" not in text(page) and "On time" in text(page)

    moved = BASELINE + timedelta(days=14)
    data = {"csrf_token": csrf_token_from(page)}
    data |= row_data(0, go_live, forecast_date=day_month_year(moved))
    data |= row_data(1, training, status="complete", actual_date=day_month_year(TODAY - timedelta(days=1)))
    response = client.post("/programmes/DIG-001/milestones/update", data=data)
    assert response.status_code == 200
    assert "Go-live: Give a reason for moving the forecast" in error_summary(response)
    assert 'id="rows-0-reason-error"' in text(response)
    assert f'name="rows-0-forecast_date" type="text" value="{moved.day}"' in text(response)  # input kept

    data["rows-0-reason"] = "Supplier test environment down"
    response = client.post("/programmes/DIG-001/milestones/update", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Milestone, go_live.id).forecast_date == moved
    assert db.session.get(Milestone, training.id).status is MilestoneStatus.COMPLETE
    kinds = db.session.scalars(select(MilestoneChange.kind).order_by(MilestoneChange.id)).all()
    assert kinds == [ChangeKind.FORECAST_MOVED, ChangeKind.ACTUAL_RECORDED, ChangeKind.STATUS_CHANGED]
    assert db.session.get(Programme, programme.id).last_update_at is not None
    page = text(client.get("/programmes/DIG-001/milestones/"))
    assert "Supplier test environment down" in page and "14 days late" in page


def test_an_actual_date_cannot_be_in_the_future(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    milestone = make_milestone(make_programme(pm))
    data = {"csrf_token": auth.csrf_token("/programmes/DIG-001/milestones/update")}
    data |= row_data(0, milestone, status="complete", actual_date=day_month_year(TODAY + timedelta(days=2)))
    response = client.post("/programmes/DIG-001/milestones/update", data=data)
    assert "Go-live: The actual date cannot be in the future" in error_summary(response)


def test_a_row_someone_else_changed_saves_nothing_and_names_the_milestone_and_person(
    client, auth, make_user
) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme = make_programme(pm)
    go_live, training = make_milestone(programme, "Go-live"), make_milestone(programme, "Training")
    data = {"csrf_token": auth.csrf_token("/programmes/DIG-001/milestones/update")}
    data |= row_data(
        0, go_live, forecast_date=day_month_year(BASELINE + timedelta(days=7)), reason="Late kit"
    )
    data |= row_data(1, training, forecast_date=day_month_year(BASELINE + timedelta(days=9)), reason="Rooms")
    changed = db.session.get(Milestone, training.id)
    changed.forecast_date = BASELINE + timedelta(days=1)
    changed.updated_by_id = make_user(Role.PROGRAMME_MANAGER, name="Tom Barker").id
    db.session.commit()

    response = client.post("/programmes/DIG-001/milestones/update", data=data)

    assert response.status_code == 200
    assert "Training: This milestone was changed by Tom Barker" in error_summary(response)
    assert "Late kit" in text(response) and "Rooms" in text(response)  # nothing typed is lost
    db.session.expire_all()
    assert db.session.get(Milestone, go_live.id).forecast_date == BASELINE
    # The page now carries the new version: saving again applies this person's values.
    data["rows-1-version"] = db.session.get(Milestone, training.id).version
    assert client.post("/programmes/DIG-001/milestones/update", data=data).status_code == 302


def test_a_programme_manager_updates_their_own_programme_only(client, auth, make_user) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    own = make_milestone(make_programme(pm))
    other = make_milestone(make_programme(make_user(Role.PROGRAMME_MANAGER), "OTH-001"))
    token = auth.csrf_token("/programmes/DIG-001/milestones/update")
    assert (
        client.post(
            "/programmes/DIG-001/milestones/update", data={"csrf_token": token} | row_data(0, own)
        ).status_code
        == 302
    )
    response = client.post(
        "/programmes/OTH-001/milestones/update", data={"csrf_token": token} | row_data(0, other)
    )
    assert response.status_code == 403
    # A milestone of another programme posted through one's own is refused, not saved.
    response = client.post(
        "/programmes/DIG-001/milestones/update", data={"csrf_token": token} | row_data(0, other)
    )
    assert "no longer part of this programme" in error_summary(response)


def test_rebaseline_request_then_cio_decision(client, auth, make_user) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    milestone = make_milestone(make_programme(pm))
    path = f"/programmes/DIG-001/milestones/{milestone.id}/rebaseline"
    token = auth.csrf_token(path)
    response = client.post(
        path, data={"csrf_token": token, "proposed_date": day_month_year(BASELINE), "reason": ""}
    )
    summary = error_summary(response)
    assert "Give a reason for the new baseline" in summary
    proposed = BASELINE + timedelta(days=40)
    response = client.post(
        path,
        data={"csrf_token": token, "proposed_date": day_month_year(proposed), "reason": "Supplier insolvent"},
    )
    assert response.status_code == 302
    request_id = db.session.scalars(
        select(RebaselineRequest.id).where(RebaselineRequest.milestone_id == milestone.id)
    ).one()
    elsewhere = make_milestone(
        make_programme(make_user(Role.PROGRAMME_MANAGER), "OTH-002"), "Data centre exit"
    )
    db.session.add(RebaselineRequest(milestone_id=elsewhere.id, proposed_date=proposed, reason="Other"))
    db.session.commit()

    # The programme manager sees their own request waiting, not another programme's, and cannot decide.
    own = text(client.get("/rebaselines/"))
    assert "Your change and re-baseline requests" in own and "Go-live" in own and "40 days later" in own
    assert "Waiting for a CIO's decision" in own
    assert "Data centre exit" not in own and f"/rebaselines/{request_id}" not in own
    assert client.get(f"/rebaselines/{request_id}").status_code == 403

    auth.sign_out()
    cio = make_user(Role.CIO, name="Helen Carter")
    auth.sign_in(cio.email)
    queue = text(client.get("/rebaselines/"))
    assert (
        "Supplier insolvent" not in queue
        and "40 days later" in queue
        and f"/rebaselines/{request_id}" in queue
        and "Data centre exit" in queue
    )
    decide = f"/rebaselines/{request_id}"
    token = auth.csrf_token(decide)
    assert "Choose whether to approve or reject" in error_summary(
        client.post(decide, data={"csrf_token": token})
    )
    assert client.post(decide, data={"csrf_token": token, "decision": "approve"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Milestone, milestone.id).baseline_date == proposed
    assert db.session.get(RebaselineRequest, request_id).status is RequestStatus.APPROVED

    again = client.post(decide, data={"csrf_token": token, "decision": "reject", "note": "No"})
    assert "already approved by Helen Carter" in error_summary(again)
    assert "cannot be decided again" in text(again)


def test_every_rebaseline_page_says_from_which_date_to_which(client, auth, make_user) -> None:
    pm = make_user(Role.PROGRAMME_MANAGER, name="Pat Manager")
    auth.sign_in(pm.email)
    milestone = make_milestone(make_programme(pm))
    proposed = BASELINE + timedelta(days=75)
    moved = f"from {uk_date(BASELINE)} to {uk_date(proposed)}"
    path = f"/programmes/DIG-001/milestones/{milestone.id}/rebaseline"
    data = {
        "csrf_token": auth.csrf_token(path),
        "proposed_date": day_month_year(proposed),
        "reason": "Supplier",
    }
    assert client.post(path, data=data).status_code == 302
    waiting = text(client.get("/programmes/DIG-001/milestones/"))
    assert f"Go-live</a>: {moved}, asked by Pat Manager" in waiting
    assert (
        f"From {uk_date(BASELINE)} to {uk_date(proposed)} (the baseline moves only if the CIO approves)"
        in waiting
    )
    assert "Re-baseline requested (the baseline moves only if the CIO approves)" in waiting

    auth.sign_out()
    cio = make_user(Role.CIO, name="Helen Carter")
    auth.sign_in(cio.email)
    request_id = db.session.scalars(select(RebaselineRequest.id)).one()
    decide = f"/rebaselines/{request_id}"
    assert f"From {uk_date(BASELINE)} to {uk_date(proposed)} (75 days later)" in text(client.get(decide))
    token = auth.csrf_token(decide)
    assert client.post(decide, data={"csrf_token": token, "decision": "approve"}).status_code == 302

    # Once approved the latest baseline is the new date, and every page still says where it came from.
    decided = text(client.get(decide))
    assert f"Approved by Helen Carter on {uk_date(TODAY)}: the baseline moved {moved}" in decided
    assert "(75 days later)" in decided and "no change" not in decided
    queue = text(client.get("/rebaselines/"))
    recent = queue[queue.index("Recent decisions") :]
    assert uk_date(BASELINE) in recent and f"the baseline moved {moved}" in recent
    milestones = text(client.get("/programmes/DIG-001/milestones/"))
    assert "Re-baseline approved: the baseline moved" in milestones

    history = text(client.get("/programmes/DIG-001/history"))
    request_card = history[history.index(">Request</strong>") :]
    assert f"Asked to move the baseline of Go-live {moved}" in request_card
    assert "Baseline asked for (not changed until approved)" in request_card
    approval = history[history.index(">Approved change</strong>") : history.index(">Request</strong>")]
    assert f"Approved moving the baseline of Go-live {moved}" in approval and "Helen Carter" in approval


def test_a_rejected_rebaseline_says_the_baseline_stayed(client, auth, make_user) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    milestone = make_milestone(make_programme(pm))
    proposed = BASELINE + timedelta(days=10)
    path = f"/programmes/DIG-001/milestones/{milestone.id}/rebaseline"
    data = {
        "csrf_token": auth.csrf_token(path),
        "proposed_date": day_month_year(proposed),
        "reason": "Supplier",
    }
    client.post(path, data=data)
    auth.sign_out()
    auth.sign_in(make_user(Role.CIO, name="Helen Carter").email)
    decide = f"/rebaselines/{db.session.scalars(select(RebaselineRequest.id)).one()}"
    token = auth.csrf_token(decide)
    client.post(decide, data={"csrf_token": token, "decision": "reject", "note": "Find another supplier"})

    decided = text(client.get(decide))
    assert f"Rejected by Helen Carter on {uk_date(TODAY)}: the baseline stayed {uk_date(BASELINE)}" in decided
    history = text(client.get("/programmes/DIG-001/history"))
    assert ">Rejected request</strong>" in history
    assert "Re-baseline rejected: the baseline did not move" in text(
        client.get("/programmes/DIG-001/milestones/")
    )


def test_the_page_issues_the_same_number_of_queries_for_3_or_30_milestones(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme = make_programme(pm)
    counts = []
    for total in (3, 30):
        while len(db.session.scalars(select(Milestone.id)).all()) < total:
            milestone = make_milestone(programme, f"Milestone {total}")
            db.session.add_all(
                [
                    MilestoneChange(milestone_id=milestone.id, kind=ChangeKind.CREATED, changed_by_id=pm.id),
                    RebaselineRequest(
                        milestone_id=milestone.id, proposed_date=BASELINE, reason="r", requested_by_id=pm.id
                    ),
                ]
            )
            db.session.commit()
        with counting_queries() as statements:
            assert client.get("/programmes/DIG-001/milestones/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_random_input_to_the_update_page_never_causes_a_server_error(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    milestone = make_milestone(make_programme(pm))
    token = auth.csrf_token("/programmes/DIG-001/milestones/update")

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        forecast=st.lists(st.text(max_size=12), max_size=4),
        actual=st.lists(st.text(max_size=12), max_size=4),
        status=st.sampled_from(["not_started", "in_progress", "complete", "cancelled"])
        | st.text(max_size=20),
        reason=st.text(max_size=40),
        milestone_id=st.just(str(milestone.id)) | st.text(max_size=24),
        version=st.sampled_from(["1", "2", "3"]) | st.text(max_size=24),
        index=st.sampled_from(["0", "1"]) | st.text(max_size=12),
    )
    def post(forecast, actual, status, reason, milestone_id, version, index) -> None:
        data = {
            "csrf_token": token,
            f"rows-{index}-milestone_id": milestone_id,
            f"rows-{index}-version": version,
            f"rows-{index}-forecast_date": forecast,
            f"rows-{index}-actual_date": actual,
            f"rows-{index}-status": status,
            f"rows-{index}-reason": reason,
        }
        response = client.post("/programmes/DIG-001/milestones/update", data=data)
        assert response.status_code in (200, 302), data

    post()


def test_a_row_number_in_other_digits_is_not_a_row(client, auth) -> None:
    """'²' is a digit to Python but not a number it can read: WTForms took it for a row and failed (500)."""
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    milestone = make_milestone(make_programme(pm))
    token = auth.csrf_token("/programmes/DIG-001/milestones/update")
    for index in ("²", "٣"):
        response = client.post(
            "/programmes/DIG-001/milestones/update",
            data={
                "csrf_token": token,
                f"rows-{index}-milestone_id": str(milestone.id),
                f"rows-{index}-status": "complete",
            },
        )
        assert response.status_code in (200, 302)


def _shows_every_error(response, *messages: str) -> None:
    """Every message in the error summary at once, and the title says there are errors."""
    summary = error_summary(response)
    for message in messages:
        assert message in summary, (message, summary)
    assert text(response).split("<title>")[1].strip().startswith("Error: ")


def test_the_add_and_edit_milestone_forms_show_every_problem_at_once(client, auth) -> None:
    """An actual date in the future (the service's rule) shows with the form's own errors."""
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    milestone = make_milestone(make_programme(pm))
    tomorrow = day_month_year(TODAY + timedelta(days=1))
    wrong = {"title": "", "kind": "", "owner": "x" * 121, "status": "complete", "actual_date": tomorrow}
    add = "/programmes/DIG-001/milestones/new"
    response = client.post(
        add, data={"csrf_token": auth.csrf_token(add), **wrong, "baseline_date": ["", "", ""]}
    )
    _shows_every_error(
        response,
        "Enter a title",
        "Choose a kind",
        "Owner must be 120 characters or fewer",
        "Enter the baseline date",
        "The actual date cannot be in the future",
    )
    assert "Enter the forecast date" not in error_summary(response)  # it defaults to the baseline

    edit = f"/programmes/DIG-001/milestones/{milestone.id}/edit"
    moved = day_month_year(BASELINE + timedelta(days=7))
    response = client.post(
        edit,
        data={
            "csrf_token": auth.csrf_token(edit),
            **wrong,
            "forecast_date": moved,
            "version": milestone.version,
        },
    )
    _shows_every_error(
        response,
        "Enter a title",
        "Choose a kind",
        "The actual date cannot be in the future",
        f"Give a reason for moving the forecast from {uk_date(BASELINE)}",
    )
    assert [m.title for m in db.session.scalars(select(Milestone))] == ["Go-live"]


def test_the_update_page_shows_every_problem_at_once(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme = make_programme(pm)
    first, second = make_milestone(programme, "Go-live"), make_milestone(programme, "Training")
    page = "/programmes/DIG-001/milestones/update"
    data = {"csrf_token": auth.csrf_token(page)}
    data |= row_data(0, first, forecast_date=["31", "2", "2027"])  # the form's own check
    data |= row_data(1, second, forecast_date=day_month_year(BASELINE + timedelta(days=9)))  # no reason

    response = client.post(page, data=data)

    _shows_every_error(response, "Go-live: Forecast date", "Training: Give a reason for moving the forecast")
    assert {m.forecast_date for m in db.session.scalars(select(Milestone))} == {BASELINE}


def test_the_rebaseline_request_shows_every_problem_at_once(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    milestone = make_milestone(make_programme(pm))
    path = f"/programmes/DIG-001/milestones/{milestone.id}/rebaseline"
    token = auth.csrf_token(path)

    # The current baseline again (the service's check) with a reason too long (the form's).
    response = client.post(
        path, data={"csrf_token": token, "proposed_date": day_month_year(BASELINE), "reason": "x" * 1001}
    )

    _shows_every_error(
        response,
        f"The proposed date is the current baseline, {uk_date(BASELINE)}",
        "Why the baseline should move must be 1000 characters or fewer",
    )
    assert db.session.scalars(select(RebaselineRequest)).all() == []

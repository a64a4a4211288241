"""Highlight reports through the pages: draft, change, submit, and frozen for good."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.helpers import csrf_token_from
from tests.web.pages import error_summary
from tracker.domain.calendar import format_date, london_today
from tracker.extensions import db
from tracker.models import Focus, Programme, Rag, Role, StatusUpdate, User
from tracker.models.types import utcnow

BASE = "/programmes/LIB-001/updates"
REPORT = {
    "period_start": ["1", "3", "2026"],
    "period_end": ["31", "3", "2026"],
    "overall": "amber",
    "schedule": "amber",
    "cost": "green",
    "benefits": "green",
    "resources": "red",
    "narrative": "Self-service is live in four of six libraries.\nStaffing is short in two.",
}


@pytest.fixture
def manager(auth) -> User:
    return auth.sign_in_as(Role.PROGRAMME_MANAGER)


@pytest.fixture
def programme_id(manager: User) -> int:
    programme = Programme(code="LIB-001", name="Libraries", directorate="Communities", focus=Focus.BOTH)
    programme.manager_id = manager.id
    db.session.add(programme)
    db.session.commit()
    return programme.id


def add_update(programme_id: int, month: int, *, submitted: bool = False) -> int:
    update = StatusUpdate(
        programme_id=programme_id,
        period_start=date(2026, month, 1),
        period_end=date(2026, month, 28),
        overall=Rag.GREEN,
        schedule=Rag.GREEN,
        cost=Rag.GREEN,
        benefits=Rag.GREEN,
        resources=Rag.GREEN,
        narrative=f"Month {month}",
        submitted_at=utcnow() if submitted else None,
    )
    db.session.add(update)
    db.session.commit()
    return update.id


def post(client: FlaskClient, path: str, data: dict[str, object]):
    token = csrf_token_from(client.get(path))
    return client.post(path, data={"csrf_token": token, **data})


def test_writing_changing_and_submitting_an_update(client, programme_id) -> None:
    created = post(client, f"{BASE}/new", REPORT)
    assert created.status_code == 302
    update_id = db.session.scalars(select(StatusUpdate.id)).one()
    detail = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "Draft saved" in detail and "Submit update" in detail
    assert '<p class="govuk-body">Staffing is short in two.</p>' in detail

    assert (
        post(client, f"{BASE}/{update_id}/edit", {**REPORT, "overall": "red", "version": "1"}).status_code
        == 302
    )
    assert "Once submitted, the update cannot be changed" in client.get(
        f"{BASE}/{update_id}/submit"
    ).get_data(as_text=True)
    submitted = post(client, f"{BASE}/{update_id}/submit", {"version": "2"})
    assert submitted.status_code == 302

    update = db.session.get(StatusUpdate, update_id)
    assert update.is_submitted and update.overall is Rag.RED
    assert db.session.get(Programme, programme_id).last_update_at == update.submitted_at


def test_a_submitted_update_cannot_be_edited(client, programme_id) -> None:
    update_id = add_update(programme_id, 3, submitted=True)
    page = client.get(f"{BASE}/{update_id}/edit")
    assert page.status_code == 200
    assert "can no longer be changed" in page.get_data(as_text=True)
    assert 'name="narrative"' not in page.get_data(as_text=True)

    token = csrf_token_from(client.get(f"{BASE}/"))
    refused = client.post(
        f"{BASE}/{update_id}/edit", data={"csrf_token": token, **REPORT, "narrative": "Rewritten"}
    )
    assert "can no longer be changed" in refused.get_data(as_text=True)
    resubmitted = client.post(f"{BASE}/{update_id}/submit", data={"csrf_token": token})
    assert "can no longer be changed" in resubmitted.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(StatusUpdate, update_id).narrative == "Month 3"


def test_the_detail_of_a_submitted_update_offers_no_changes(client, programme_id) -> None:
    update_id = add_update(programme_id, 3, submitted=True)
    page = client.get(f"{BASE}/{update_id}").get_data(as_text=True)
    assert "Submitted on" in page
    assert "Change draft" not in page and "Submit update" not in page


def test_missing_ratings_and_a_backwards_period_are_explained(client, programme_id) -> None:
    data = {**REPORT, "period_end": ["1", "2", "2026"], "cost": "", "narrative": ""}
    body = post(client, f"{BASE}/new", data).get_data(as_text=True)
    assert "There is a problem" in body
    assert "Select green, amber or red for cost" in body
    assert "Enter the narrative" in body
    assert db.session.scalars(select(StatusUpdate)).all() == []

    body = post(client, f"{BASE}/new", {**REPORT, "period_end": ["1", "2", "2026"]}).get_data(as_text=True)
    assert "The end of the period must be on or after its start" in body


def test_a_period_ending_more_than_a_week_ahead_is_refused(client, programme_id) -> None:
    today = london_today(utcnow())
    week_ahead, half_year_ahead = today + timedelta(days=7), today + timedelta(days=182)
    months_ahead = {**REPORT, "period_start": parts(today), "period_end": parts(half_year_ahead)}
    body = post(client, f"{BASE}/new", months_ahead).get_data(as_text=True)
    assert "There is a problem" in body
    assert 'href="#period_end' in body
    assert f"The end of the period must be on or before {format_date(week_ahead)}, a week from today" in body
    assert db.session.scalars(select(StatusUpdate)).all() == []

    assert post(client, f"{BASE}/new", {**months_ahead, "period_end": parts(week_ahead)}).status_code == 302


def parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.mark.parametrize("parts", [["31", "4", "2026"], ["", "", "2026"], ["1", "x", "2026"], ["1"], []])
def test_odd_period_dates_never_cause_a_server_error(client, programme_id, parts: list[str]) -> None:
    response = post(client, f"{BASE}/new", {**REPORT, "period_start": parts})
    assert response.status_code == 200
    assert "Start of the period" in response.get_data(as_text=True)


def test_updates_are_listed_newest_first(client, programme_id) -> None:
    for month in (2, 4, 3):
        add_update(programme_id, month)
    page = client.get(f"{BASE}/").get_data(as_text=True)
    periods = re.findall(r"1 (\w+) 2026 to 28", page)
    assert periods == ["April", "March", "February"]


def test_a_new_update_starts_the_day_after_the_last_one_ended(client, programme_id) -> None:
    add_update(programme_id, 2)
    page = client.get(f"{BASE}/new").get_data(as_text=True)
    assert re.search(r'id="period_start-day" name="period_start" type="text" value="01"', page)
    assert re.search(r'id="period_start-month" name="period_start" type="text" value="03"', page)


text = st.text(max_size=300)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.fixed_dictionaries({name: text for name in REPORT if not name.startswith("period")}),
    period_start=st.lists(st.text(max_size=12), max_size=4),
    period_end=st.lists(st.text(max_size=12), max_size=4),
)
def test_random_input_to_the_update_form_never_causes_a_server_error(
    client, programme_id, fields: dict[str, str], period_start: list[str], period_end: list[str]
) -> None:
    path = f"{BASE}/new"
    token = csrf_token_from(client.get(path))
    data = {"csrf_token": token, **fields, "period_start": period_start, "period_end": period_end}
    assert client.post(path, data=data).status_code in (200, 302)


def test_the_update_form_shows_every_problem_at_once(client, programme_id) -> None:
    """A backwards period (the service's check) shows with the form's own: a missing rating and narrative."""
    draft = add_update(programme_id, 3)
    data = {**REPORT, "period_end": ["1", "2", "2026"], "cost": "", "narrative": "", "version": "1"}
    for path in (f"{BASE}/new", f"{BASE}/{draft}/edit"):
        response = post(client, path, data)

        summary = error_summary(response)
        assert "The end of the period must be on or after its start" in summary
        assert "Select green, amber or red for cost" in summary
        assert "Enter the narrative" in summary
        assert re.search(r"<title>Error: ", response.get_data(as_text=True))
    assert len(db.session.scalars(select(StatusUpdate)).all()) == 1

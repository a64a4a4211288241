"""Changing a programme through its pages: create, edit (and concurrent edits), team, stage, and who may."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token_from
from tests.web.pages import error_summary, text
from tests.web.programme_data import add_programme, key_facts
from tracker.extensions import db
from tracker.models import Programme, Role, Stage


def version_on(response) -> str:
    """The version a form was read at, from its hidden field."""
    match = re.search(
        r'<input id="version-input" name="version" type="hidden" value="(\d+)"',
        response.get_data(as_text=True),
    )
    assert match, "no version field on the page"
    return match.group(1)


# --- create -----------------------------------------------------------------------------


def test_cio_adds_a_programme(client, auth, make_user) -> None:
    auth.sign_in_as(Role.CIO)
    manager_id = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah").id
    token = auth.csrf_token("/programmes/new")
    data = key_facts(
        code=" dig-009 ", stage="business_case", sro_name="Sam Senior", manager_id=str(manager_id)
    )
    response = client.post("/programmes/new", data={**data, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/programmes/DIG-009/"
    page = client.get("/programmes/DIG-009/")
    assert "Programme DIG-009 added." in text(page)
    programme = db.session.scalar(select(Programme).where(Programme.code == "DIG-009"))
    assert programme.stage is Stage.BUSINESS_CASE and programme.manager_id == manager_id
    assert programme.start_date == date(2026, 4, 1)


def test_create_shows_every_problem_in_the_error_summary(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    token = auth.csrf_token("/programmes/new")
    response = client.post(
        "/programmes/new",
        data={
            "csrf_token": token,
            "code": "not a code",
            "start_date": ["31", "2", "2026"],
            "name": "x" * 201,
        },
    )
    assert response.status_code == 200
    summary = error_summary(response)
    for message in (
        "Enter a code like DIG-004",
        "Field cannot be longer than 200 characters",
        "Enter the directorate that owns the programme",
        "Choose whether the programme improves services, cuts costs, or both",
        "Start date must be a real date",
    ):
        assert message in summary
    page = response.get_data(as_text=True)
    assert page.count('class="govuk-error-message"') >= 5  # each field says it too
    assert "<title>Error: " in page
    assert 'value="NOT A CODE"' in page  # what was typed is kept


def test_a_taken_code_is_refused_in_any_case(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme("DIG-001")
    token = auth.csrf_token("/programmes/new")
    response = client.post("/programmes/new", data={**key_facts(code="dig-001"), "csrf_token": token})
    assert response.status_code == 200
    assert "Code DIG-001 is already used by another programme" in error_summary(response)


def test_end_date_before_start_is_refused(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    token = auth.csrf_token("/programmes/new")
    data = key_facts(code="DIG-002", baseline_end_date=["1", "1", "2026"])
    response = client.post("/programmes/new", data={**data, "csrf_token": token})
    assert "Baseline end date must be the same as or after the start date" in error_summary(response)
    assert db.session.scalar(select(Programme).where(Programme.code == "DIG-002")) is None


def test_a_taken_code_and_dates_out_of_order_are_told_together(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme("DIG-001")
    token = auth.csrf_token("/programmes/new")
    data = key_facts(
        code="DIG-001", baseline_end_date=["1", "1", "2026"], forecast_end_date=["1", "1", "2026"]
    )
    response = client.post("/programmes/new", data={**data, "csrf_token": token})
    summary = error_summary(response)
    assert "Code DIG-001 is already used by another programme" in summary
    assert "Baseline end date must be the same as or after the start date" in summary
    assert "Forecast end date must be the same as or after the start date" in summary


@pytest.mark.parametrize(
    "start", [["a", "b", "c"], ["1", "4"], ["1", "4", "2026", "9"], ["", "4", "2026"], ["99", "99", "99999"]]
)
def test_odd_dates_never_break_the_form(client, auth, start: list[str]) -> None:
    auth.sign_in_as(Role.CIO)
    token = auth.csrf_token("/programmes/new")
    response = client.post(
        "/programmes/new", data={**key_facts(code="DIG-003", start_date=start), "csrf_token": token}
    )
    assert response.status_code == 200
    assert "Start date" in error_summary(response)


# --- edit and concurrent edits ------------------------------------------------------------


def test_second_of_two_concurrent_edits_is_told_and_keeps_its_input(client, auth, make_user) -> None:
    add_programme()
    first_editor = make_user(Role.ADMIN, name="Ada Admin").email
    second_editor = make_user(Role.CIO).email
    auth.sign_in(second_editor)
    mine = client.get("/programmes/DIG-001/edit")
    version = version_on(mine)

    # Someone else saves first, from the same version.
    auth.sign_out()
    auth.sign_in(first_editor)
    theirs = key_facts(name="Digital front door (renamed by Ada)", version=version)
    other_token = auth.csrf_token("/programmes/DIG-001/edit")
    assert (
        client.post("/programmes/DIG-001/edit", data={**theirs, "csrf_token": other_token}).status_code == 302
    )

    # Then me, from my stale copy.
    auth.sign_out()
    auth.sign_in(second_editor)
    token = auth.csrf_token("/programmes/DIG-001/edit")
    mine = key_facts(name="Digital front door phase 2", directorate="Resources", version=version)
    response = client.post("/programmes/DIG-001/edit", data={**mine, "csrf_token": token})
    assert response.status_code == 200
    summary = error_summary(response)
    assert re.search(r"This programme was changed by Ada Admin on \d+ \w+ \d{4} at ", summary)
    page = response.get_data(as_text=True)
    assert 'value="Digital front door phase 2"' in page and 'value="Resources"' in page  # my input kept
    assert "Digital front door (renamed by Ada)" in text(response)  # and theirs shown beside it
    assert db.session.scalar(select(Programme.name)) == "Digital front door (renamed by Ada)"

    # Saving again, knowingly, from the page as it is now, replaces theirs.
    assert version_on(response) == str(int(version) + 1)
    again = {**mine, "version": str(int(version) + 1), "csrf_token": csrf_token_from(response)}
    assert client.post("/programmes/DIG-001/edit", data=again).status_code == 302
    assert db.session.scalar(select(Programme.name)) == "Digital front door phase 2"


def test_edit_validates_like_create(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    version = str(add_programme().version)
    token = auth.csrf_token("/programmes/DIG-001/edit")
    data = key_facts(name="", forecast_end_date=["1", "1", "2020"], version=version)
    response = client.post("/programmes/DIG-001/edit", data={**data, "csrf_token": token})
    assert "Enter the programme's name" in error_summary(response)
    data = key_facts(forecast_end_date=["1", "1", "2020"], version=version)
    response = client.post("/programmes/DIG-001/edit", data={**data, "csrf_token": token})
    assert "Forecast end date must be the same as or after the start date" in error_summary(response)


def test_the_external_reference_is_entered_trimmed_kept_in_history_and_refused_when_too_long(
    client, auth
) -> None:
    auth.sign_in_as(Role.CIO)
    version = str(add_programme().version)
    token = auth.csrf_token("/programmes/DIG-001/edit")
    data = key_facts(external_reference="MOD_" + "9" * 61, version=version)
    response = client.post("/programmes/DIG-001/edit", data={**data, "csrf_token": token})
    assert "External reference must be 64 characters or fewer" in error_summary(response)
    assert db.session.scalar(select(Programme.external_reference)) is None

    data = key_facts(external_reference="  MOD_0106_1617-Q1 ", version=version)
    assert client.post("/programmes/DIG-001/edit", data={**data, "csrf_token": token}).status_code == 302
    assert db.session.scalar(select(Programme.external_reference)) == "MOD_0106_1617-Q1"
    assert "(return reference MOD_0106_1617-Q1)" in text(client.get("/programmes/DIG-001/"))
    history = text(client.get("/programmes/DIG-001/history"))
    assert "External reference" in history and "MOD_0106_1617-Q1" in history
    edit = client.get("/programmes/DIG-001/edit")
    assert 'value="MOD_0106_1617-Q1"' in edit.get_data(as_text=True)

    # Cleared, it is no reference at all (not an empty one the next import could match).
    data = key_facts(external_reference="  ", version=version_on(edit))
    assert client.post("/programmes/DIG-001/edit", data={**data, "csrf_token": token}).status_code == 302
    assert db.session.scalar(select(Programme.external_reference)) is None


def test_a_new_programme_can_carry_its_return_reference(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    token = auth.csrf_token("/programmes/new")
    data = key_facts(code="DIG-010", external_reference="aafc-agriclient-crm")
    assert client.post("/programmes/new", data={**data, "csrf_token": token}).status_code == 302
    programme = db.session.scalar(select(Programme).where(Programme.code == "DIG-010"))
    assert programme.external_reference == "aafc-agriclient-crm"
    assert "aafc-agriclient-crm" in text(client.get("/programmes/DIG-010/history"))


# --- team and stage -----------------------------------------------------------------------


def test_team_page_assigns_sro_manager_and_members(client, auth, make_user) -> None:
    auth.sign_in_as(Role.CIO)
    manager = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    member = make_user(Role.PROGRAMME_MANAGER, name="Tom Barker")
    viewer = make_user(Role.VIEWER, name="Vic Viewer")
    manager_id, member_id, viewer_id = manager.id, member.id, viewer.id
    version = add_programme().version
    page = client.get("/programmes/DIG-001/team").get_data(as_text=True)
    assert f'<option value="{viewer_id}"' not in page  # viewers cannot manage a programme
    data = {
        "sro_name": "Sam Senior",
        "manager_id": str(manager_id),
        "members": [str(member_id)],
        "version": str(version),
        "csrf_token": csrf_token_from(client.get("/programmes/DIG-001/team")),
    }
    assert client.post("/programmes/DIG-001/team", data=data).status_code == 302
    words = text(client.get("/programmes/DIG-001/"))
    assert "Programme manager Priya Shah" in words and "Team Tom Barker" in words
    bad = {**data, "manager_id": str(viewer_id), "version": str(version + 1)}
    assert client.post("/programmes/DIG-001/team", data=bad).status_code == 200


def test_pause_then_resume(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme()
    token = auth.csrf_token("/programmes/DIG-001/stage")
    response = client.post(
        "/programmes/DIG-001/stage", data={"change": "pause", "version": "1", "csrf_token": token}
    )
    assert response.status_code == 302
    assert "Paused" in text(client.get("/programmes/DIG-001/"))
    response = client.post(
        "/programmes/DIG-001/stage", data={"change": "resume", "version": "2", "csrf_token": token}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Programme.paused)) is False


def test_the_stage_page_pauses_and_sends_moves_and_closing_to_the_gates(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme()
    page = client.get("/programmes/DIG-001/stage")
    assert "ask for a gate decision" in text(page)
    assert 'href="/programmes/DIG-001/gates/"' in page.get_data(as_text=True)
    token = auth.csrf_token("/programmes/DIG-001/stage")
    for change in ("move", "close"):
        data = {"change": change, "stage": "closing", "reason": "Done", "version": "1", "csrf_token": token}
        refused = client.post("/programmes/DIG-001/stage", data=data)
        assert refused.status_code == 200 and "Not a valid choice" in error_summary(refused)
    assert db.session.scalar(select(Programme.stage)) is Stage.DELIVERY


def test_only_an_admin_reopens_a_closed_programme(client, auth, make_user) -> None:
    admin = make_user(Role.ADMIN).email
    auth.sign_in_as(Role.CIO)
    add_programme(stage=Stage.CLOSED)
    page = text(client.get("/programmes/DIG-001/stage"))
    assert "Only an administrator can reopen it" in page
    token = auth.csrf_token("/programmes/DIG-001/gates/")
    refused = client.post(
        "/programmes/DIG-001/stage", data={"change": "reopen", "version": "1", "csrf_token": token}
    )
    assert refused.status_code == 200 and db.session.scalar(select(Programme.stage)) is Stage.CLOSED

    auth.sign_out()
    auth.sign_in(admin)
    token = auth.csrf_token("/programmes/DIG-001/stage")
    reopen = {"change": "reopen", "version": "1", "csrf_token": token}
    assert client.post("/programmes/DIG-001/stage", data=reopen).status_code == 302
    assert db.session.scalar(select(Programme.stage)) is Stage.CLOSING


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.VIEWER])
def test_only_cio_and_admin_change_a_programme(client, auth, role: Role) -> None:
    user = auth.sign_in_as(role)
    add_programme(manager_id=user.id)
    token = auth.csrf_token("/programmes/")
    for path in (
        "/programmes/new",
        "/programmes/DIG-001/edit",
        "/programmes/DIG-001/team",
        "/programmes/DIG-001/stage",
    ):
        assert client.get(path).status_code == 403
    posts = {
        "/programmes/new": key_facts(code="DIG-002"),
        "/programmes/DIG-001/edit": key_facts(name="Hijacked", version="1"),
        "/programmes/DIG-001/stage": {"change": "close", "reason": "x", "confirm": "yes", "version": "1"},
    }
    for path, data in posts.items():
        assert client.post(path, data={**data, "csrf_token": token}).status_code == 403
    assert db.session.scalar(select(Programme.name)) == "Digital front door"
    assert db.session.scalar(select(Programme.stage)) is Stage.DELIVERY


def test_the_key_facts_forms_show_every_problem_at_once(client, auth) -> None:
    """Dates out of order and an assessment dated ahead (the service's rules) show with the form's own
    errors; adding a programme also says its code is taken."""
    auth.sign_in_as(Role.CIO)
    version = str(add_programme("DIG-001").version)
    data = key_facts(
        code="DIG-001",
        name="",
        focus="",
        forecast_end_date=["1", "1", "2020"],
        confidence="green",
        confidence_assessed_on=["1", "1", str(date.today().year + 1)],
        version=version,
    )
    for path in ("/programmes/new", "/programmes/DIG-001/edit"):
        response = client.post(path, data={**data, "csrf_token": auth.csrf_token(path)})

        summary = error_summary(response)
        assert "Enter the programme's name" in summary
        assert "Choose whether the programme improves services, cuts costs, or both" in summary
        assert "Forecast end date must be the same as or after the start date" in summary
        assert "Date of the assessment must be today or in the past" in summary
        assert re.search(r"<title>Error: ", response.get_data(as_text=True))
    assert "Code DIG-001 is already used by another programme" in error_summary(
        client.post("/programmes/new", data={**data, "csrf_token": auth.csrf_token("/programmes/new")})
    )
    assert db.session.scalars(select(Programme.name)).all() == ["Digital front door"]

"""A programme's actions and decisions on its RAID page: adding, marking done, the overdue flag on the
overview with its reason, every problem at once, History, and a fixed query count."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from tests.helpers import csrf_token_from
from tests.web.pages import counting_queries, error_summary, get, text
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    Decision,
    DecisionStatus,
    Focus,
    Programme,
    ProgrammeAction,
    RegisterEntry,
    Role,
    Stage,
    User,
)

BASE = "/programmes/FIN-002/risks"
TODAY = date.today()


@pytest.fixture(autouse=True)
def on_today(time_machine) -> None:
    """TODAY is read once, at import: the clock stays on that day for the whole run, past midnight too."""
    time_machine.move_to(datetime.combine(TODAY, time(12), tzinfo=UTC), tick=True)


def parts(day: date | None) -> list[str]:
    return ["", "", ""] if day is None else [str(day.day), str(day.month), str(day.year)]


def action_form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "title": "Sign the data sharing agreement",
        "description": "With the NHS trust",
        "owner": "Sarah Quinn",
        "due_date": parts(TODAY + timedelta(days=14)),
        "entry_id": "",
        "status": "open",
        "done_on": parts(None),
    }
    return {**form, **changes}


DECISION = {
    "title": "Buy through the framework",
    "detail": "Quicker than a tender",
    "decided_by": "Programme board",
    "decided_on": ["2", "10", "2026"],
    "status": "made",
}


@pytest.fixture
def manager(auth) -> User:
    return auth.sign_in_as(Role.PROGRAMME_MANAGER)


@pytest.fixture
def programme_id(manager: User) -> int:
    programme = Programme(
        code="FIN-002",
        name="ERP",
        directorate="Resources",
        focus=Focus.BOTH,
        stage=Stage.BUSINESS_CASE,
        manager_id=manager.id,
        last_update_at=None,
    )
    db.session.add(programme)
    db.session.commit()
    return programme.id


def post(client, path: str, data: dict[str, object]):
    token = csrf_token_from(client.get(path))
    return client.post(path, data={"csrf_token": token, **data})


def test_an_action_past_its_due_date_shows_the_programme_amber_with_the_reason(client, programme_id) -> None:
    risk = RegisterEntry(programme_id=programme_id, title="Trust will not share data", likelihood=3, impact=4)
    db.session.add(risk)
    db.session.commit()
    due = TODAY - timedelta(days=6)

    response = post(client, f"{BASE}/actions/new", action_form(due_date=parts(due), entry_id=str(risk.id)))

    action = db.session.scalars(select(ProgrammeAction)).one()
    assert response.headers["Location"].endswith(f"/risks/#action-{action.id}")
    register = get(client, f"{BASE}/")
    row = text(client.get(f"{BASE}/")).split("Sign the data sharing agreement", 1)[1][:300]
    assert "Action added: Sign the data sharing agreement" in register
    assert "Responds to risk ‘Trust will not share data’" in row and "6 days overdue" in row
    assert f'id="action-{action.id}"' in register
    overview = text(client.get("/programmes/FIN-002/"))
    assert "Amber" in overview
    assert (
        "Action 'Sign the data sharing agreement' is 6 days overdue "
        f"(due {due.day} {due:%B %Y}, owner Sarah Quinn)" in overview
    )
    assert f'href="/programmes/FIN-002/risks/#action-{action.id}"' in get(client, "/programmes/FIN-002/")

    done = post(client, f"{BASE}/actions/{action.id}/done", {"version": "1"})
    assert done.status_code == 302
    assert "Done on" in get(client, f"{BASE}/")
    assert "overdue" not in text(client.get("/programmes/FIN-002/")).lower()


def test_every_problem_with_an_action_shows_at_once_and_what_was_typed_stays(client, programme_id) -> None:
    response = post(
        client,
        f"{BASE}/actions/new",
        action_form(title="", owner="Ann Lee", due_date=["31", "2", "2027"], status="", entry_id="999"),
    )

    summary = error_summary(response)
    assert "Enter the title" in summary
    assert "Due date (optional) must be a real date" in summary
    assert "Select whether it is open or done" in summary
    assert "Not a valid choice" in summary
    page = response.get_data(as_text=True)
    assert 'value="Ann Lee"' in page
    assert re.search(r"<legend[^>]*>\s*Status\s*</legend>", page)
    assert db.session.scalars(select(ProgrammeAction)).all() == []


def test_a_decision_is_recorded_changed_and_shown_latest_first_and_in_history(client, programme_id) -> None:
    assert post(client, f"{BASE}/decisions/new", DECISION).status_code == 302
    older = DECISION | {"title": "Older", "decided_on": ["1", "1", "2026"]}
    assert post(client, f"{BASE}/decisions/new", older).status_code == 302
    decision = db.session.scalar(select(Decision).where(Decision.title == "Buy through the framework"))
    changed = post(
        client, f"{BASE}/decisions/{decision.id}/edit", DECISION | {"status": "superseded", "version": "1"}
    )
    assert changed.status_code == 302

    page = text(client.get(f"{BASE}/"))
    assert page.index("Buy through the framework") < page.index("Older")
    assert "Programme board 2 October 2026 Superseded" in page
    history = text(client.get("/programmes/FIN-002/history"))
    assert "Recorded decision 'Buy through the framework'" in history
    assert "Changed decision 'Buy through the framework'" in history


def test_a_future_decision_date_is_refused_unless_proposed(client, programme_id) -> None:
    soon = parts(TODAY + timedelta(days=7))
    refused = post(client, f"{BASE}/decisions/new", DECISION | {"decided_on": soon})
    assert "The date decided must be today or in the past" in error_summary(refused)
    proposed = DECISION | {"decided_on": soon, "status": "proposed"}
    assert post(client, f"{BASE}/decisions/new", proposed).status_code == 302
    assert db.session.scalar(select(Decision)).status is DecisionStatus.PROPOSED


def test_deleting_an_action_asks_first_and_history_keeps_it(client, programme_id) -> None:
    action = ProgrammeAction(programme_id=programme_id, title="Old action", owner="Jo")
    db.session.add(action)
    db.session.commit()

    assert "Are you sure you want to delete the action ‘Old action’?" in get(
        client, f"{BASE}/actions/{action.id}/delete"
    )
    assert post(client, f"{BASE}/actions/{action.id}/delete", {"version": "1"}).status_code == 302
    assert db.session.get(ProgrammeAction, action.id) is None
    assert "Deleted action 'Old action'" in text(client.get("/programmes/FIN-002/history"))


def test_a_viewer_sees_actions_and_decisions_but_no_changes(client, auth, programme_id) -> None:
    db.session.add_all(
        [
            ProgrammeAction(programme_id=programme_id, title="Book trainers", owner="Jo", due_date=None),
            Decision(programme_id=programme_id, title="Adults first", decided_by="DMT"),
        ]
    )
    db.session.commit()
    auth.sign_out()
    auth.sign_in_as(Role.VIEWER)

    page = text(client.get(f"{BASE}/"))

    assert "Risks, actions, issues and decisions" in page
    assert "Book trainers" in page and "Not known" in page and "Adults first" in page
    assert "Add an action" not in page and "Record a decision" not in page and "Mark done" not in page


def test_marking_a_done_action_done_again_says_when(client, programme_id) -> None:
    action = ProgrammeAction(
        programme_id=programme_id, title="Done", status=ActionStatus.DONE, done_on=date(2026, 11, 2)
    )
    db.session.add(action)
    db.session.commit()

    assert "This action was done on 2 November 2026." in text(client.get(f"{BASE}/actions/{action.id}/done"))
    response = post(client, f"{BASE}/actions/{action.id}/done", {"version": "1"})
    assert "This action was already done on 2 November 2026" in error_summary(response)


def test_the_register_page_costs_the_same_queries_with_3_or_60_of_each(client, programme_id) -> None:
    def add(count: int, first_id: int) -> None:
        db.session.execute(insert(RegisterEntry), [
            {"id": first_id + n, "programme_id": programme_id, "title": f"Risk {n}", "likelihood": 3,
             "impact": 3} for n in range(count)])  # fmt: skip
        db.session.execute(insert(ProgrammeAction), [
            {"id": first_id + n, "programme_id": programme_id, "title": f"Act {n}", "owner": "Jo",
             "due_date": TODAY - timedelta(days=n), "entry_id": first_id + n}
            for n in range(count)])  # fmt: skip
        db.session.execute(insert(Decision), [
            {"id": first_id + n, "programme_id": programme_id, "title": f"Decide {n}", "decided_by": "Board"}
            for n in range(count)])  # fmt: skip
        db.session.commit()

    add(3, first_id=100)
    client.get(f"{BASE}/")
    with counting_queries() as small:
        assert "Act 2" in get(client, f"{BASE}/")
    add(57, first_id=1_000)
    with counting_queries() as large:
        page = get(client, f"{BASE}/")
    assert "Act 56" in page and "Decide 56" in page
    assert len(small) == len(large)


text_input = st.text(max_size=200)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.fixed_dictionaries(
        {name: text_input for name in ("title", "description", "owner", "entry_id", "status", "version")}
    ),
    due_date=st.lists(st.text(max_size=12), max_size=4),
    done_on=st.lists(st.text(max_size=12), max_size=4),
)
def test_random_input_to_the_action_form_never_causes_a_server_error(
    client, programme_id, fields: dict[str, str], due_date: list[str], done_on: list[str]
) -> None:
    path = f"{BASE}/actions/new"
    token = csrf_token_from(client.get(path))
    response = client.post(
        path, data={"csrf_token": token, **fields, "due_date": due_date, "done_on": done_on}
    )
    assert response.status_code in (200, 302)

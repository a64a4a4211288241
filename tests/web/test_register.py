"""The register page: adding, scoring, the matrix, raising issues, and two people editing at once."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.helpers import csrf_token_from
from tests.web.pages import error_summary
from tracker.extensions import db
from tracker.models import (
    AuditAction,
    AuditEvent,
    EntryKind,
    EntryStatus,
    Focus,
    Programme,
    RegisterEntry,
    Role,
    User,
)

BASE = "/programmes/FIN-002/risks"
ENTRY = {
    "kind": "risk",
    "title": "Payroll errors at go-live",
    "description": "",
    "likelihood": "3",
    "impact": "5",
    "owner": "Sarah Quinn",
    "response": "treat",
    "mitigation": "Two parallel runs",
    "review_date": ["1", "12", "2026"],
    "status": "open",
}


@pytest.fixture
def manager(auth) -> User:
    return auth.sign_in_as(Role.PROGRAMME_MANAGER)


@pytest.fixture
def programme_id(manager: User) -> int:
    programme = Programme(
        code="FIN-002", name="ERP", directorate="Resources", focus=Focus.BOTH, manager_id=manager.id
    )
    db.session.add(programme)
    db.session.commit()
    return programme.id


def add_entry(programme_id: int, title: str, likelihood: int, impact: int, **extra: object) -> int:
    entry = RegisterEntry(
        programme_id=programme_id, title=title, likelihood=likelihood, impact=impact, **extra
    )
    db.session.add(entry)
    db.session.commit()
    return entry.id


def post(client: FlaskClient, path: str, data: dict[str, object]):
    token = csrf_token_from(client.get(path))
    return client.post(path, data={"csrf_token": token, **data})


def cell(page: str, likelihood: int, impact: int) -> str:
    """What a screen reader hears in one matrix cell."""
    match = re.search(
        rf'data-likelihood="{likelihood}" data-impact="{impact}">(.*?)</td>', page, flags=re.DOTALL
    )
    assert match, f"no cell for likelihood {likelihood}, impact {impact}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_adding_a_risk_scores_it_and_shows_it_in_the_register(client, programme_id) -> None:
    response = post(client, f"{BASE}/new", ENTRY)
    entry = db.session.scalars(select(RegisterEntry)).one()
    assert response.headers["Location"].endswith(f"/risks/#entry-{entry.id}")

    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert f'id="entry-{entry.id}"' in page
    assert "Risk added: Payroll errors at go-live (score 15)" in page
    assert cell(page, 3, 5) == "Likelihood 3, impact 5, score 15 (high): 1 open"


@pytest.mark.parametrize("likelihood", ["0", "6", "", "three"])
def test_a_likelihood_outside_one_to_five_is_refused(client, programme_id, likelihood: str) -> None:
    response = post(client, f"{BASE}/new", {**ENTRY, "likelihood": likelihood})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in body and "Select the likelihood, from 1 to 5" in body
    assert 'href="#likelihood"' in body
    assert re.search(r"<legend[^>]*>\s*Likelihood\s*</legend>", body)  # the radios say what they ask
    assert db.session.scalars(select(RegisterEntry)).all() == []


def test_odd_review_dates_are_explained(client, programme_id) -> None:
    for parts in (["30", "2", "2027"], ["x", "y", "z"], ["1", "2"], ["1", "1", "3000"]):
        response = post(client, f"{BASE}/new", {**ENTRY, "review_date": parts})
        assert response.status_code == 200
        assert "Review date" in response.get_data(as_text=True)
    assert db.session.scalars(select(RegisterEntry)).all() == []


def test_the_matrix_counts_open_entries_per_cell(client, programme_id) -> None:
    add_entry(programme_id, "A", 4, 2)
    add_entry(programme_id, "B", 4, 2)
    add_entry(programme_id, "C", 1, 5, kind=EntryKind.ISSUE)
    add_entry(programme_id, "Closed", 4, 2, status=EntryStatus.CLOSED)

    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert cell(page, 4, 2) == "Likelihood 4, impact 2, score 8 (medium): 2 open"
    assert cell(page, 1, 5) == "Likelihood 1, impact 5, score 5 (medium): 1 open"
    assert cell(page, 5, 5) == "Likelihood 5, impact 5, score 25 (high): 0 open"
    assert "3 open entries by likelihood and impact" in page
    rows = re.findall(r'<th scope="row" class="govuk-table__header">Likelihood (\d)</th>', page)
    assert rows == ["5", "4", "3", "2", "1"]


def test_raising_an_issue_from_a_risk(client, programme_id) -> None:
    risk_id = add_entry(programme_id, "Supplier goes bust", 2, 5, owner="Priya Shah")
    page = client.get(f"{BASE}/{risk_id}/raise-issue").get_data(as_text=True)
    assert "this risk is closed" in page

    response = post(client, f"{BASE}/{risk_id}/raise-issue", {"version": "1"})
    assert response.status_code == 302
    issue = db.session.scalars(select(RegisterEntry).where(RegisterEntry.kind == EntryKind.ISSUE)).one()
    assert (issue.title, issue.owner, issue.raised_from_id) == ("Supplier goes bust", "Priya Shah", risk_id)
    assert db.session.get(RegisterEntry, risk_id).status is EntryStatus.CLOSED
    register_page = client.get(f"{BASE}/").get_data(as_text=True)
    assert f'href="#entry-{risk_id}">a risk</a>' in register_page

    again = post(client, f"{BASE}/{risk_id}/raise-issue", {"version": "2"})
    assert "This risk is closed" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(RegisterEntry)).all()) == 2


def test_a_second_editor_is_told_who_saved_first_and_keeps_their_input(
    client, programme_id, make_user
) -> None:
    entry_id = add_entry(programme_id, "Integrator staff leave", 3, 3, owner="Priya Shah")
    cio = make_user(Role.CIO, name="Chris Orr")
    entry = db.session.get(RegisterEntry, entry_id)
    entry.impact, entry.updated_by_id = 4, cio.id
    db.session.commit()

    response = post(client, f"{BASE}/{entry_id}/edit", {**ENTRY, "title": "My wording", "version": "1"})
    body = response.get_data(as_text=True)
    assert "This register entry was changed by Chris Orr" in body
    assert "What is saved now" in body
    assert 'value="My wording"' in body
    assert (
        '<input id="version" name="version" type="hidden" value="2">' in body
    )  # saving again will go through
    db.session.expire_all()
    assert db.session.get(RegisterEntry, entry_id).title == "Integrator staff leave"


def test_deleting_asks_first_and_is_recorded(client, programme_id) -> None:
    entry_id = add_entry(programme_id, "Old risk", 1, 1)
    assert "Are you sure you want to delete the risk" in client.get(f"{BASE}/{entry_id}/delete").get_data(
        as_text=True
    )
    assert post(client, f"{BASE}/{entry_id}/delete", {"version": "1"}).status_code == 302
    assert db.session.get(RegisterEntry, entry_id) is None
    deleted = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.DELETE)).one()
    assert deleted.summary == "Deleted risk 'Old risk'"


def test_a_viewer_sees_the_register_but_no_changes(client, auth, programme_id) -> None:
    entry_id = add_entry(programme_id, "Risk", 2, 2)
    auth.sign_out()
    auth.sign_in_as(Role.VIEWER)
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Add a risk or issue" not in page and "Raise as issue" not in page
    token = auth.csrf_token("/programmes/")
    assert client.post(f"{BASE}/{entry_id}/delete", data={"csrf_token": token}).status_code == 403


text = st.text(max_size=300)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.fixed_dictionaries({name: text for name in ENTRY if name != "review_date"} | {"version": text}),
    review_date=st.lists(st.text(max_size=12), max_size=4),
)
def test_random_input_to_the_register_form_never_causes_a_server_error(
    client, programme_id, fields: dict[str, str], review_date: list[str]
) -> None:
    path = f"{BASE}/new"
    token = csrf_token_from(client.get(path))
    response = client.post(path, data={"csrf_token": token, **fields, "review_date": review_date})
    assert response.status_code in (200, 302)


def test_the_entry_form_shows_every_problem_at_once(client, programme_id) -> None:
    response = post(
        client,
        f"{BASE}/new",
        {**ENTRY, "title": "", "likelihood": "6", "impact": "", "review_date": ["31", "2", "2027"]},
    )

    summary = error_summary(response)
    for message in ("Enter the title", "Select the likelihood, from 1 to 5", "Review date"):
        assert message in summary, (message, summary)
    assert "impact" in summary.lower()
    assert re.search(r"<title>Error: ", response.get_data(as_text=True))
    assert db.session.scalars(select(RegisterEntry)).all() == []

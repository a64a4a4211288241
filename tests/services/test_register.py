"""The register: scores on a 1 to 5 scale, a matrix of what is open, and issues raised from risks."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    AuditAction,
    AuditEvent,
    EntryKind,
    EntryStatus,
    Focus,
    Programme,
    RegisterEntry,
    Response,
    Role,
    User,
)
from tracker.services import register
from tracker.services.errors import Conflict, Invalid
from tracker.services.register import EntryValues


@pytest.fixture
def user(app, make_user) -> User:
    return make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")


@pytest.fixture
def programme(app, user: User) -> Programme:
    programme = Programme(
        code="FIN-002", name="ERP", directorate="Resources", focus=Focus.BOTH, manager_id=user.id
    )
    db.session.add(programme)
    db.session.commit()
    return programme


def values(**changes: object) -> EntryValues:
    base: dict[str, object] = {
        "kind": EntryKind.RISK,
        "title": "Payroll errors at go-live",
        "description": "Pay differences found in the parallel run",
        "likelihood": 3,
        "impact": 5,
        "owner": "Sarah Quinn, Head of HR",
        "response": Response.TREAT,
        "mitigation": "Two parallel runs",
        "review_date": date(2026, 12, 1),
    }
    return EntryValues(**{**base, **changes})  # type: ignore[arg-type]


def events(programme: Programme) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.programme_id == programme.id).order_by(AuditEvent.id)
        )
    )


def test_adding_an_entry_scores_it_and_records_it(programme, user) -> None:
    entry = register.create_entry(programme, values=values(), user=user)
    assert entry.score == 15
    [created] = events(programme)
    assert created.action is AuditAction.CREATE and "score 15" in created.summary
    db.session.refresh(programme)
    assert programme.last_update_at is not None


@pytest.mark.parametrize(
    ("field", "value"), [("likelihood", 0), ("likelihood", 6), ("impact", 0), ("impact", 6)]
)
def test_scores_outside_one_to_five_are_refused(programme, user, field: str, value: int) -> None:
    with pytest.raises(Invalid) as refused:
        register.create_entry(programme, values=values(**{field: value}), user=user)
    assert refused.value.field == field
    assert db.session.scalars(select(RegisterEntry)).all() == []


def test_open_entries_come_first_highest_score_first(programme, user) -> None:
    for title, likelihood, impact, status in (
        ("Low", 1, 2, EntryStatus.OPEN),
        ("Closed high", 5, 5, EntryStatus.CLOSED),
        ("High", 4, 5, EntryStatus.OPEN),
    ):
        register.create_entry(
            programme,
            values=values(title=title, likelihood=likelihood, impact=impact, status=status),
            user=user,
        )
    assert [e.title for e in register.list_entries(programme)] == ["High", "Low", "Closed high"]


def test_the_matrix_counts_open_entries_with_likelihood_down_and_impact_across(programme, user) -> None:
    for likelihood, impact, status in ((3, 5, "open"), (3, 5, "open"), (1, 1, "open"), (5, 5, "closed")):
        register.create_entry(
            programme,
            values=values(likelihood=likelihood, impact=impact, status=EntryStatus(status)),
            user=user,
        )
    matrix = register.risk_matrix(register.list_entries(programme))

    assert [row[0].likelihood for row in matrix.rows] == [5, 4, 3, 2, 1]
    assert [cell.impact for cell in matrix.rows[0]] == [1, 2, 3, 4, 5]
    counts = {(c.likelihood, c.impact): c.count for row in matrix.rows for c in row if c.count}
    assert counts == {(3, 5): 2, (1, 1): 1}  # the closed 5x5 is not counted
    assert matrix.total == 3
    assert matrix.rows[2][4].band == "high" and matrix.rows[4][0].band == "low"


def test_raising_an_issue_links_it_to_the_risk_and_closes_the_risk(programme, user) -> None:
    risk = register.create_entry(programme, values=values(), user=user)
    issue = register.raise_issue(programme, risk_id=risk.id, expected_version=risk.version, user=user)

    assert issue.kind is EntryKind.ISSUE
    assert issue.raised_from_id == risk.id
    assert (issue.title, issue.owner, issue.impact, issue.likelihood) == (risk.title, risk.owner, 5, 5)
    assert issue.mitigation == "Two parallel runs"
    db.session.expire_all()
    assert db.session.get(RegisterEntry, risk.id).status is EntryStatus.CLOSED
    summaries = [event.summary for event in events(programme)]
    assert "Raised risk 'Payroll errors at go-live' as an issue" in summaries
    assert any(summary.startswith("Closed risk") for summary in summaries)


def test_only_an_open_risk_can_be_raised_as_an_issue(programme, user) -> None:
    risk = register.create_entry(programme, values=values(), user=user)
    issue = register.raise_issue(programme, risk_id=risk.id, expected_version=None, user=user)
    with pytest.raises(Invalid, match="closed"):
        register.raise_issue(programme, risk_id=risk.id, expected_version=None, user=user)
    with pytest.raises(Invalid, match="already an issue"):
        register.raise_issue(programme, risk_id=issue.id, expected_version=None, user=user)


def test_a_save_from_a_stale_copy_is_refused_and_names_who_saved(programme, user, make_user) -> None:
    entry = register.create_entry(programme, values=values(), user=user)
    seen = entry.version
    cio = make_user(Role.CIO, name="Chris Orr")
    register.update_entry(
        programme, entry_id=entry.id, values=values(impact=4), expected_version=seen, user=cio
    )
    with pytest.raises(Conflict, match="changed by Chris Orr"):
        register.update_entry(
            programme, entry_id=entry.id, values=values(owner="Me"), expected_version=seen, user=user
        )
    db.session.expire_all()
    saved = db.session.get(RegisterEntry, entry.id)
    assert (saved.impact, saved.owner) == (4, "Sarah Quinn, Head of HR")


def test_an_update_records_what_changed(programme, user) -> None:
    entry = register.create_entry(programme, values=values(), user=user)
    register.update_entry(
        programme,
        entry_id=entry.id,
        values=values(likelihood=2, mitigation=""),
        expected_version=entry.version,
        user=user,
    )
    updated = events(programme)[-1]
    assert updated.changes == {"likelihood": [3, 2], "mitigation": ["Two parallel runs", ""]}


def test_deleting_an_entry_keeps_issues_raised_from_it(programme, user) -> None:
    risk = register.create_entry(programme, values=values(), user=user)
    issue = register.raise_issue(programme, risk_id=risk.id, expected_version=None, user=user)
    register.delete_entry(programme, entry_id=risk.id, expected_version=None, user=user)

    db.session.expire_all()
    kept = db.session.get(RegisterEntry, issue.id)
    assert kept is not None and kept.raised_from_id is None
    assert events(programme)[-1].action is AuditAction.DELETE

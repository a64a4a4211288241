"""The RAID view across the portfolio: every open programme's risks and issues (highest score first),
actions and decisions, filtered in the URL, paged, downloadable as CSV, with a query count that does not
grow with the portfolio."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert

from tests.factories import ProgrammeFactory, RegisterEntryFactory
from tests.web.pages import counting_queries, get, table_rows, words
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    Decision,
    DecisionStatus,
    EntryKind,
    EntryStatus,
    Programme,
    ProgrammeAction,
    RegisterEntry,
    Role,
    Stage,
)


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    time_machine.move_to(datetime(2026, 12, 4, 12, 0, tzinfo=UTC), tick=False)


def read_csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


OPEN_TITLES = ["Supplier capacity", "Legacy system down", "Data migration slips"]


@pytest.fixture
def portfolio(make_user) -> None:
    manager = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    digital = ProgrammeFactory(code="DIG-001", directorate="Resources", manager_id=manager.id)
    care = ProgrammeFactory(code="ADU-002", directorate="Adults")
    closed = ProgrammeFactory(code="OLD-003", stage=Stage.CLOSED)
    RegisterEntryFactory(
        programme=digital,
        title="Supplier capacity",
        likelihood=5,
        impact=4,
        owner="Jo Pearce",
        mitigation="Second supplier on the framework",
        review_date=date(2026, 11, 20),
    )
    RegisterEntryFactory(
        programme=care, title="Data migration slips", likelihood=2, impact=3, owner="Sam Lee"
    )
    RegisterEntryFactory(
        programme=care,
        kind=EntryKind.ISSUE,
        title="Legacy system down",
        likelihood=5,
        impact=2,
        review_date=date(2026, 12, 20),
    )
    RegisterEntryFactory(
        programme=digital, title="Old fear", status=EntryStatus.CLOSED, likelihood=4, impact=4
    )
    RegisterEntryFactory(programme=closed, title="Closed programme's risk", likelihood=5, impact=5)


def test_open_entries_of_open_programmes_highest_score_first(client, auth, portfolio) -> None:
    auth.sign_in_as(Role.VIEWER)

    page = get(client, "/risks/")

    rows = table_rows(page)
    assert [row.split(" ")[0] for row in rows] == ["DIG-001", "ADU-002", "ADU-002"]
    assert "Supplier capacity" in rows[0] and "20 high" in rows[0] and "Jo Pearce" in rows[0]
    assert "Review overdue" in rows[0] and "Second supplier" in rows[0]
    assert "Legacy system down" in rows[1] and "Issue" in rows[1] and "10 medium" in rows[1]
    assert "6 medium" in rows[2] and "Review overdue" not in rows[1] + rows[2]
    assert "3 entries in 2 programmes" in words(page)
    assert "Old fear" not in page and "Closed programme's risk" not in page


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("kind=issue", ["Legacy system down"]),
        ("kind=risk&band=high", ["Supplier capacity"]),
        ("band=medium&directorate=Adults", ["Legacy system down", "Data migration slips"]),
        ("status=closed", ["Old fear"]),
        ("status=all&owner=PEARCE", ["Supplier capacity"]),
        ("owner=%25", []),  # a wildcard is a character, not a pattern
        (
            "kind=nonsense&band=huge&status=odd",
            ["Supplier capacity", "Legacy system down", "Data migration slips"],
        ),
    ],
)
def test_the_filters_choose_the_entries(client, auth, portfolio, query: str, titles: list[str]) -> None:
    auth.sign_in_as(Role.CIO)

    page = get(client, f"/risks/?{query}")

    shown = [title for title in [*OPEN_TITLES, "Old fear"] if title in page]
    assert sorted(shown) == sorted(titles)
    if not titles:
        assert "Nothing matches these filters." in page


def test_a_programme_manager_sees_their_own_with_scope_mine(client, auth, portfolio) -> None:
    manager = db.session.scalar(db.select(Programme).where(Programme.code == "DIG-001")).manager
    auth.sign_in(manager.email)

    page = get(client, "/risks/?scope=mine")

    assert "Supplier capacity" in page and "Legacy system down" not in page
    assert "programmes you manage" in page


def test_the_csv_has_every_entry_with_its_score_and_band(client, auth, portfolio) -> None:
    auth.sign_in_as(Role.VIEWER)

    response = client.get("/risks/export.csv?status=all")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response.get_data())
    assert [row["Title"] for row in rows] == [
        "Supplier capacity",
        "Old fear",
        "Legacy system down",
        "Data migration slips",
    ]
    first = rows[0]
    assert (first["Programme code"], first["Score"], first["Band"], first["Owner"]) == (
        "DIG-001",
        "20",
        "High",
        "Jo Pearce",
    )
    assert first["Review date"] == "2026-11-20" and rows[1]["Status"] == "Closed"


def bulk_entries(count: int, first_id: int) -> None:
    programme = db.session.scalar(db.select(Programme).where(Programme.code == "BLK-001"))
    if programme is None:
        programme = ProgrammeFactory(code="BLK-001", directorate="Place")
    db.session.execute(
        insert(RegisterEntry),
        [
            {"id": first_id + n, "programme_id": programme.id, "kind": EntryKind.RISK, "title": f"Bulk {n}",
             "likelihood": 1 + n % 5, "impact": 1 + n % 4, "status": EntryStatus.OPEN}
            for n in range(count)
        ],
    )  # fmt: skip
    db.session.commit()


def bulk_actions_and_decisions(count: int, first_id: int) -> None:
    programme = db.session.scalar(db.select(Programme).where(Programme.code == "BLK-001"))
    db.session.execute(
        insert(ProgrammeAction),
        [
            {"id": first_id + n, "programme_id": programme.id, "title": f"Act {n}", "owner": "Jo",
             "due_date": date(2026, 11, 1 + n % 28), "status": ActionStatus.OPEN}
            for n in range(count)
        ],
    )  # fmt: skip
    db.session.execute(
        insert(Decision),
        [
            {"id": first_id + n, "programme_id": programme.id, "title": f"Decide {n}", "decided_by": "Board",
             "decided_on": date(2026, 10, 1 + n % 28), "status": DecisionStatus.MADE}
            for n in range(count)
        ],
    )  # fmt: skip
    db.session.commit()


def test_the_page_and_the_csv_cost_the_same_queries_at_10_and_300_entries(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    bulk_entries(10, first_id=1_000)
    bulk_actions_and_decisions(10, first_id=1_000)
    client.get("/risks/")  # warm up
    with counting_queries() as page_at_10:
        assert "30 entries in 1 programme" in words(get(client, "/risks/?directorate=Place"))
    with counting_queries() as csv_at_10:
        assert len(read_csv(client.get("/risks/export.csv").get_data())) == 30
    bulk_entries(290, first_id=2_000)
    bulk_actions_and_decisions(290, first_id=2_000)
    with counting_queries() as page_at_300:
        page = words(get(client, "/risks/?directorate=Place&page=4"))
        assert "900 entries in 1 programme" in page
        assert "300 risks, 300 actions ( 300 overdue ), 0 issues and 300 decisions" in page
    with counting_queries() as csv_at_300:
        assert len(read_csv(client.get("/risks/export.csv").get_data())) == 900

    assert len(page_at_10) == len(page_at_300) <= 8
    assert len(csv_at_10) == len(csv_at_300)


@pytest.fixture
def raid(portfolio) -> dict[str, int]:
    """Actions and decisions beside the portfolio's risks and issues."""
    digital = db.session.scalar(db.select(Programme).where(Programme.code == "DIG-001"))
    care = db.session.scalar(db.select(Programme).where(Programme.code == "ADU-002"))
    closed = db.session.scalar(db.select(Programme).where(Programme.code == "OLD-003"))
    risk = db.session.scalar(db.select(RegisterEntry).where(RegisterEntry.title == "Supplier capacity"))
    rows = [
        ProgrammeAction(programme_id=digital.id, title="Call the second supplier", owner="Jo Pearce",
                        due_date=date(2026, 11, 24), entry_id=risk.id),
        ProgrammeAction(programme_id=care.id, title="Book the trainers", owner="Sam Lee",
                        due_date=date(2026, 12, 18)),
        ProgrammeAction(programme_id=care.id, title="Agree the data fix", owner="Sam Lee", due_date=None),
        ProgrammeAction(programme_id=care.id, title="Write the test plan", owner="Sam Lee",
                        due_date=date(2026, 10, 1), status=ActionStatus.DONE, done_on=date(2026, 9, 28)),
        ProgrammeAction(programme_id=closed.id, title="Closed programme's action", due_date=date(2026, 1, 1)),
        Decision(programme_id=digital.id, title="Use the framework", decided_by="Programme board",
                 decided_on=date(2026, 10, 2), detail="Quicker than a tender"),
        Decision(programme_id=care.id, title="Adults first", decided_by="DMT", decided_on=date(2026, 11, 2)),
        Decision(programme_id=care.id, title="Old plan", decided_by="DMT", decided_on=date(2026, 3, 2),
                 status=DecisionStatus.SUPERSEDED),
    ]  # fmt: skip
    db.session.add_all(rows)
    db.session.commit()
    return {row.title: row.id for row in rows}


def test_the_raid_view_shows_risks_and_issues_then_actions_then_decisions(client, auth, raid) -> None:
    auth.sign_in_as(Role.VIEWER)

    page = get(client, "/risks/")

    rows = table_rows(page)
    assert [
        (row.split()[0], next(title for title in [*OPEN_TITLES, *raid] if title in row)) for row in rows
    ] == [
        ("DIG-001", "Supplier capacity"),
        ("ADU-002", "Legacy system down"),
        ("ADU-002", "Data migration slips"),
        ("DIG-001", "Call the second supplier"),
        ("ADU-002", "Book the trainers"),
        ("ADU-002", "Agree the data fix"),
        ("ADU-002", "Adults first"),
        ("DIG-001", "Use the framework"),
    ]
    assert "Jo Pearce" in rows[3] and "Due 24 November 2026" in rows[3] and "10 days overdue" in rows[3]
    assert "overdue" not in rows[4] and "Due date not known" in rows[5]
    assert "Programme board decided" in rows[7] and "Quicker than a tender" in rows[7]
    assert "2 October 2026" in rows[7]
    assert f'href="/programmes/DIG-001/risks/#action-{raid["Call the second supplier"]}"' in page
    assert f'href="/programmes/DIG-001/risks/#decision-{raid["Use the framework"]}"' in page
    assert "8 entries in 2 programmes" in words(page)
    assert "2 risks, 3 actions ( 1 overdue ), 1 issue and 2 decisions" in words(page)
    assert "Write the test plan" not in page and "Old plan" not in page and "Closed programme" not in page


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("kind=action", ["Call the second supplier", "Book the trainers", "Agree the data fix"]),
        ("status=overdue", ["Call the second supplier"]),
        ("kind=decision&status=all", ["Adults first", "Use the framework", "Old plan"]),
        ("status=closed", ["Old fear", "Write the test plan", "Old plan"]),
        ("owner=board", ["Use the framework"]),
        (
            "owner=sam&directorate=Adults",
            ["Data migration slips", "Book the trainers", "Agree the data fix"],
        ),
        ("band=high", ["Supplier capacity"]),
        ("kind=decision&band=high", []),
    ],
)
def test_the_filters_choose_among_every_kind(client, auth, raid, query: str, titles: list[str]) -> None:
    auth.sign_in_as(Role.CIO)

    page = get(client, f"/risks/?{query}")
    rows = table_rows(page) if "govuk-table__body" in page else []

    every = [*OPEN_TITLES, "Old fear", *raid]
    shown = [title for title in every if any(f" {title} " in f" {row} " for row in rows)]
    assert sorted(shown) == sorted(titles)
    if not titles:
        assert "Nothing matches these filters." in page


def test_the_csv_carries_actions_and_decisions(client, auth, raid) -> None:
    auth.sign_in_as(Role.VIEWER)

    rows = read_csv(client.get("/risks/export.csv?kind=action&status=all").get_data())
    by_title = {row["Title"]: row for row in rows}
    assert list(by_title) == ["Call the second supplier", "Book the trainers", "Agree the data fix",
                              "Write the test plan"]  # fmt: skip
    late = by_title["Call the second supplier"]
    assert (late["Type"], late["Owner"], late["Due date"], late["Days overdue"], late["Status"]) == (
        "Action", "Jo Pearce", "2026-11-24", "10", "Open",
    )  # fmt: skip
    assert (late["Score"], late["Review date"]) == ("", "")
    assert (by_title["Agree the data fix"]["Due date"], by_title["Write the test plan"]["Date done"]) == (
        "", "2026-09-28",
    )  # fmt: skip

    decisions = read_csv(client.get("/risks/export.csv?kind=decision").get_data())
    assert [(row["Title"], row["Decided by"], row["Date decided"], row["Status"]) for row in decisions] == [
        ("Adults first", "DMT", "2026-11-02", "Made"),
        ("Use the framework", "Programme board", "2026-10-02", "Made"),
    ]

"""Milestones across the portfolio: which milestones count as overdue or upcoming, their order, the counts,
the pages, and the rows the CSV is made of."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.factories import MilestoneFactory, ProgrammeFactory
from tracker.extensions import db
from tracker.models import MilestoneStatus, Rag, RiskAssessment, Role, Stage, Trend
from tracker.services.milestones.portfolio import MilestoneQuery, milestones_page, milestones_sheet

TODAY = date(2026, 12, 4)


@pytest.fixture
def viewer(make_user):
    return make_user(Role.VIEWER)


def titles(page) -> list[str]:
    return [row.title for row in page.rows]


def test_overdue_means_open_and_past_its_latest_baseline_most_late_first(app, viewer) -> None:
    programme = ProgrammeFactory(code="DIG-001")
    other = ProgrammeFactory(code="ADU-002", directorate="Adults")
    MilestoneFactory(programme=programme, title="A week late", baseline_date=date(2026, 11, 27))
    MilestoneFactory(
        programme=other, title="A month late", baseline_date=date(2026, 11, 4), forecast_date=None
    )
    MilestoneFactory(programme=programme, title="Due today", baseline_date=TODAY)
    MilestoneFactory(
        programme=programme,
        title="Done late",
        baseline_date=date(2026, 10, 1),
        status=MilestoneStatus.COMPLETE,
        actual_date=date(2026, 11, 1),
    )
    MilestoneFactory(
        programme=programme, title="Happened", baseline_date=date(2026, 10, 1), actual_date=TODAY
    )
    MilestoneFactory(
        programme=programme,
        title="Dropped",
        baseline_date=date(2026, 10, 1),
        status=MilestoneStatus.CANCELLED,
    )
    closed = ProgrammeFactory(code="OLD-001", stage=Stage.CLOSED)
    MilestoneFactory(programme=closed, title="Of a closed programme", baseline_date=date(2026, 10, 1))

    page = milestones_page(viewer, MilestoneQuery(), today=TODAY)

    assert titles(page) == ["A month late", "A week late"]
    assert (page.total, page.programmes) == (2, 2)
    late = page.rows[0]
    assert (late.code, late.days, late.forecast_date, late.directorate) == ("ADU-002", 30, None, "Adults")


def test_upcoming_soonest_first_within_the_weeks_asked(app, viewer) -> None:
    programme = ProgrammeFactory()
    MilestoneFactory(programme=programme, title="Late", baseline_date=date(2026, 12, 3))
    MilestoneFactory(programme=programme, title="In three weeks", baseline_date=date(2026, 12, 25))
    MilestoneFactory(programme=programme, title="Today", baseline_date=TODAY)
    MilestoneFactory(programme=programme, title="Last day of four weeks", baseline_date=date(2026, 12, 31))
    MilestoneFactory(programme=programme, title="Four weeks on", baseline_date=date(2027, 1, 1))

    two = milestones_page(viewer, MilestoneQuery(weeks=2), today=TODAY)
    four = milestones_page(viewer, MilestoneQuery(weeks=4), today=TODAY)

    assert titles(two) == ["Today"]
    assert titles(four) == ["Today", "In three weeks", "Last day of four weeks"]
    assert [row.days for row in four.rows] == [0, 21, 27]
    assert (four.total, four.programmes) == (3, 1)


def test_filters_directorate_manager_critical_and_mine(app, viewer, make_user) -> None:
    manager = make_user(Role.PROGRAMME_MANAGER)
    mine = ProgrammeFactory(directorate="Place", manager_id=manager.id)
    theirs = ProgrammeFactory(directorate="Resources")
    late = date(2026, 11, 1)
    MilestoneFactory(programme=mine, title="Mine, critical", baseline_date=late, critical=True)
    MilestoneFactory(programme=mine, title="Mine", baseline_date=late)
    MilestoneFactory(programme=theirs, title="Theirs, critical", baseline_date=late, critical=True)

    def chosen(user=viewer, **filters) -> set[str]:
        return set(titles(milestones_page(user, MilestoneQuery(**filters), today=TODAY)))

    assert chosen(directorate="Place") == {"Mine, critical", "Mine"}
    assert chosen(manager_id=manager.id) == {"Mine, critical", "Mine"}
    assert chosen(manager_id=0) == {"Theirs, critical"}  # no manager
    assert chosen(critical=True) == {"Mine, critical", "Theirs, critical"}
    assert chosen(manager, mine=True) == {"Mine, critical", "Mine"}
    assert chosen(directorate="Place", critical=True) == {"Mine, critical"}


def test_pages_of_fifty_keep_the_order_and_the_last_page_holds_the_rest(app, viewer) -> None:
    programme = ProgrammeFactory()
    for n in range(120):
        MilestoneFactory(programme=programme, title=f"M{n:03d}", baseline_date=date(2026, 1, 1 + n % 28))

    first = milestones_page(viewer, MilestoneQuery(), today=TODAY)
    last = milestones_page(viewer, MilestoneQuery(page=3), today=TODAY)
    beyond = milestones_page(viewer, MilestoneQuery(page=99), today=TODAY)

    assert (first.total, first.pages, len(first.rows), len(last.rows)) == (120, 3, 50, 20)
    assert beyond.page == 3 and titles(beyond) == titles(last)
    every = [
        row
        for number in (1, 2, 3)
        for row in milestones_page(viewer, MilestoneQuery(page=number), today=TODAY).rows
    ]
    assert len({row.id for row in every}) == 120
    assert [row.baseline_date for row in every] == sorted(row.baseline_date for row in every)


def test_the_rating_is_the_programmes_latest(app, viewer) -> None:
    programme = ProgrammeFactory()
    MilestoneFactory(programme=programme, baseline_date=date(2026, 11, 1))
    for rating, latest in ((Rag.GREEN, False), (Rag.RED, True)):
        db.session.add(
            RiskAssessment(
                programme_id=programme.id,
                assessed_at=datetime(2026, 12, 1, tzinfo=UTC),
                rating=rating,
                trend=Trend.SAME,
                flags=[],
                score=1,
                is_latest=latest,
            )
        )
    db.session.commit()

    assert [row.rating for row in milestones_page(viewer, MilestoneQuery(), today=TODAY).rows] == [Rag.RED]


def test_the_sheet_holds_every_page_with_days_late_or_due_in(app, viewer) -> None:
    programme = ProgrammeFactory(code="DIG-001", name="Digital front door")
    for n in range(60):
        MilestoneFactory(programme=programme, title=f"Late {n}", baseline_date=date(2026, 11, 1))
    MilestoneFactory(programme=programme, title="Soon", baseline_date=date(2026, 12, 11), forecast_date=None)

    overdue = list(milestones_sheet(viewer, MilestoneQuery(), today=TODAY).rows)
    upcoming = list(milestones_sheet(viewer, MilestoneQuery(weeks=2), today=TODAY).rows)

    assert len(overdue) == 60
    assert overdue[0][:2] == ("DIG-001", "Digital front door") and overdue[0][8:10] == (33, None)
    assert upcoming == [
        ("DIG-001", "Digital front door", "Customer and Digital", None, "Soon", False, date(2026, 12, 11),
         None, None, 7, "Not yet rated")
    ]  # fmt: skip

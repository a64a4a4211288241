"""In Chromium: a change shows in the rating at once, with no scan in between. A CIO approves a re-baseline
and the programme page, the portfolio list and the dashboard all drop the overdue milestone's Red; a
programme manager enters a forecast above budget and the cost flag is on the programme page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tracker.domain.calendar import financial_year, financial_year_label
from tracker.extensions import db
from tracker.models import Benefit, BenefitType, Direction, Milestone, MilestoneKind, Programme, Stage
from tracker.models.types import utcnow
from tracker.services.accounts import users
from tracker.services.demo.seed import DEMO_PASSWORD, seed_demo
from tracker.services.milestones import rebaselines
from tracker.services.ratings.scan import daily_scan

pytestmark = pytest.mark.browser
CODE = "LIB-090"


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def library_programme(*, overdue: bool) -> None:
    """A demo council plus a programme of Priya's in delivery, its benefit owned by the service; with
    `overdue`, its go-live is 40 days past baseline and she has asked to move it. The morning scan has run."""
    seed_demo()
    pm = users.find_by_email("pm@demo.council.example")
    programme = Programme(
        code=CODE,
        name="Library self-service",
        directorate="Communities",
        focus="both",
        stage=Stage.DELIVERY,
        manager_id=pm.id,
        last_update_at=utcnow(),
    )
    db.session.add(programme)
    db.session.flush()
    db.session.add(
        Benefit(
            programme_id=programme.id,
            title="More loans made at self-service kiosks",
            benefit_type=BenefitType.SERVICE_IMPROVEMENT,
            direction=Direction.HIGHER,
            unit="%",
            owner="Head of Libraries",
            adoption_measure=True,
        )
    )
    if overdue:
        late = date.today() - timedelta(days=40)
        milestone = Milestone(
            programme_id=programme.id,
            title="Kiosks live in all branches",
            kind=MilestoneKind.IT_DELIVERY,
            critical=True,
            original_baseline_date=late,
            baseline_date=late,
        )
        db.session.add(milestone)
        db.session.commit()
        rebaselines.request_rebaseline(
            programme,
            milestone.id,
            user=pm,
            proposed_date=date.today() + timedelta(days=60),
            reason="The kiosk supplier went into administration",
        )
    db.session.commit()
    daily_scan()


def rating_on_the_programme_page(page, base_url: str) -> str:
    page.goto(f"{base_url}/programmes/{CODE}/")
    return page.locator(".app-rating").inner_text()


def test_an_approved_rebaseline_shows_everywhere_without_a_scan(live_server: str, page) -> None:
    library_programme(overdue=True)
    sign_in(page, live_server, "cio@demo.council.example")
    assert rating_on_the_programme_page(page, live_server).startswith("Red")
    page.goto(f"{live_server}/dashboard")
    assert CODE in page.locator("table[aria-labelledby='attention-heading']").inner_text()

    page.goto(f"{live_server}/rebaselines/")
    page.locator("tr", has_text="Kiosks live in all branches").get_by_role("link", name="Decide").click()
    page.get_by_label("Approve: move the baseline").check()
    page.get_by_label("Note").fill("Agreed at the portfolio board")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approved", use_inner_text=True)

    rating = rating_on_the_programme_page(page, live_server)
    assert rating.startswith("Green") and "Trend: Resolved" in rating
    assert "after a re-baseline request or decision by" in rating
    assert "Overdue milestone" not in page.locator("main").inner_text()
    page.goto(f"{live_server}/programmes/?q={CODE}")
    assert page.locator("tr", has_text=CODE).locator(".app-rag").inner_text() == "Green"
    page.goto(f"{live_server}/dashboard")
    attention = page.locator("main").inner_text()
    assert CODE not in attention[attention.index("Needs attention") :]
    assert page.console_errors == []


def test_a_forecast_above_budget_flags_the_cost_at_once(live_server: str, page) -> None:
    library_programme(overdue=False)
    sign_in(page, live_server, "pm@demo.council.example")
    assert rating_on_the_programme_page(page, live_server).startswith("Green")

    page.goto(f"{live_server}/programmes/{CODE}/money/")
    page.get_by_role("button", name="Add an investment line").click()
    page.get_by_label("Title").fill("Kiosk hardware")
    page.get_by_label("Financial year").fill(financial_year_label(financial_year(date.today())))
    page.get_by_label("Capital", exact=True).check()
    page.get_by_label("One-off", exact=True).check()
    page.get_by_label("Requested").fill("200000")
    page.get_by_label("Approved").fill("200000")
    page.get_by_label("Forecast").fill("260000")
    page.get_by_label("Actual spend so far").fill("50000")
    page.get_by_role("button", name="Save investment line").click()

    rating = rating_on_the_programme_page(page, live_server)
    assert not rating.startswith("Green")
    assert "after a money change by Priya Shah" in rating
    assert "Cost overrun" in page.locator("main").inner_text()
    assert page.console_errors == []

"""In Chromium, with no scan in between: a programme manager adds a dependency in the two-step form (no
JavaScript needed), then another moves the forecast of the milestone waited for past the date it is needed
by, and the waiting programme's page turns Amber with the reason, while the other's says whom it holds up."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tracker.domain.calendar import format_date
from tracker.extensions import db
from tracker.models import Benefit, BenefitType, Direction, Milestone, MilestoneKind, Programme, Stage
from tracker.models.types import utcnow
from tracker.services.accounts import users
from tracker.services.demo.seed import DEMO_PASSWORD, seed_demo
from tracker.services.ratings.scan import daily_scan

pytestmark = pytest.mark.browser
TODAY = date.today()
GO_LIVE = TODAY + timedelta(days=60)
NEEDED = TODAY + timedelta(days=70)


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def programme(code: str, name: str, manager_email: str, milestone: str, due: date) -> None:
    """A programme in delivery that reported today, its benefit owned by the service, and one milestone."""
    row = Programme(
        code=code,
        name=name,
        directorate="Resources",
        focus="both",
        stage=Stage.DELIVERY,
        manager_id=users.find_by_email(manager_email).id,
        last_update_at=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    db.session.add_all(
        [
            Benefit(
                programme_id=row.id,
                title="More reports read online",
                benefit_type=BenefitType.SERVICE_IMPROVEMENT,
                direction=Direction.HIGHER,
                unit="%",
                owner="Head of Finance",
                adoption_measure=True,
            ),
            Milestone(
                programme_id=row.id,
                title=milestone,
                kind=MilestoneKind.BUSINESS_CHANGE,
                original_baseline_date=due,
                baseline_date=due,
                forecast_date=due,
            ),
        ]
    )


@pytest.fixture
def two_programmes(app) -> None:
    """Tom's ledger go-live in 60 days; Priya's dashboards in 90. The morning scan rates both Green."""
    seed_demo()
    programme("LED-090", "New ledger", "pm2@demo.council.example", "Ledger go-live", GO_LIVE)
    programme(
        "DSH-090",
        "Finance dashboards",
        "pm@demo.council.example",
        "Dashboards live",
        TODAY + timedelta(days=90),
    )
    db.session.commit()
    daily_scan()


def fill_date(page, label: str, day: date) -> None:
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def rating(page, base_url: str, code: str) -> str:
    page.goto(f"{base_url}/programmes/{code}/")
    return page.locator(".app-rating").inner_text()


def test_a_forecast_moved_past_a_dependants_needed_by_date_turns_it_amber_at_once(
    live_server: str, page, output_dir: Path, two_programmes
) -> None:
    # Priya makes her dashboards wait for the ledger: find it by words of its name, then choose.
    sign_in(page, live_server, "pm@demo.council.example")
    assert rating(page, live_server, "DSH-090").startswith("Green")
    page.goto(f"{live_server}/programmes/DSH-090/milestones/")
    page.get_by_role("button", name="Add a dependency").click()
    page.get_by_label("Which programme does it wait for?").fill("ledger")
    page.get_by_role("button", name="Find the programme").click()
    page.get_by_role("link", name="LED-090 New ledger").click()
    page.get_by_label("Which of this programme's milestones waits?").select_option(
        label=f"Dashboards live (due {format_date(TODAY + timedelta(days=90))})"
    )
    page.get_by_label("Which of its milestones does it wait for?").select_option(
        label=f"Ledger go-live (forecast {format_date(GO_LIVE)})"
    )
    fill_date(page, "Needed by", NEEDED)
    page.get_by_label("Note (optional, up to 2,000 characters)").fill("The dashboards read the new ledger")
    page.get_by_role("button", name="Add the dependency").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Dependency added: Dashboards live waits for LED-090 Ledger go-live", use_inner_text=True
    )
    expect(page.locator("#waits-for-table")).to_contain_text("On time", use_inner_text=True)
    assert rating(page, live_server, "DSH-090").startswith("Green")
    page.get_by_role("button", name="Sign out").click()

    # Tom moves the ledger's go-live twelve days past the date the dashboards need it.
    sign_in(page, live_server, "pm2@demo.council.example")
    page.goto(f"{live_server}/programmes/LED-090/milestones/")
    page.get_by_role("button", name="Update milestones").click()
    row = page.locator(".app-milestone-update", has_text="Ledger go-live")
    moved = NEEDED + timedelta(days=12)
    row.locator("input[id$='-forecast_date-day']").fill(str(moved.day))
    row.locator("input[id$='-forecast_date-month']").fill(str(moved.month))
    row.locator("input[id$='-forecast_date-year']").fill(str(moved.year))
    row.locator("textarea").fill("Data migration needs a second trial load")
    page.get_by_role("button", name="Save all milestones").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Milestones saved", use_inner_text=True
    )
    expect(page.locator("#holding-up-warning")).to_contain_text(
        "This programme is holding up DSH-090 by 12 days.", use_inner_text=True
    )

    # The dashboards' page is Amber now, saying why, though no scan has run.
    status = rating(page, live_server, "DSH-090")
    assert status.startswith("Amber"), status
    assert "after a change to what it depends on by Tom Barker" in status
    flags = page.locator(".app-flags")
    expect(flags).to_contain_text("Waiting on a late dependency", use_inner_text=True)
    needed, forecast = format_date(NEEDED), format_date(moved)
    reason = (
        f"Depends on LED-090 Ledger go-live, forecast for {forecast}, needed by {needed} "
        "for Dashboards live: 12 days late"
    )
    flags.locator("summary", has_text="Waiting on a late dependency").click()
    expect(flags).to_contain_text(reason, use_inner_text=True)
    page.screenshot(path=str(output_dir / "dependency-late-overview.png"), full_page=True)

    # The portfolio's view marks it late, in words as well as by its dashed line.
    page.goto(f"{live_server}/portfolio/dependencies")
    ours = page.locator("#dependency-chart-table tr", has_text="DSH-090")
    expect(ours).to_contain_text("Late by 12 days", use_inner_text=True)
    line = page.locator(f"svg [data-dependency='{ours.get_attribute('data-dependency')}']")
    assert line.get_attribute("data-late") == "true"
    assert line.locator("line").get_attribute("stroke-dasharray") == "6 3"
    page.screenshot(path=str(output_dir / "dependencies-portfolio.png"), full_page=True)
    assert page.console_errors == []

"""In Chromium: a programme manager moves a forecast with a reason; a CIO approves a re-baseline request."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tracker.domain.calendar import format_date
from tracker.services.demo.seed import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.browser


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_programme_manager_moves_a_forecast_and_sees_it_in_the_history(
    live_server: str, page, output_dir: Path
) -> None:
    seed_demo()
    sign_in(page, live_server, "pm@demo.council.example")
    page.goto(f"{live_server}/programmes/FIN-002/milestones/")
    page.get_by_role("button", name="Update milestones").click()
    expect(page.locator("h2.govuk-heading-l")).to_have_text("Update milestones", use_inner_text=True)

    row = page.locator(".app-milestone-update", has_text="Transactions team restructured")
    moved = date.today() + timedelta(days=330)
    row.locator("input[id$='-forecast_date-day']").fill(str(moved.day))
    row.locator("input[id$='-forecast_date-month']").fill(str(moved.month))
    row.locator("input[id$='-forecast_date-year']").fill(str(moved.year))
    page.get_by_role("button", name="Save all milestones").click()

    # No reason yet: the page says so beside the row, and keeps what was typed.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Transactions team restructured: Give a reason", use_inner_text=True)
    expect(row.locator("input[id$='-forecast_date-day']")).to_have_value(str(moved.day))
    row.locator("textarea").fill("Consultation with staff extended by a month")
    page.screenshot(path=str(output_dir / "update-milestones.png"), full_page=True)
    page.get_by_role("button", name="Save all milestones").click()

    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Milestones saved: 1 changed", use_inner_text=True)
    table_row = page.locator("tr", has_text="Transactions team restructured").first
    expect(table_row).to_contain_text("30 days late", use_inner_text=True)
    history = page.locator("details", has_text="History of Transactions team restructured")
    history.locator("summary").click()
    for text in (
        "Consultation with staff extended by a month",
        "Forecast moved",
        format_date(moved),
        "Priya Shah",
    ):
        expect(history).to_contain_text(text, use_inner_text=True)

    # The programme's History page has it too: who, what and why.
    page.get_by_role("link", name="History").click()
    newest = page.locator("main")
    expect(newest).to_contain_text(
        "Updated milestone Transactions team restructured: Consultation with staff extended by a month",
        use_inner_text=True,
    )
    expect(newest).to_contain_text("Priya Shah", use_inner_text=True)
    assert page.console_errors == []


def test_cio_approves_a_pending_rebaseline_from_the_queue(live_server: str, page) -> None:
    seed_demo()
    sign_in(page, live_server, "cio@demo.council.example")
    page.goto(f"{live_server}/rebaselines/")
    assert page.locator("h1").inner_text() == "Change and re-baseline requests"

    request_row = page.locator("tr", has_text="HR and payroll go-live")
    assert "50 days later" in request_row.inner_text()
    request_row.get_by_role("link", name="Decide").click()
    page.get_by_label("Approve: move the baseline").check()
    page.get_by_label("Note").fill("Agreed at the portfolio board")
    page.get_by_role("button", name="Save decision").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Approved: re-baseline of HR and payroll go-live", use_inner_text=True
    )
    page.wait_for_load_state()  # the whole queue: a row not parsed yet is not a row gone
    expect(page.locator("tr[id^='request-']", has_text="HR and payroll go-live")).to_have_count(0)

    page.goto(f"{live_server}/programmes/FIN-002/milestones/")
    cells = page.locator("tr", has_text="HR and payroll go-live").first.locator("td").all_inner_texts()
    original, latest = cells[0], cells[1]
    assert latest == format_date(date.today() + timedelta(days=230))
    assert original == format_date(date.today() + timedelta(days=180))
    assert page.console_errors == []

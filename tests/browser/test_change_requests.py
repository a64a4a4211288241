"""In Chromium: a programme manager raises a cost change request; the CIO approves it in the queue; the
programme's whole-life cost baseline shows the new figure and History shows the change."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_milestone_updates import sign_in
from tracker.services.demo.seed import seed_demo

pytestmark = pytest.mark.browser


def test_a_cost_change_request_approved_by_the_cio_moves_the_whole_life_baseline(
    live_server: str, page, output_dir: Path
) -> None:
    seed_demo()
    sign_in(page, live_server, "pm@demo.council.example")
    page.goto(f"{live_server}/programmes/FIN-002/")
    page.get_by_role("link", name="Change requests").click()
    page.get_by_role("link", name="Raise a change request").click()

    page.get_by_label("Cost: the whole-life cost baseline").check()
    page.get_by_role("button", name="Send to the CIO").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a title for the change", use_inner_text=True)
    expect(summary).to_contain_text("Enter the new whole-life cost baseline", use_inner_text=True)

    page.get_by_label("New whole-life cost baseline").fill("7,650,000")
    page.get_by_label("Title").fill("Payroll module added to scope")
    page.get_by_label("Impact").fill("Payroll moves onto the new system a year earlier; £450,000 more")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(output_dir / "raise-change-request.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Send to the CIO").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Change request sent to the CIO", use_inner_text=True
    )
    expect(page.locator("main")).to_contain_text("From £7,200,000 to £7,650,000", use_inner_text=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="All change requests").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(output_dir / "change-requests.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "cio@demo.council.example")
    page.goto(f"{live_server}/rebaselines/")
    row = page.locator("tr", has_text="Payroll module added to scope")
    expect(row).to_contain_text("Cost change", use_inner_text=True)
    page.screenshot(path=str(output_dir / "queue-with-change-request.png"), full_page=True)
    row.get_by_role("link", name="Decide").click()
    page.get_by_label("Approve: move the baselines it names").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approved", use_inner_text=True)

    page.goto(f"{live_server}/programmes/FIN-002/")
    facts = page.locator(".govuk-summary-list__row", has_text="Whole-life cost baseline")
    expect(facts).to_contain_text("£7,650,000", use_inner_text=True)
    page.get_by_role("link", name="History").click()
    approval = page.locator("main")
    expect(approval).to_contain_text("Approved change", use_inner_text=True)
    expect(approval).to_contain_text(
        "Approved the change request 'Payroll module added to scope': "
        "Whole-life cost baseline from £7,200,000 to £7,650,000",
        use_inner_text=True,
    )
    assert page.console_errors == []

"""In Chromium: a CIO downloads the filtered portfolio as Excel; a viewer subscribes to a programme's
milestones and the feed works without a session."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.test_milestone_updates import sign_in
from tracker.services.demo.seed import seed_demo

pytestmark = pytest.mark.browser


def test_cio_downloads_the_filtered_portfolio_as_excel(live_server: str, page, output_dir: Path) -> None:
    seed_demo()
    sign_in(page, live_server, "cio@demo.council.example")
    page.goto(f"{live_server}/programmes/?sort=name")
    page.get_by_label("Stage").select_option("delivery")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()  # the whole filtered table, not the rows parsed so far
    shown = page.locator("table.app-portfolio-table tbody tr td:first-child").all_inner_texts()
    assert shown
    page.screenshot(path=str(output_dir / "portfolio-downloads.png"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Excel").click()
    download = download_info.value
    assert download.suggested_filename.startswith("portfolio-") and download.suggested_filename.endswith(
        ".xlsx"
    )
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert book.sheetnames == [
        "Programmes",
        "Milestones",
        "Money",
        "Benefits",
        "Change requests",
        "Lessons",
        "Gate decisions",
        "Risks and issues",
        "Actions",
        "Decisions",
    ]
    codes = [row[0] for row in book["Programmes"].iter_rows(min_row=2, values_only=True)]
    assert codes == [code.strip() for code in shown]
    assert all(row[4] == "Delivery" for row in book["Programmes"].iter_rows(min_row=2, values_only=True))
    assert page.console_errors == []


def test_viewer_subscribes_to_milestones_and_the_feed_needs_no_session(
    live_server: str, page, browser, output_dir: Path
) -> None:
    seed_demo()
    sign_in(page, live_server, "viewer@demo.council.example")
    page.goto(f"{live_server}/programmes/FIN-002/milestones/")
    page.get_by_role("link", name="Subscribe in Outlook").click()
    expect(page.locator("main")).to_contain_text("FIN-002", use_inner_text=True)
    page.get_by_label("Name of the feed link").fill("Outlook at work")
    page.get_by_role("button", name="Create a feed link").click()
    page.wait_for_load_state()
    feed_url = page.locator("#feed-url").inner_text().strip()
    assert feed_url.endswith("/programmes/FIN-002.ics")
    expect(page.locator("main")).to_contain_text("Subscribe from web", use_inner_text=True)
    page.screenshot(path=str(output_dir / "calendar-feed-created.png"), full_page=True)

    path = "/calendar/" + feed_url.split("/calendar/", 1)[1]
    outlook = browser.new_context()  # no cookies: what a calendar app has
    response = outlook.request.get(live_server + path)
    assert response.status == 200 and response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.text().count("BEGIN:VEVENT") >= 1 and "X-WR-CALNAME:FIN-002" in response.text()

    page.get_by_role("link", name="Back to your feed links").click()
    page.get_by_role("button", name="Revoke Outlook at work").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is revoked", use_inner_text=True)
    page.screenshot(path=str(output_dir / "calendar-feed-links.png"), full_page=True)
    assert outlook.request.get(live_server + path).status == 404
    outlook.close()
    assert page.console_errors == []

"""A CIO opens the dashboard of the demo council, reads it, and follows a heatmap cell to the list."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tracker.services.demo.seed import DEMO_PASSWORD, seed_demo
from tracker.services.ratings.scan import scan_portfolio

pytestmark = pytest.mark.browser


def test_cio_follows_a_heatmap_cell_to_the_filtered_list(live_server: str, page, output_dir: Path) -> None:
    seed_demo()
    scan_portfolio()
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("cio@demo.council.example")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/dashboard")

    assert page.locator("h1").inner_text() == "Portfolio dashboard"
    for title in ("Spend against budget profile", "Cashable savings realised against plan"):
        expect(page.get_by_role("img", name=title)).to_be_visible()
    details = page.locator("#spend-burn-up details")
    details.get_by_text("Show data table").click()
    expect(details.get_by_role("table")).to_be_visible()
    page.screenshot(path=str(output_dir / "dashboard.png"), full_page=True)

    cell = page.get_by_role("link", name="Red in Resources")
    expected = int(cell.inner_text().split()[0])
    cell.click()
    page.wait_for_url("**/programmes/?**")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"directorate": ["Resources"], "rating": ["red"]}
    assert page.locator("h1").inner_text() == "Portfolio"
    assert page.locator("select#directorate").input_value() == "Resources"
    assert expected >= 1
    assert page.console_errors == []

"""The HTML digest as a browser draws it: readable, styled inline, no blocked resources; screenshot kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tracker.services.demo.seed import DEMO_PASSWORD, seed_demo
from tracker.services.ratings.scan import scan_portfolio

pytestmark = pytest.mark.browser


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_cio_digest_renders_in_chromium(live_server: str, page, output_dir: Path) -> None:
    seed_demo()
    scan_portfolio()
    sign_in(page, live_server, "cio@demo.council.example")

    page.goto(f"{live_server}/digest/preview")

    assert page.locator("h1").inner_text() == "Risk digest"
    assert page.title().startswith("Risk digest w/c ")
    # Inline styles applied (the preview's policy allows them): the card is 640px wide on grey.
    card = page.locator("table[width='640']")
    assert card.bounding_box()["width"] == 640
    assert card.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(255, 255, 255)"
    red = page.get_by_text("RED", exact=True).first
    assert red.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(212, 53, 28)"
    for heading in (
        "Newly at risk or worse",
        "Overdue milestones",
        "Cost overruns",
        "No recent update: chase these",
    ):
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    expect(page.get_by_text("Chase Tom Barker").first).to_be_visible()
    assert page.console_errors == []  # nothing blocked, nothing failed to load
    page.screenshot(path=str(output_dir / "digest.png"), full_page=True)

    link = page.get_by_role("link", name="FIN-002").first
    assert link.get_attribute("href") == "http://tracker.test/programmes/FIN-002/"

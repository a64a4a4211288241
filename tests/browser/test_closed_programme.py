"""A closed programme in the browser: its manager cannot add to it, but records what its benefit measured,
which the benefits register and the dashboard keep counting until the benefit is realised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tracker.domain.calendar import london_today
from tracker.models.types import utcnow
from tracker.services.demo.seed import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.browser


def test_a_closed_programme_refuses_edits_but_takes_a_measurement(
    live_server: str, page, output_dir: Path
) -> None:
    seed_demo()
    today = london_today(utcnow())
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("pm2@demo.council.example")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server}/programmes/ASC-013/milestones/")
    expect(page.locator("#closed-notice")).to_contain_text("This programme is closed")
    expect(page.get_by_role("link", name="Add a milestone")).to_have_count(0)
    refused = page.goto(f"{live_server}/programmes/ASC-013/milestones/new")
    assert refused is not None and refused.status == 409
    expect(page.locator("main")).to_contain_text("This programme is closed")

    page.goto(f"{live_server}/programmes/ASC-013/benefits/")
    page.get_by_role("link", name="Fewer failed alarm calls").click()
    page.get_by_role("button", name="Record a measurement").click()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Value").fill("3")
    page.get_by_role("button", name="Record measurement").click()
    expect(page.locator("#measurements tbody tr").first).to_contain_text("Tom Barker", use_inner_text=True)

    page.goto(f"{live_server}/dashboard")
    expect(page.locator("#after-closure-table")).to_contain_text(
        "Fewer failed alarm calls", use_inner_text=True
    )
    page.screenshot(path=str(output_dir / "closed-programme-dashboard.png"), full_page=True)
    page.locator("#after-closure-table").get_by_role("link", name="Fewer failed alarm calls").click()
    expect(page).to_have_url(re.compile(r"/programmes/ASC-013/benefits/#benefit-\d+$"))
    # The refused page's 409 is the one resource the browser reports as failed.
    assert [error for error in page.console_errors if "409" not in error] == []

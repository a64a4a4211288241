"""A programme manager records a benefit measurement and sees it judged against the plan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tracker.domain.calendar import format_date, london_today
from tracker.models.types import utcnow
from tracker.services.demo.seed import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.browser


def test_programme_manager_records_a_measurement(live_server: str, page, output_dir: Path) -> None:
    seed_demo()
    today = london_today(utcnow())
    page.goto(f"{live_server}/")
    page.get_by_label("Email address").fill("pm@demo.council.example")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server}/programmes/DIG-001/benefits/")
    page.get_by_role("link", name="More contacts completed online").click()
    page.get_by_role("button", name="Record a measurement").click()
    expect(page.locator("h2").first).to_have_text("Record a measurement", use_inner_text=True)

    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Value").fill("40%")
    page.get_by_label("Note (optional)").fill("Quarterly figure from the contact centre")
    page.get_by_role("button", name="Record measurement").click()

    # Back on the benefit: the plan expects about 45% today, so 40% is behind it.
    expect(page.get_by_text(f"Measurement recorded: 40% on {format_date(today)}")).to_be_visible()
    latest = page.locator("#realisation")
    latest_pattern = r"Latest measurement: 40% on .*against a planned 4\d(\.\d+)?%"
    expect(latest).to_contain_text(re.compile(latest_pattern), use_inner_text=True)
    expect(latest).to_contain_text(re.compile(r"Behind plan \(\d+(\.\d)?%\)"), use_inner_text=True)
    newest = page.locator("#measurements tbody tr").first
    for text in (format_date(today), "40%", "Priya Shah", "Quarterly figure from the contact centre"):
        expect(newest).to_contain_text(text, use_inner_text=True)
    page.screenshot(path=str(output_dir / "benefit-measurement.png"), full_page=True)

    page.get_by_role("link", name="History").click()
    history = page.locator("main")
    recorded = f"Recorded 40% for 'More contacts completed online' on {format_date(today)}"
    expect(history).to_contain_text(recorded, use_inner_text=True)
    expect(history).to_contain_text("Priya Shah", use_inner_text=True)
    assert page.console_errors == []

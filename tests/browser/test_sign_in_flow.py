"""Signing in with a real browser: each demo role lands where it should, with no script errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tracker.services.demo.seed import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.browser


def sign_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_cio_signs_in_sees_the_portfolio_and_signs_out(live_server: str, page, output_dir: Path) -> None:
    seed_demo()
    sign_in(page, live_server, "cio@demo.council.example")
    expect(page.locator("h1")).to_have_text("Portfolio dashboard", use_inner_text=True)
    page.get_by_role("link", name="Portfolio", exact=True).click()
    expect(page.locator("h1")).to_have_text("Portfolio", use_inner_text=True)
    page.wait_for_load_state()  # every row, not the rows parsed so far
    table = page.get_by_role("table")
    assert table.get_by_role("row").count() >= 12  # header and the open programmes
    expect(table.get_by_text("FIN-002")).to_be_visible()
    expect(page.get_by_text("Testshire County Council").first).to_be_visible()
    page.screenshot(path=str(output_dir / "portfolio.png"), full_page=True)

    # The sortable table's script ran: headers became buttons.
    page.get_by_role("button", name="Name").click()
    expect(page.locator("th[aria-sort='ascending']")).to_have_text("Name", use_inner_text=True)
    assert page.console_errors == []  # no CSP violations, no script errors

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Sign in", use_inner_text=True)
    expect(page.get_by_text("You have signed out")).to_be_visible()
    page.goto(f"{live_server}/programmes/")
    assert re.search(r"/sign-in\?next=", page.url)


def test_programme_manager_lands_on_their_own_programmes(live_server: str, page) -> None:
    seed_demo()
    sign_in(page, live_server, "pm@demo.council.example")
    expect(page.locator("h1")).to_have_text("My programmes", use_inner_text=True)
    expect(page).to_have_url(re.compile(r"scope=mine"))
    page.goto(f"{live_server}/programmes/?scope=mine")
    codes = page.locator("tbody tr td:first-child").all_inner_texts()
    assert codes and "FIN-002" in codes
    assert "ICT-003" not in codes  # managed by someone else, and not on its team


def test_wrong_password_shows_the_error_summary(live_server: str, page) -> None:
    seed_demo()
    sign_in(page, live_server, "cio@demo.council.example", "not the right password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct email address and password", use_inner_text=True)
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary.get_by_role("link").click()
    expect(page.locator("#email")).to_be_focused()

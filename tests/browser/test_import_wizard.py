"""In Chromium: a CIO imports a council's messy spreadsheet through the four steps of the wizard.

The file's codes are new to the demo council, so both programmes are added."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.test_milestone_updates import sign_in
from tests.web.test_imports import COUNCIL_FILE
from tracker.extensions import db
from tracker.models import Programme
from tracker.services.demo.seed import seed_demo

pytestmark = pytest.mark.browser


def test_cio_imports_a_spreadsheet_through_the_wizard(
    live_server: str, page, output_dir: Path, tmp_path
) -> None:
    seed_demo()
    before = db.session.scalar(select(func.count()).select_from(Programme))
    sign_in(page, live_server, "cio@demo.council.example")
    page.goto(f"{live_server}/programmes/")
    page.get_by_role("button", name="Import from a spreadsheet").click()
    upload = tmp_path / "portfolio.csv"
    upload.write_bytes(COUNCIL_FILE.replace(b"dig-001", b"new-001").replace(b"DIG-002", b"NEW-002"))
    page.get_by_label("Programmes spreadsheet").set_input_files(str(upload))
    page.get_by_label("Thousands of pounds").check()
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("heading", name="Choose what each column holds")).to_be_visible()
    expect(page.get_by_label("B: Project name")).to_have_value("name")
    page.locator("#default-focus").get_by_label("Both", exact=True).check()
    page.screenshot(path=str(output_dir / "import-columns.png"), full_page=True)
    page.get_by_role("button", name="Check every row").click()

    expect(page.get_by_role("heading", name="Ready to import")).to_be_visible()
    page.screenshot(path=str(output_dir / "import-check.png"), full_page=True)
    page.get_by_role("button", name="Import 2 rows").click()

    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Imported 2 rows: 2 new, 0 updated", use_inner_text=True)
    page.screenshot(path=str(output_dir / "import-done.png"), full_page=True)
    page.get_by_role("link", name="NEW-001").click()
    expect(page.locator("main")).to_contain_text("Café booking", use_inner_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Programme)) == before + 2
    assert page.console_errors == []

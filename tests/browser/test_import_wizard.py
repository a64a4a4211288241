"""In Chromium: a CIO imports a council's messy spreadsheet through the four steps of the wizard.

The file's codes are new to the demo council, so both programmes are added."""

from __future__ import annotations

from pathlib import Path

import pytest
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

    assert page.get_by_role("heading", name="Choose what each column holds").is_visible()
    assert page.get_by_label("B: Project name").input_value() == "name"
    page.locator("#default-focus").get_by_label("Both", exact=True).check()
    page.screenshot(path=str(output_dir / "import-columns.png"), full_page=True)
    page.get_by_role("button", name="Check every row").click()

    assert page.get_by_role("heading", name="Ready to import").is_visible()
    page.screenshot(path=str(output_dir / "import-check.png"), full_page=True)
    page.get_by_role("button", name="Import 2 rows").click()

    assert page.get_by_role("heading", name="Import complete").is_visible()
    assert "Imported 2 rows: 2 new, 0 updated" in page.content()
    page.screenshot(path=str(output_dir / "import-done.png"), full_page=True)
    page.get_by_role("link", name="NEW-001").click()
    assert "Café booking" in page.content()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Programme)) == before + 2
    assert page.console_errors == []

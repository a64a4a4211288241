"""In Chromium: every real published return goes through the wizard with at most five choices.

A choice is a click on a radio, select or checkbox, or a text typed; uploading the file and pressing
the step buttons are not choices. The GMPP files are imported into one tracker in order, as a
portfolio office would bring in five years of returns.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_milestone_updates import sign_in
from tracker.services.demo.seed import seed_demo

pytestmark = pytest.mark.browser
REAL = Path("/work/shared/data/real")
FILES = [REAL / "gc-it-projects-combined.csv", *sorted((REAL / "gmpp").glob("gmpp_*.csv"))]
MOST_CHOICES = 5


class Choices:
    """Counts what the person chooses, so the test says how much work each file took."""

    def __init__(self, page) -> None:
        self.page, self.count = page, 0

    def radio(self, label: str) -> None:
        self.page.get_by_label(label, exact=True).check()
        self.count += 1

    def select(self, selector: str, value: str) -> None:
        self.page.locator(selector).select_option(value)
        self.count += 1


def import_through_the_wizard(page, live_server: str, path: Path) -> int:
    """Upload, answer only what is asked, translate only what is unreadable, import; the choices made."""
    choices = Choices(page)
    page.goto(f"{live_server}/imports/")
    page.get_by_label("Programmes spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Choose what each column holds")).to_be_visible()
    page.wait_for_load_state()  # the whole form, before asking what is on it
    if page.locator("#default-focus-none").count() == 0:  # no focus column: asked once
        choices.radio("Both")
    page.get_by_role("button", name="Check every row").click()
    page.wait_for_load_state()
    if page.locator("#translate").count():
        for select in page.locator("#translate ~ form select").all():
            select.select_option("")
            choices.count += 1
        page.get_by_role("button", name="Use these values and check again").click()
    try:
        expect(page.get_by_role("heading", name="Ready to import")).to_be_visible()
    except AssertionError as error:  # say why: the problems table, or the page if it has none
        problems = page.locator("#problems")
        raise AssertionError((problems if problems.count() else page.locator("main")).inner_text()) from error
    expect(page.locator("#money-totals")).to_have_count(1)
    page.get_by_role("button", name=re.compile(r"^Import \d+ rows?$")).click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Imported", use_inner_text=True)
    expect(page.locator("main")).to_contain_text("rows:", use_inner_text=True)
    return choices.count


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_a_real_return_imports_with_at_most_five_choices(live_server: str, page, path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    seed_demo()
    sign_in(page, live_server, "cio@demo.council.example")
    made = import_through_the_wizard(page, live_server, path)
    assert made <= MOST_CHOICES, f"{path.name} needed {made} choices"
    assert page.console_errors == []

"""A programme manager asks for the outline business case gate; the CIO approves it with a condition; the
programme moves to the full business case and its History shows the checklist as it was answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD
from tests.factories import ProgrammeFactory
from tracker.models import Role, Stage
from tracker.services.settings import update_stage_model

pytestmark = pytest.mark.browser


def sign_in(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_outline_business_case_gate_approved_with_a_condition(
    live_server: str, browser, make_user, output_dir: Path
) -> None:
    admin, cio = make_user(Role.ADMIN), make_user(Role.CIO, name="Chris Ofori")
    pm = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    update_stage_model("green_book", {}, user_id=admin.id)
    ProgrammeFactory(
        code="HSG-012", name="Housing repairs scheduling", stage=Stage.BUSINESS_CASE, manager_id=pm.id
    )

    manager = browser.new_page()
    sign_in(manager, live_server, pm.email)
    manager.goto(f"{live_server}/programmes/HSG-012/")
    manager.get_by_role("link", name="Stage and gates").click()
    expect(manager.locator("#current-stage")).to_have_text("Outline business case")
    manager.get_by_role("link", name="Ask for the “Outline business case” decision").click()
    for item in (
        "Short list appraised and preferred option chosen",
        "Affordability and funding",
        "Commercial approach",
    ):
        manager.get_by_role("checkbox", name=item).check()
    manager.get_by_label("Note on “Benefits realisation plan with owners”").fill(
        "Owners named for two of three"
    )
    manager.get_by_label("The case for passing the gate").fill(
        "Cabinet approved the preferred option in May."
    )
    manager.get_by_role("button", name="Ask for the decision").click()
    expect(manager.locator("#pending-gate")).to_contain_text("waiting for a decision")
    manager.close()

    approver = browser.new_page()
    sign_in(approver, live_server, cio.email)
    approver.goto(f"{live_server}/programmes/HSG-012/gates/")
    approver.get_by_role("link", name="Decide it").click()
    expect(approver.locator("#checklist")).to_contain_text("Owners named for two of three")
    approver.get_by_label("Approve: the programme moves to the next stage").check()
    approver.get_by_label("Conditions of approval (optional)").fill("Name the third benefit owner by March")
    approver.get_by_role("button", name="Record the decision").click()
    expect(approver.locator("#current-stage")).to_have_text("Full business case")
    expect(approver.get_by_role("link", name="Ask for the “Full business case” decision")).to_be_visible()

    approver.get_by_role("link", name="History").click()
    history = approver.locator("main")
    expect(history).to_contain_text(
        "Approved the “Outline business case” gate with conditions: moved to Full business case"
    )
    expect(history).to_contain_text(
        "Not met: Benefits realisation plan with owners (Owners named for two of three)"
    )
    expect(history).to_contain_text("Name the third benefit owner by March")
    approver.screenshot(path=str(output_dir / "gate-decision-history.png"), full_page=True)
    approver.close()

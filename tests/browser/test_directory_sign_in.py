"""Signing in through the council's directory with a real browser and a real OpenID provider."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from tests.oidc_support import GROUPS, OpenIdProvider
from tracker.domain.vocabulary import Role, RoleSource, SignInMethod, SignInResult
from tracker.extensions import db
from tracker.models import SignInEvent, User

pytestmark = pytest.mark.browser


def test_a_person_in_the_cio_group_signs_in_through_the_provider_and_lands_on_the_dashboard(
    app: Flask, live_server: str, oidc_provider: OpenIdProvider, page
) -> None:
    oidc_provider.forget_people()
    oidc_provider.allow_redirect(live_server)
    app.config.update(oidc_provider.settings(), BASE_URL=live_server)
    oidc_provider.set_person("ana", name="Ana Khan", groups=[GROUPS["cio"]])

    page.goto(f"{live_server}/sign-in")
    page.get_by_role("button", name="Sign in with Microsoft").click()
    # The provider's own pages: its login form, then its consent page.
    page.locator("input[name=login]").fill("ana")
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Portfolio dashboard", use_inner_text=True)
    assert page.url == f"{live_server}/dashboard"
    expect(page.get_by_role("link", name="Pipeline", exact=True)).to_be_visible()  # the CIO's team sees it
    # The provider's pages ask for fonts on the internet, which this machine cannot reach: check our
    # own page alone for script errors and CSP violations.
    page.console_errors.clear()
    page.reload()
    expect(page.locator("h1")).to_have_text("Portfolio dashboard", use_inner_text=True)
    assert page.console_errors == []

    user = db.session.scalar(select(User).where(User.email == "ana@testshire.gov.uk"))
    assert user.role is Role.CIO and user.role_source is RoleSource.DIRECTORY
    event = db.session.scalar(select(SignInEvent))
    assert (event.method, event.result, event.user_id) == (SignInMethod.OIDC, SignInResult.SIGNED_IN, user.id)


def test_on_a_phone_the_sign_in_page_without_passwords_and_the_refusal_page_pass_axe(
    app: Flask, live_server: str, oidc_provider: OpenIdProvider, browser
) -> None:
    """The pages only the directory path shows (passwords off, no access) are not in the crawl of
    tests/browser/test_every_page.py: the same checks here, at 390 px."""
    from tests.browser.test_every_page import AXE, PHONE, axe_violations

    oidc_provider.forget_people()
    oidc_provider.allow_redirect(live_server)
    app.config.update(oidc_provider.settings(), BASE_URL=live_server, LOCAL_SIGN_IN=False)
    oidc_provider.set_person("nobody", name="No Group", groups=["a-group-nobody-mapped"])
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # to add axe to the page
    page = context.new_page()
    try:
        page.goto(f"{live_server}/sign-in")
        expect(page.get_by_role("link", name="Administrator emergency sign-in")).to_be_visible()
        assert page.locator("input[name=password]").count() == 0
        seen = {"sign-in": _phone_problems(page, AXE, PHONE, axe_violations)}

        page.get_by_role("button", name="Sign in with Microsoft").click()
        page.locator("input[name=login]").fill("nobody")
        page.locator("input[name=password]").fill("any password")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("h1")).to_have_text("You do not have access to the tracker", use_inner_text=True)
        seen["refused"] = _phone_problems(page, AXE, PHONE, axe_violations)
    finally:
        context.close()
    assert seen == {"sign-in": [], "refused": []}


def _phone_problems(page, axe, phone, axe_violations) -> list[str]:
    problems = []
    if (width := page.evaluate("document.documentElement.scrollWidth")) > phone["width"]:
        problems.append(f"{width} px wide")
    page.add_script_tag(content=axe.read_text())
    return problems + axe_violations(page)

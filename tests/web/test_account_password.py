"""Changing your own password: the rules in plain words, and every other session signed out."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD
from tests.helpers import csrf_token_from
from tracker.domain.passwords import ONLY_SPACES, TOO_COMMON, TOO_PERSONAL
from tracker.extensions import db
from tracker.models import AuditEvent, Role, User

NEW = "plum jam on toast at noon"


def _change(client: FlaskClient, current: str, new: str, confirm: str | None = None):
    token = csrf_token_from(client.get("/account/password"))
    data = {
        "csrf_token": token,
        "current_password": current,
        "new_password": new,
        "confirm_password": new if confirm is None else confirm,
    }
    return client.post("/account/password", data=data)


def test_the_page_is_in_the_account_area(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    page = client.get("/account/password").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Change your password</h1>' in page
    assert 'href="/account/password" aria-current="page">Password</a>' in page
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page


def test_changing_it_keeps_this_session_and_ends_the_others(app: Flask, client: FlaskClient, auth) -> None:
    user = auth.sign_in_as(Role.CIO)
    other_browser = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(other_browser, None).sign_in(user.email)
    assert other_browser.get("/programmes/").status_code == 200

    response = _change(client, TEST_PASSWORD, NEW)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your password has been changed. You have been signed out on your other devices" in page
    assert client.get("/programmes/").status_code == 200  # this browser stays signed in
    elsewhere = other_browser.get("/programmes/")
    assert elsewhere.status_code == 302 and elsewhere.headers["Location"].startswith("/sign-in")

    auth.sign_out()
    assert auth.sign_in(user.email, TEST_PASSWORD).status_code == 200  # the old password no longer works
    assert auth.sign_in(user.email, NEW).status_code == 302
    [event] = [e for e in db.session.query(AuditEvent).all() if "changed their password" in e.summary]
    assert event.user_id == user.id


def test_a_wrong_current_password_is_explained(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    page = _change(client, "not my password at all", NEW).get_data(as_text=True)
    assert "There is a problem" in page
    assert "Your current password is not correct" in page
    assert 'href="#current_password"' in page
    assert client.get("/programmes/").status_code == 200


def test_weak_or_mismatched_new_passwords_are_explained(client: FlaskClient, auth, make_user) -> None:
    user = make_user(Role.VIEWER, name="Lynda Snell", email="lynda.snell@testshire.gov.uk")
    auth.sign_in(user.email)
    cases = [
        ("short", "Password must be at least 12 characters"),
        ("Password1234", TOO_COMMON),
        ("qwertyuiopasdf", TOO_COMMON),
        ("LYNDA.SNELL@testshire.gov.uk", TOO_PERSONAL),
        (" " * 12, ONLY_SPACES),
    ]
    for new, message in cases:
        page = _change(client, TEST_PASSWORD, new).get_data(as_text=True)
        assert message in page, new
        assert 'href="#new_password"' in page
    mismatch = _change(client, TEST_PASSWORD, NEW, confirm=NEW + "!").get_data(as_text=True)
    assert "The passwords you entered do not match" in mismatch
    at_once = _change(client, "", "password1234", "").get_data(as_text=True)  # every problem in one go
    assert "Enter your current password" in at_once and TOO_COMMON in at_once
    empty = _change(client, "", "", "").get_data(as_text=True)
    for message in ("Enter your current password", "Enter a new password", "Confirm your new password"):
        assert message in empty
    assert db.session.get(User, user.id).session_generation == 1  # nothing changed


def test_it_needs_a_csrf_token(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    data = {"current_password": TEST_PASSWORD, "new_password": NEW, "confirm_password": NEW}
    assert client.post("/account/password", data=data).status_code == 400

"""What each page says an operation cuts off, it cuts off: a forced reset, a password change and a
deactivation (reactivated afterwards) each leave the person's API token refused, their calendar link
refused and their other devices signed out, and the tokens pages show both revoked."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD, AuthActions
from tests.helpers import csrf_token_from
from tests.web.pages import text
from tests.web.test_programme_list import add
from tracker.extensions import db
from tracker.models import Role
from tracker.services.accounts.tokens import create_token

NEW_PASSWORD = "a brand new phrase of mine"


@dataclass
class Person:
    """Someone signed in on a device, with an API token and a calendar link, all working."""

    id: int
    email: str
    device: FlaskClient
    api_token: str
    feed: str


def person_with_access(app: Flask, make_user) -> Person:
    user = make_user(Role.CIO, name="Jo Bloggs")
    add("DIG-004")
    _, api_token = create_token(user, name="Reporting script", purpose="api")
    _, calendar = create_token(user, name="Outlook at work", purpose="calendar")
    db.session.commit()
    device = app.test_client()
    assert AuthActions(device, make_user).sign_in(user.email).status_code == 302
    person = Person(user.id, user.email, device, api_token, f"/calendar/{calendar}/programmes/DIG-004.ics")
    assert still_works(app, person) == (200, 200, 200)
    return person


def still_works(app: Flask, person: Person) -> tuple[int, int, int]:
    """What the API, the calendar feed and the device signed in before answer now."""
    outsider = app.test_client()
    api = outsider.get("/api/v1/programmes", headers={"Authorization": f"Bearer {person.api_token}"})
    feed = outsider.get(person.feed)
    return api.status_code, feed.status_code, person.device.get("/programmes/").status_code


def assert_cut_off(app: Flask, person: Person) -> None:
    api, feed, device = still_works(app, person)
    assert api == 401, "the API token still works"
    assert feed == 404, "the calendar link still works"
    assert device == 302, "the device signed in before is still signed in"


def assert_tokens_page_shows_revoked(client: FlaskClient) -> None:
    for path, name in (("/account/api-tokens", "Reporting script"), ("/account/calendar", "Outlook at work")):
        words = text(client.get(path))
        assert re.search(rf"{name} .*Revoked \d{{1,2}} \w+ 20\d\d at", words), (path, words)


def admin_client(app: Flask, make_user) -> FlaskClient:
    client = app.test_client()
    AuthActions(client, make_user).sign_in_as(Role.ADMIN)
    return client


def test_a_forced_reset_does_what_its_button_says(app: Flask, make_user) -> None:
    person = person_with_access(app, make_user)
    admin = admin_client(app, make_user)
    edit = admin.get(f"/admin/users/{person.id}")
    assert "Forcing a reset ends all their sessions and revokes their API tokens and calendar links" in text(
        edit
    )
    generation = re.search(r'name="generation" value="(\d+)"', edit.get_data(as_text=True)).group(1)
    done = admin.post(
        f"/admin/users/{person.id}/force-reset",
        data={"csrf_token": csrf_token_from(edit), "generation": generation},
    )
    assert done.status_code == 200
    assert "All their sessions have ended, their API tokens and calendar links are revoked" in text(done)
    assert_cut_off(app, person)

    temporary = html.unescape(
        re.search(r'id="temporary-password">([^<]+)<', done.get_data(as_text=True)).group(1)
    )
    again = app.test_client()
    AuthActions(again, make_user).sign_in(person.email, temporary)
    token = csrf_token_from(again.get("/account/password"))
    changed = again.post(
        "/account/password",
        data={"csrf_token": token, "current_password": temporary, "new_password": NEW_PASSWORD,
              "confirm_password": NEW_PASSWORD},
    )  # fmt: skip
    assert changed.status_code == 302
    assert_tokens_page_shows_revoked(again)


def test_a_password_change_does_what_its_page_says(app: Flask, make_user) -> None:
    person = person_with_access(app, make_user)
    here = app.test_client()
    AuthActions(here, make_user).sign_in(person.email)
    page = here.get("/account/password")
    assert (
        "Changing your password signs you out on your other devices and revokes your API tokens and "
        "calendar links" in text(page)
    )
    changed = here.post(
        "/account/password",
        data={"csrf_token": csrf_token_from(page), "current_password": TEST_PASSWORD,
              "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        follow_redirects=True,
    )  # fmt: skip
    assert (
        "You have been signed out on your other devices, and your API tokens and calendar links have been "
        "revoked" in text(changed)
    )
    assert_cut_off(app, person)
    assert here.get("/programmes/").status_code == 200  # this device carries on
    assert_tokens_page_shows_revoked(here)


def test_a_deactivation_does_what_it_says_and_reactivating_brings_nothing_back(app: Flask, make_user) -> None:
    person = person_with_access(app, make_user)
    admin = admin_client(app, make_user)
    path = f"/admin/users/{person.id}"
    edit = admin.get(path)
    assert (
        "Deactivating someone ends all their sessions at once and revokes their API tokens and calendar "
        "links; reactivating them brings none of these back" in text(edit)
    )
    form = {"csrf_token": csrf_token_from(edit), "name": "Jo Bloggs", "role": "cio"}
    deactivated = admin.post(path, data={**form, "active": "no"}, follow_redirects=True)
    assert (
        "Jo Bloggs's account is deactivated. All their sessions have ended and their API tokens and calendar "
        "links are revoked; reactivating them brings none of these back." in text(deactivated)
    )
    assert_cut_off(app, person)

    reactivated = admin.post(path, data={**form, "active": "yes"}, follow_redirects=True)
    assert "Changes to Jo Bloggs were saved" in text(reactivated)
    assert_cut_off(app, person)  # still: nothing came back
    fresh = app.test_client()
    assert AuthActions(fresh, make_user).sign_in(person.email).status_code == 302  # they can sign in again
    assert_tokens_page_shows_revoked(fresh)

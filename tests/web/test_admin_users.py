"""Admins manage users through the pages; a user given a password must change it before anything else."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD, AuthActions
from tests.helpers import csrf_token_from
from tracker.domain.passwords import TOO_COMMON
from tracker.extensions import db
from tracker.models import Role, User
from tracker.services.accounts.users import find_by_email

FIRST_PASSWORD = "given out on a sticky note"


def _post(client: FlaskClient, path: str, data: dict[str, str], form_page: str | None = None):
    token = csrf_token_from(client.get(form_page or path))
    return client.post(path, data={"csrf_token": token, **data})


def _fresh(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def test_the_list_shows_everyone_with_role_status_and_last_sign_in(
    client: FlaskClient, auth, make_user
) -> None:
    admin = auth.sign_in_as(Role.ADMIN)
    make_user(Role.PROGRAMME_MANAGER, name="Adam Macy", email="adam.macy@testshire.gov.uk")
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'aria-current="page">Users</a>' in page
    row = re.search(
        r'<tr class="govuk-table__row" data-user-id="\d+">\s*<td[^>]*>Adam Macy</td>.*?</tr>', page, re.S
    )
    assert row and "adam.macy@testshire.gov.uk" in row.group(0) and "Programme manager" in row.group(0)
    assert "Never" in row.group(0)
    own = re.search(rf'data-user-id="{admin.id}">.*?</tr>', page, re.S).group(0)
    assert re.search(r"\d{1,2} \w+ 2026 at \d{1,2}:\d{2}(am|pm)", own), own  # UK date and time of sign-in


def test_adding_a_user_who_must_then_change_their_password(app: Flask, client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.ADMIN)
    data = {"name": "Shula Hebden", "email": "Shula.Hebden@testshire.gov.uk", "role": "viewer"}
    weak = _post(client, "/admin/users/new", {**data, "password": "password1234"})
    page = weak.get_data(as_text=True)
    assert weak.status_code == 200 and TOO_COMMON in page
    assert 'value="Shula Hebden"' in page and 'value="Shula.Hebden@testshire.gov.uk"' in page  # kept
    assert find_by_email("shula.hebden@testshire.gov.uk") is None

    added = _post(client, "/admin/users/new", {**data, "password": FIRST_PASSWORD})
    assert added.status_code == 302 and added.headers["Location"] == "/admin/users"
    assert "Shula Hebden was added" in client.get("/admin/users").get_data(as_text=True)
    duplicate = _post(client, "/admin/users/new", {**data, "password": FIRST_PASSWORD})
    assert "A user with the email shula.hebden@testshire.gov.uk already exists" in duplicate.get_data(
        as_text=True
    )

    # Shula signs in: every page sends her to change her password, until she does.
    shula = app.test_client()
    shula_auth = AuthActions(shula, None)
    signed_in = shula_auth.sign_in("shula.hebden@testshire.gov.uk", FIRST_PASSWORD, next_url="/programmes/")
    assert signed_in.headers["Location"] == "/account/password?next=/programmes/"
    for path in ("/dashboard", "/programmes/", "/account/preferences", "/admin/users"):
        response = shula.get(path)
        expected = (302, f"/account/password?next={quote(path, safe='/')}")
        assert (response.status_code, response.headers.get("Location")) == expected, path
    page = shula.get("/account/password").get_data(as_text=True)
    assert "You need to choose a new password before you can continue" in page
    assert shula.get("/healthz").status_code == 200
    token = csrf_token_from(shula.get("/account/password"))
    changed = shula.post(
        "/account/password?next=/programmes/?stage=delivery",
        data={"csrf_token": token, "current_password": FIRST_PASSWORD,
              "new_password": "shula's own long phrase", "confirm_password": "shula's own long phrase"},
    )  # fmt: skip
    # On to where she was going, with the news in a success banner.
    assert (changed.status_code, changed.headers["Location"]) == (302, "/programmes/?stage=delivery")
    arrived = shula.get(changed.headers["Location"])
    assert arrived.status_code == 200
    assert "govuk-notification-banner--success" in arrived.get_data(as_text=True)
    assert "Your password has been changed" in arrived.get_data(as_text=True)


def test_after_a_forced_change_with_nowhere_to_go_they_reach_their_home_page(
    app: Flask, client: FlaskClient, auth, make_user
) -> None:
    auth.sign_in_as(Role.ADMIN)
    person = make_user(Role.VIEWER)
    reset = _post(client, f"/admin/users/{person.id}/force-reset", {}, form_page=f"/admin/users/{person.id}")
    temporary = re.search(r'id="temporary-password">([^<]+)<', reset.text).group(1)
    theirs = app.test_client()
    signed_in = AuthActions(theirs, None).sign_in(person.email, temporary)
    assert signed_in.headers["Location"] == "/account/password"
    token = csrf_token_from(theirs.get("/account/password"))
    changed = theirs.post(
        "/account/password?next=https://elsewhere.example/",
        data={"csrf_token": token, "current_password": temporary,
              "new_password": "a phrase of their own", "confirm_password": "a phrase of their own"},
    )  # fmt: skip
    assert (changed.status_code, changed.headers["Location"]) == (302, "/dashboard")
    assert "Your password has been changed" in theirs.get("/dashboard").text


def test_editing_name_role_and_access(app: Flask, client: FlaskClient, auth, make_user) -> None:
    auth.sign_in_as(Role.ADMIN)
    person = make_user(Role.VIEWER, name="Eddie Grundy")
    theirs = app.test_client()
    AuthActions(theirs, None).sign_in(person.email)
    assert theirs.get("/programmes/").status_code == 200
    form = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert 'value="Eddie Grundy"' in form and 'value="viewer" checked' in form
    saved = _post(
        client, f"/admin/users/{person.id}", {"name": "Edward Grundy", "role": "cio", "active": "no"}
    )
    assert saved.status_code == 302
    changed = _fresh(person.id)
    assert (changed.name, changed.role, changed.active) == ("Edward Grundy", Role.CIO, False)
    assert theirs.get("/programmes/").status_code == 302  # deactivated: signed out at once
    assert AuthActions(app.test_client(), None).sign_in(person.email).status_code == 200  # refused
    blank = _post(client, f"/admin/users/{person.id}", {"name": " ", "role": "cio", "active": "yes"})
    assert "Enter the person&#39;s name" in blank.get_data(as_text=True)
    assert client.get("/admin/users/999999").status_code == 404


def test_an_admin_cannot_demote_or_deactivate_themselves(client: FlaskClient, auth) -> None:
    admin = auth.sign_in_as(Role.ADMIN)
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "This is your own account" in page and "Force password reset" not in page
    demoted = _post(
        client, f"/admin/users/{admin.id}", {"name": admin.name, "role": "viewer", "active": "yes"}
    )
    assert "You cannot remove your own admin role" in demoted.get_data(as_text=True)
    off = _post(client, f"/admin/users/{admin.id}", {"name": admin.name, "role": "admin", "active": "no"})
    assert "You cannot deactivate your own account" in off.get_data(as_text=True)
    assert _fresh(admin.id).role is Role.ADMIN and _fresh(admin.id).active


def test_force_password_reset_signs_them_out_and_makes_them_choose(
    app: Flask, client: FlaskClient, auth, make_user
) -> None:
    auth.sign_in_as(Role.ADMIN)
    person = make_user(Role.CIO)
    theirs = app.test_client()
    AuthActions(theirs, None).sign_in(person.email)
    assert theirs.get("/programmes/").status_code == 200

    form = client.get(f"/admin/users/{person.id}")
    generation = re.search(r'name="generation" value="(\d+)"', form.text).group(1)
    sent = {"csrf_token": csrf_token_from(form), "generation": generation}
    shown = client.post(f"/admin/users/{person.id}/force-reset", data=sent)
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    temporary = re.search(r'id="temporary-password">([^<]+)<', page).group(1).strip()
    assert re.fullmatch(r"[a-z]+-[a-z]+-[a-z]+-[a-z]+", temporary)
    assert "only time the temporary password is shown" in page
    assert temporary not in client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    with client.session_transaction() as session:  # never kept, not even in the signed session cookie
        assert temporary not in str(dict(session))
    # A reload sends the same POST again: refused, so the password just shown still stands.
    reloaded = client.post(f"/admin/users/{person.id}/force-reset", data=sent)
    assert reloaded.status_code == 409
    assert temporary not in reloaded.text
    assert "the temporary password shown then still stands" in reloaded.text
    assert theirs.get("/programmes/").headers["Location"].startswith("/sign-in")
    assert AuthActions(theirs, None).sign_in(person.email, TEST_PASSWORD).status_code == 200  # refused
    assert (
        AuthActions(theirs, None).sign_in(person.email, temporary).headers["Location"] == "/account/password"
    )
    assert "must choose a new password when they next sign in" in client.get(
        f"/admin/users/{person.id}"
    ).get_data(as_text=True)
    assert "Must change password" in client.get("/admin/users").get_data(as_text=True)


def test_the_reset_is_a_post_with_its_csrf_token(client: FlaskClient, auth, make_user) -> None:
    auth.sign_in_as(Role.ADMIN)
    person = make_user(Role.CIO)
    assert client.get(f"/admin/users/{person.id}/force-reset").status_code == 405
    assert client.post(f"/admin/users/{person.id}/force-reset").status_code == 400  # no CSRF token
    assert AuthActions(client.application.test_client(), None).sign_in(person.email).status_code == 302


def test_with_passwords_off_a_person_is_added_without_one_to_sign_in_through_the_directory(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.sign_in_as(Role.ADMIN)
    app.config.update(
        LOCAL_SIGN_IN=False, OIDC_ISSUER="https://login.example", OIDC_LABEL="Sign in with Microsoft"
    )
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert 'name="password"' not in form and "Password sign-in is off" in form

    missing = _post(client, "/admin/users/new", {"name": "", "email": "not-an-email", "role": "cio"})
    page = missing.get_data(as_text=True)
    assert "Enter the person" in page and "Enter an email address in the correct format" in page

    added = _post(
        client, "/admin/users/new", {"name": "Shula Hebden", "email": "shula@testshire.gov.uk", "role": "cio"}
    )
    assert added.status_code == 302
    assert "They sign in with the button “Sign in with Microsoft”" in client.get("/admin/users").get_data(
        as_text=True
    )
    person = find_by_email("shula@testshire.gov.uk")
    assert person.role is Role.CIO and person.password_hash == "" and not person.must_change_password

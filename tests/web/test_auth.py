"""Signing in and out as a person would, through the real form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD
from tracker.models import Role
from tracker.services.accounts.auth import SIGN_IN_FAILED


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.ADMIN, "/dashboard"),
        (Role.CIO, "/dashboard"),
        (Role.VIEWER, "/dashboard"),
        (Role.PROGRAMME_MANAGER, "/dashboard?scope=mine"),
    ],
)
def test_each_role_lands_on_its_page(auth, make_user, client: FlaskClient, role: Role, landing: str) -> None:
    user = make_user(role)
    response = auth.sign_in(user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == landing
    page = client.get(landing)
    assert page.status_code == 200
    assert ("My programmes" if role is Role.PROGRAMME_MANAGER else "Portfolio dashboard") in page.get_data(
        as_text=True
    )


def test_email_is_matched_whatever_its_case(auth, make_user) -> None:
    user = make_user(Role.CIO, email="Chief.Info@Testshire.gov.uk")
    assert user.email == "chief.info@testshire.gov.uk"
    assert auth.sign_in("  CHIEF.INFO@testshire.gov.uk ").status_code == 302


def test_unknown_email_and_wrong_password_get_the_same_answer(auth, make_user) -> None:
    user = make_user(Role.CIO)
    wrong_password = auth.sign_in(user.email, "not the password at all")
    unknown_email = auth.sign_in("nobody@testshire.gov.uk", "not the password at all")
    assert wrong_password.status_code == unknown_email.status_code == 200
    for response in (wrong_password, unknown_email):
        body = response.get_data(as_text=True)
        assert SIGN_IN_FAILED in body
        assert "There is a problem" in body
    assert "nobody@testshire.gov.uk" in unknown_email.get_data(as_text=True)  # what they typed is kept


def test_missing_fields_are_explained(client: FlaskClient, auth) -> None:
    response = client.post("/sign-in", data={"csrf_token": auth.csrf_token()})
    body = response.get_data(as_text=True)
    assert "Enter your email address" in body
    assert "Enter your password" in body
    assert 'href="#email"' in body


def test_pages_need_sign_in_and_come_back_after_it(client: FlaskClient, auth, make_user) -> None:
    response = client.get("/programmes/?scope=mine")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")
    user = make_user(Role.VIEWER)
    signed_in = auth.sign_in(user.email, next_url="/programmes/?closed=1")
    assert signed_in.headers["Location"] == "/programmes/?closed=1"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "http:/evil"],
)
def test_next_never_leaves_the_site(auth, make_user, target: str) -> None:
    user = make_user(Role.CIO)
    response = auth.sign_in(user.email, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_sign_in_starts_a_fresh_session_and_sign_out_ends_it(client: FlaskClient, auth, make_user) -> None:
    user = make_user(Role.CIO)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.sign_in(user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        key = session["_user_id"]
    # The cookie names a server-side session of this person's, not the person.
    from tracker.extensions import db
    from tracker.models import UserSession

    row = db.session.get(UserSession, int(key.partition(".")[0]))
    assert row is not None and row.user_id == user.id and row.ended_at is None
    response = auth.sign_out()
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "You have signed out" in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/programmes/").status_code == 302
    row = db.session.get(UserSession, row.id)
    assert row.ended_at is not None and row.ended_reason == "Signed out"


def test_sign_out_needs_a_post(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.CIO)
    assert client.get("/sign-out").status_code == 405
    assert client.get("/programmes/").status_code == 200


def test_a_password_change_ends_other_sessions(app: Flask, client: FlaskClient, auth) -> None:
    from tracker.extensions import db
    from tracker.models import User
    from tracker.services.accounts.sessions import revoke_access

    user_id = auth.sign_in_as(Role.CIO).id
    assert client.get("/programmes/").status_code == 200
    revoke_access(db.session.get(User, user_id), reason="Password changed elsewhere")
    assert client.get("/programmes/").status_code == 302


def test_deactivated_user_cannot_sign_in(auth, make_user) -> None:
    from tracker.extensions import db

    user = make_user(Role.CIO)
    user.active = False
    db.session.commit()
    response = auth.sign_in(user.email)
    assert response.status_code == 200
    assert SIGN_IN_FAILED in response.get_data(as_text=True)


def test_failed_sign_ins_slow_down_that_account(auth, make_user, time_machine) -> None:
    time_machine.move_to("2026-11-27 10:00:00+00:00", tick=False)
    user = make_user(Role.CIO)
    for _ in range(5):
        assert auth.sign_in(user.email, "guessing wrongly!!").status_code == 200
    blocked = auth.sign_in(user.email, TEST_PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert "Too many failed attempts to sign in. Wait 1 minute and try again." in blocked.get_data(
        as_text=True
    )

    time_machine.shift(timedelta(seconds=31))
    assert auth.sign_in(user.email, "guessing again!!!!").status_code == 200  # sixth failure: longer wait
    time_machine.shift(timedelta(seconds=31))
    assert auth.sign_in(user.email, TEST_PASSWORD).status_code == 429
    time_machine.shift(timedelta(seconds=30))
    assert auth.sign_in(user.email, TEST_PASSWORD).status_code == 302


def test_unknown_accounts_are_slowed_down_the_same_way(auth, time_machine) -> None:
    time_machine.move_to("2026-11-27 10:00:00+00:00", tick=False)
    for _ in range(5):
        auth.sign_in("ghost@testshire.gov.uk", "guessing wrongly!!")
    assert auth.sign_in("ghost@testshire.gov.uk", "guessing wrongly!!").status_code == 429


def test_many_failures_from_one_address_slow_that_address(auth, make_user, time_machine) -> None:
    time_machine.move_to("2026-11-27 10:00:00+00:00", tick=False)
    for number in range(20):
        auth.sign_in(f"spray{number}@testshire.gov.uk", "guessing wrongly!!")
    user = make_user(Role.CIO)
    assert auth.sign_in(user.email, TEST_PASSWORD).status_code == 429

"""The sign-in log: every attempt, as admins read it, filtered, a page at a time, at a fixed cost."""

from __future__ import annotations

import re

from flask import Flask

from tests.conftest import AuthActions
from tests.web.pages import counting_queries, get, table_rows, text
from tracker.domain.vocabulary import SignInMethod, SignInResult
from tracker.models import Role
from tracker.services.accounts.sessions import record_sign_in

WHEN = r"\d{1,2} \w+ 20\d\d at (\d{1,2}(:\d\d)?(am|pm)|midday|midnight)"


def from_address(app: Flask, make_user, address: str) -> AuthActions:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return AuthActions(client, make_user)


def test_failures_a_throttled_attempt_and_a_success_are_logged(app: Flask, client, auth, make_user) -> None:
    person = make_user(Role.VIEWER, email="jo.bloggs@testshire.gov.uk", name="Jo Bloggs")
    guesser = from_address(app, make_user, "203.0.113.66")
    for _ in range(5):  # the fifth failure in a row starts a wait
        assert guesser.sign_in(person.email, "not the password").status_code == 200
    assert guesser.sign_in(person.email, "not the password").status_code == 429
    stranger = from_address(app, make_user, "192.0.2.10")
    assert stranger.sign_in("nobody@testshire.gov.uk", "x").status_code == 200
    admin = auth.sign_in_as(Role.ADMIN)

    page = client.get("/admin/sign-ins")
    assert page.status_code == 200 and 'aria-current="page">Sign-in log</a>' in page.get_data(as_text=True)
    rows = table_rows(page.get_data(as_text=True))
    assert len(rows) == 8 and "8 attempts" in text(page)
    newest, unknown, throttled, *failed = rows
    assert re.match(rf"{WHEN} {admin.email} Password Signed in\s+127\.0\.0\.1$", newest), newest
    assert re.match(rf"{WHEN} nobody@testshire\.gov\.uk Password Failed .* 192\.0\.2\.10$", unknown), unknown
    assert re.match(
        rf"{WHEN} jo\.bloggs@testshire\.gov\.uk Password Throttled Too many failed attempts 203\.0\.113\.66$",
        throttled,
    ), throttled
    for row in failed:
        assert "jo.bloggs@testshire.gov.uk Password Failed" in row and "203.0.113.66" in row
    html = page.get_data(as_text=True)
    # A known person's email leads to their page, even on an attempt refused before the password was checked.
    assert html.count(f'href="/admin/users/{person.id}"') == 6
    assert '<strong class="govuk-tag govuk-tag--orange">Throttled</strong>' in html

    by_result = table_rows(get(client, "/admin/sign-ins?result=throttled"))
    assert len(by_result) == 1 and "Throttled" in by_result[0]
    by_email = text(client.get("/admin/sign-ins?email=JO.BLOGGS"))
    assert "6 attempts" in by_email and "nobody@" not in by_email
    both = client.get("/admin/sign-ins?email=bloggs&result=signed_in")
    assert "0 attempts" in text(both) and "No attempt to sign in matches these filters" in text(both)
    assert 'value="bloggs"' in both.get_data(as_text=True)  # the filter is kept in the form
    assert client.get("/admin/sign-ins?result=nonsense&page=x").status_code == 200  # ignored, not an error

    # The person's own admin page shows their last few.
    recent = text(client.get(f"/admin/users/{person.id}"))
    assert "Jo Bloggs’s last 5 attempts to sign in, newest first" in recent
    assert "Throttled" in recent and "203.0.113.66" in recent


def test_only_admins_read_the_log(client, auth) -> None:
    assert client.get("/admin/sign-ins").status_code == 302
    auth.sign_in_as(Role.CIO)
    assert client.get("/admin/sign-ins").status_code == 403


def _attempts(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        record_sign_in(
            method=SignInMethod.OIDC if n % 2 else SignInMethod.PASSWORD,
            result=SignInResult.FAILED if n % 3 else SignInResult.SIGNED_IN,
            email=f"person{n}@testshire.gov.uk",
            reason="",
            address=f"192.0.2.{n % 250}",
        )


def test_the_log_costs_the_same_queries_at_5_and_60_attempts_and_pages_by_50(client, auth, make_user) -> None:
    auth.sign_in_as(Role.ADMIN)
    for n in range(3):
        make_user(Role.VIEWER, email=f"person{n}@testshire.gov.uk")
    _attempts(4)
    get(client, "/admin/sign-ins")  # warm up
    with counting_queries() as few:
        get(client, "/admin/sign-ins")
    _attempts(56, start=4)
    with counting_queries() as many:
        page = get(client, "/admin/sign-ins")
    assert len(many) == len(few)
    assert len(table_rows(page)) == 50 and "Page 1 of 2" in text(client.get("/admin/sign-ins"))
    second = get(client, "/admin/sign-ins?page=2")
    assert len(table_rows(second)) == 11  # 60 attempts and the admin's own sign-in
    assert "person0@testshire.gov.uk" in text(client.get("/admin/sign-ins?page=2"))  # the oldest, last
    assert "Directory (OpenID Connect)" in text(client.get("/admin/sign-ins"))

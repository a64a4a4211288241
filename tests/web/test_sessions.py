"""Sessions and headers on the real app: fresh at sign-in, dead after sign-out, ended by idleness,
and the security headers on every kind of response."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_test_app
from tests.helpers import csrf_token_from
from tracker.config import load_settings
from tracker.models import Role

SESSION_COOKIE = "session"


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    return cookie.value


def test_sign_in_issues_a_new_session_so_a_planted_one_is_worth_nothing(
    client: FlaskClient, auth, make_user
) -> None:
    email = make_user(Role.CIO).email
    before_token = csrf_token_from(client.get("/sign-in"))
    before = _cookie(client)
    auth.sign_in(email)
    after = _cookie(client)
    assert after != before
    assert csrf_token_from(client.get("/account/password")) != before_token  # the old form token is gone too


def test_a_cookie_copied_before_sign_out_no_longer_works(app: Flask, client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.CIO)
    copied = _cookie(client)
    assert auth.sign_out().status_code == 302
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, copied, domain="localhost")
    response = thief.get("/programmes/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_an_idle_session_expires_and_an_active_one_is_renewed(
    app: Flask, client: FlaskClient, auth, make_user, time_machine
) -> None:
    assert app.permanent_session_lifetime == timedelta(hours=8)  # IDLE_TIMEOUT_HOURS default
    time_machine.move_to("2026-11-27 09:00:00+00:00", tick=False)
    user = make_user(Role.VIEWER)
    auth.sign_in(user.email)
    cookie = client.get_cookie(SESSION_COOKIE)
    assert cookie.expires is not None  # a permanent session: the browser is told when it ends
    assert cookie.expires - cookie.expires.now(cookie.expires.tzinfo) == timedelta(hours=8)

    for hours in (7, 7, 7):  # 21 hours in all, never idle for 8
        time_machine.shift(timedelta(hours=hours))
        assert client.get("/programmes/").status_code == 200
    kept = _cookie(client)

    time_machine.shift(timedelta(hours=8, minutes=1))
    response = client.get("/programmes/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    replay = app.test_client()  # the server refuses the old cookie itself, whatever a browser keeps
    replay.set_cookie(SESSION_COOKIE, kept, domain="localhost")
    assert replay.get("/programmes/").status_code == 302


def test_the_idle_timeout_is_a_setting(workdir) -> None:
    environ = {"SECRET_KEY": "x", "IDLE_TIMEOUT_HOURS": "0.5", "BASE_URL": "https://tracker.example.gov.uk"}
    config = load_settings(environ, instance_dir=workdir / "instance").flask_config()
    assert config["PERMANENT_SESSION_LIFETIME"] == 1800
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def _assert_hardened(response, *, https: bool = False) -> None:
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy.split("style-src")[0]  # scripts never run inline without a nonce
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    assert ("Strict-Transport-Security" in headers) is https


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [
        ("/sign-in", "GET", 200),
        ("/programmes/", "GET", 302),
        ("/no-such-page", "GET", 404),
        ("/sign-out", "GET", 405),
        ("/sign-out", "POST", 400),
        ("/static/tracker.css", "GET", 200),
        ("/healthz", "GET", 200),
        ("/boom-for-test", "GET", 500),
    ],
)
def test_every_kind_of_response_carries_the_headers(
    schema: str, workdir, path: str, method: str, status: int
) -> None:
    for base_url, https in (("http://tracker.test", False), ("https://tracker.example.gov.uk", True)):
        app = make_test_app(schema, workdir, BASE_URL=base_url, TESTING=False)
        app.add_url_rule("/boom-for-test", "boom_for_test", _boom)
        response = app.test_client().open(path, method=method)
        assert response.status_code == status
        _assert_hardened(response, https=https)


def test_the_digest_preview_keeps_its_own_stricter_policy(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.CIO)
    response = client.get("/digest/preview")
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    _assert_hardened(response)


def _boom() -> str:
    raise RuntimeError("broken on purpose")

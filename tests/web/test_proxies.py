"""Behind a reverse proxy (TRUSTED_PROXIES=1) sign-in throttling counts client addresses, not the proxy."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import TEST_PASSWORD, make_test_app
from tests.helpers import csrf_token_from
from tracker.models import Role


@pytest.fixture
def proxied_client(app: Flask, schema: str, workdir: Path):
    """A client of an app told that one proxy sits in front of it (same database as `app`)."""
    return make_test_app(schema, workdir, TRUSTED_PROXIES=1).test_client()


def _sign_in(client, email: str, password: str, address: str) -> int:
    # Over https Flask-WTF also checks the Referer is this site, as a browser would send it.
    headers = {
        "X-Forwarded-For": address,
        "X-Forwarded-Proto": "https",
        "Referer": "https://localhost/sign-in",
    }
    token = csrf_token_from(client.get("/sign-in", headers=headers))
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/sign-in", data=data, headers=headers).status_code


def test_failures_from_one_address_behind_the_proxy_do_not_lock_out_another(
    proxied_client, make_user, time_machine
) -> None:
    time_machine.move_to("2026-11-27 10:00:00+00:00", tick=False)
    for number in range(20):
        _sign_in(proxied_client, f"spray{number}@testshire.gov.uk", "guessing wrongly!!", "203.0.113.9")
    user = make_user(Role.CIO)
    assert _sign_in(proxied_client, user.email, TEST_PASSWORD, "203.0.113.9") == 429
    assert _sign_in(proxied_client, user.email, TEST_PASSWORD, "198.51.100.7") == 302


def test_without_trusted_proxies_the_forwarded_address_is_ignored(client, make_user, time_machine) -> None:
    time_machine.move_to("2026-11-27 10:00:00+00:00", tick=False)
    for number in range(20):
        _sign_in(client, f"spray{number}@testshire.gov.uk", "guessing wrongly!!", f"203.0.113.{number}")
    user = make_user(Role.CIO)
    # A client cannot dodge the per-address limit by inventing X-Forwarded-For headers.
    assert _sign_in(client, user.email, TEST_PASSWORD, "198.51.100.7") == 429

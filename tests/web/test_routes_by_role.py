"""Every route in the URL map, for every role: the status a user gets.

A new route without an entry here fails the completeness test, so it cannot be forgotten."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tracker.models import Role

ANON = "anonymous"
ROLES = [ANON, *[role.value for role in Role]]

# endpoint -> (method, path, {role: expected status})
ROUTES: dict[str, tuple[str, str, dict[str, int]]] = {
    "main.index": (
        "GET",
        "/",
        {ANON: 302, "admin": 302, "cio": 302, "programme_manager": 302, "viewer": 302},
    ),
    "main.healthz": ("GET", "/healthz", dict.fromkeys(ROLES, 200)),
    "auth.sign_in": (
        "GET",
        "/sign-in",
        {ANON: 200, "admin": 302, "cio": 302, "programme_manager": 302, "viewer": 302},
    ),
    "auth.sign_out": ("POST", "/sign-out", dict.fromkeys(ROLES, 302)),
    "programmes.index": (
        "GET",
        "/programmes/",
        {ANON: 302, "admin": 200, "cio": 200, "programme_manager": 200, "viewer": 200},
    ),
    "static": ("GET", "/static/tracker.css", dict.fromkeys(ROLES, 200)),
}


def test_every_route_has_an_entry(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(ROUTES) == set(), "add the new routes to ROUTES with the status each role gets"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_status_by_role(client: FlaskClient, auth, endpoint: str, role: str) -> None:
    method, path, expected = ROUTES[endpoint]
    if role != ANON:
        auth.sign_in_as(role)
    data = {"csrf_token": auth.csrf_token()} if method == "POST" else None
    response = client.open(path, method=method, data=data)
    assert response.status_code == expected[role]

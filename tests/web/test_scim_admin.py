"""Admins make the provisioning service's token (shown once, with the Tenant URL for Entra ID) and
revoke it after confirming; operators can make one from the command line."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import csrf_token_from
from tracker.models import Role


def _created_token(page: str) -> str:
    match = re.search(r'<code id="scim-token">([^<]+)</code>', page)
    assert match, "no token on the page"
    return match.group(1)


def test_an_admin_creates_a_token_shown_once_that_entra_can_call_with(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.ADMIN)
    index = client.get("/admin/provisioning")
    assert index.status_code == 200
    assert "http://tracker.test/scim/v2" in index.get_data(as_text=True)
    response = client.post(
        "/admin/provisioning/new", data={"name": "Entra ID", "csrf_token": csrf_token_from(index)}
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "http://tracker.test/scim/v2" in page
    token = _created_token(page)
    listed = client.get("/admin/provisioning").get_data(as_text=True)
    assert "Entra ID" in listed and token not in listed  # never shown again
    client.post("/sign-out", data={"csrf_token": csrf_token_from(client.get("/programmes/"))})
    probe = client.get('/scim/v2/Users?filter=userName eq "x"', headers={"Authorization": f"Bearer {token}"})
    assert probe.status_code == 200


def test_a_token_needs_a_name(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.ADMIN)
    index = client.get("/admin/provisioning")
    response = client.post(
        "/admin/provisioning/new", data={"name": " ", "csrf_token": csrf_token_from(index)}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and "Enter a name for the token" in page


def test_revoking_asks_first_then_refuses_the_token(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.ADMIN)
    index = client.get("/admin/provisioning")
    created = client.post(
        "/admin/provisioning/new", data={"name": "Entra ID", "csrf_token": csrf_token_from(index)}
    )
    token = _created_token(created.get_data(as_text=True))
    token_id = re.search(r'data-token-id="(\d+)"', client.get("/admin/provisioning").get_data(as_text=True))
    assert token_id
    confirm = client.get(f"/admin/provisioning/{token_id.group(1)}/revoke")
    assert confirm.status_code == 200
    assert "Revoke the provisioning token" in confirm.get_data(as_text=True)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/scim/v2/Users", headers=headers).status_code == 200  # not yet
    done = client.post(
        f"/admin/provisioning/{token_id.group(1)}/revoke", data={"csrf_token": csrf_token_from(confirm)}
    )
    assert done.status_code == 302
    assert "Revoked" in client.get("/admin/provisioning").get_data(as_text=True)
    assert client.get("/scim/v2/Users", headers=headers).status_code == 401


def test_the_command_line_prints_a_working_token_once(app: Flask, client: FlaskClient) -> None:
    result = app.test_cli_runner().invoke(args=["users", "scim-token", "--name", "Entra ID"])
    assert result.exit_code == 0, result.output
    assert "Tenant URL:   http://tracker.test/scim/v2" in result.output
    token = re.search(r"Secret Token: (\S+)", result.output)
    assert token
    assert (
        client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {token.group(1)}"}).status_code == 200
    )

"""The API tokens page: create a token (shown once), see when it was last used, revoke it."""

from __future__ import annotations

import re

import time_machine
from flask.testing import FlaskClient

from tests.helpers import csrf_token_from
from tracker.models import Role

TOKEN = re.compile(r'<code id="api-token">(cpt_[^<]+)</code>')


def _create(client: FlaskClient, name: str):
    token = csrf_token_from(client.get("/account/api-tokens"))
    return client.post("/account/api-tokens/new", data={"name": name, "csrf_token": token})


def test_a_viewer_creates_a_token_that_reads_but_never_writes(client: FlaskClient, auth, world) -> None:
    auth.sign_in_as(Role.VIEWER)
    created = _create(client, "Finance dashboard")
    page = created.get_data(as_text=True)
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    assert "It will not be shown again" in page
    plaintext = TOKEN.search(page).group(1)

    headers = {"Authorization": f"Bearer {plaintext}"}
    assert client.get("/api/v1/programmes", headers=headers).status_code == 200
    change = client.patch(
        f"/api/v1/milestones/{world.own_milestone}", json={"status": "in_progress"}, headers=headers
    )
    assert change.status_code == 403

    listing = client.get("/account/api-tokens").get_data(as_text=True)
    assert "Finance dashboard" in listing and plaintext not in listing
    assert "Never" not in listing  # it has been used


def test_last_used_is_shown_in_uk_time(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.PROGRAMME_MANAGER)
    plaintext = TOKEN.search(_create(client, "Nightly export").get_data(as_text=True)).group(1)
    assert "Never" in client.get("/account/api-tokens").get_data(as_text=True)
    with time_machine.travel("2026-07-01 09:30:00+00:00", tick=False):
        client.get("/api/v1/programmes", headers={"Authorization": f"Bearer {plaintext}"})
    assert "1 July 2026 at 10:30am" in client.get("/account/api-tokens").get_data(as_text=True)


def test_revoking_stops_the_token(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.CIO)
    plaintext = TOKEN.search(_create(client, "Old script").get_data(as_text=True)).group(1)
    page = client.get("/account/api-tokens")
    action = re.search(r'action="(/account/api-tokens/\d+/revoke)"', page.get_data(as_text=True)).group(1)
    revoked = client.post(action, data={"csrf_token": csrf_token_from(page)}, follow_redirects=True)
    assert "revoked" in revoked.get_data(as_text=True)
    assert "Revoked" in revoked.get_data(as_text=True)
    assert (
        client.get("/api/v1/programmes", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 401
    )


def test_someone_elses_token_cannot_be_revoked(client: FlaskClient, auth, make_user) -> None:
    from tracker.services.accounts.tokens import create_token

    theirs, _ = create_token(make_user(Role.ADMIN), name="Theirs")
    theirs_id = theirs.id
    auth.sign_in_as(Role.ADMIN)
    token = csrf_token_from(client.get("/account/api-tokens"))
    assert (
        client.post(f"/account/api-tokens/{theirs_id}/revoke", data={"csrf_token": token}).status_code == 404
    )


def test_a_name_is_needed(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    page = _create(client, "   ").get_data(as_text=True)
    assert "There is a problem" in page and "Enter a name for the token" in page
    assert "cpt_" not in page


def test_the_account_menu_links_to_the_page(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    page = client.get("/account/preferences").get_data(as_text=True)
    assert 'href="/account/api-tokens"' in page

"""Only a live API token gets in: no token, a wrong one, a revoked one or a session cookie get 401."""

from __future__ import annotations

from flask.testing import FlaskClient

from tracker.extensions import db
from tracker.models import ApiToken, Role, User
from tracker.services.accounts.tokens import create_token, revoke_token


def _refused(response, words: str) -> None:
    assert response.status_code == 401
    assert response.is_json and response.headers["WWW-Authenticate"].lower().startswith("bearer")
    body = response.get_json()
    assert body["status"] == 401 and words in body["error"]


def test_no_token_is_refused_with_the_bearer_challenge(client: FlaskClient) -> None:
    _refused(client.get("/api/v1/programmes"), "Authorization header")


def test_another_scheme_is_refused(client: FlaskClient) -> None:
    _refused(client.get("/api/v1/programmes", headers={"Authorization": "Basic dXNlcjpwYXNz"}), "Bearer")


def test_an_unknown_token_is_refused(client: FlaskClient) -> None:
    _refused(client.get("/api/v1/programmes", headers={"Authorization": "Bearer cpt_guess"}), "not valid")


def test_a_revoked_token_is_refused(client: FlaskClient, make_user) -> None:
    user = make_user(Role.CIO)
    token, plaintext = create_token(user, name="Old script")
    user_id, token_id = user.id, token.id
    headers = {"Authorization": f"Bearer {plaintext}"}
    assert client.get("/api/v1/programmes", headers=headers).status_code == 200
    revoke_token(db.session.get(User, user_id), token_id, purpose="api")
    _refused(client.get("/api/v1/programmes", headers=headers), "revoked")


def test_a_calendar_token_does_not_open_the_api(client: FlaskClient, make_user) -> None:
    _, plaintext = create_token(make_user(Role.ADMIN), name="Outlook", purpose="calendar")
    _refused(client.get("/api/v1/programmes", headers={"Authorization": f"Bearer {plaintext}"}), "not valid")


def test_a_signed_in_session_is_not_enough(client: FlaskClient, auth) -> None:
    """The API trusts no cookie, which is why it needs no CSRF token."""
    auth.sign_in_as(Role.ADMIN)
    _refused(client.get("/api/v1/programmes"), "Authorization header")


def test_use_is_noted_as_last_used(client: FlaskClient, make_user) -> None:
    token, plaintext = create_token(make_user(Role.VIEWER), name="Report")
    token_id = token.id
    assert token.last_used_at is None
    client.get("/api/v1/programmes", headers={"Authorization": f"Bearer {plaintext}"})
    assert db.session.get(ApiToken, token_id).last_used_at is not None


def test_the_openapi_document_is_public(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/milestones/{milestone_id}" in document["paths"]
    money = document["components"]["schemas"]["Investment"]["properties"]["approved"]
    assert (money["type"], money["format"]) == ("string", "decimal")  # never a float

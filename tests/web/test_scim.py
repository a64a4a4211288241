"""SCIM provisioning as Microsoft Entra ID's provisioning service calls it: its own payloads (create,
the validation probe, filter, replace, PATCH with capitalised ops and "False"), groups that give roles,
and deactivation cutting a signed-in person off at once."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent, Role, User, UserSession
from tracker.models.types import utcnow
from tracker.services.accounts.tokens import create_token as create_api_token
from tracker.services.accounts.users import hash_password
from tracker.services.scim import tokens as scim_tokens

BASE = "/scim/v2"
SCIM_JSON = "application/scim+json"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


class Scim:
    """The provisioning service: every call with its bearer token and SCIM's media type."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client, self.token = client, token

    def call(self, method: str, path: str, body: dict | None = None, *, token: str | None = None):
        headers = {"Authorization": f"Bearer {token or self.token}"}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body), SCIM_JSON
        return self.client.open(f"{BASE}{path}", method=method, data=data, headers=headers)

    def get(self, path: str):
        return self.call("GET", path)

    def post(self, path: str, body: dict):
        return self.call("POST", path, body)

    def put(self, path: str, body: dict):
        return self.call("PUT", path, body)

    def patch(self, path: str, *operations: dict):
        return self.call("PATCH", path, {"schemas": [PATCH_OP], "Operations": list(operations)})

    def delete(self, path: str):
        return self.call("DELETE", path)


@pytest.fixture
def scim(app: Flask, client: FlaskClient) -> Scim:
    _, plaintext = scim_tokens.create_token(name="Entra ID")
    return Scim(client, plaintext)


def entra_user(user_name: str, *, external_id: str | None = None, active: bool = True) -> dict:
    """A create request as Entra's provisioning service sends it (its documented test payload)."""
    return {
        "schemas": [CORE_USER, ENTERPRISE],
        "externalId": external_id or str(uuid.uuid4()),
        "userName": user_name,
        "active": active,
        "displayName": "Ann Example",
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Ann Example", "familyName": "Example", "givenName": "Ann"},
        "roles": [],
        ENTERPRISE: {"department": "Digital", "employeeNumber": "1234"},
    }


def _user(email: str) -> User:
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


# Users: create, probe, filter, replace, patch.


def test_entra_creates_a_person_with_no_password_and_the_default_role(scim: Scim) -> None:
    response = scim.post("/Users", entra_user("ann.example@testshire.gov.uk", external_id="obj-1"))
    assert response.status_code == 201
    assert response.mimetype == SCIM_JSON
    body = response.get_json()
    assert body["userName"] == "ann.example@testshire.gov.uk"
    assert body["externalId"] == "obj-1"
    assert body["active"] is True
    assert response.headers["Location"] == f"http://tracker.test{BASE}/Users/{body['id']}"
    user = _user("ann.example@testshire.gov.uk")
    assert (user.name, user.role, user.password_hash, user.scim_external_id) == (
        "Ann Example",
        Role.VIEWER,
        "",
        "obj-1",
    )
    assert scim.get(f"/Users/{body['id']}").get_json()["displayName"] == "Ann Example"


def test_the_default_role_setting_is_given_to_new_people(app: Flask, scim: Scim) -> None:
    app.config["OIDC_DEFAULT_ROLE"] = "board"
    scim.post("/Users", entra_user("bo@testshire.gov.uk"))
    assert _user("bo@testshire.gov.uk").role is Role.BOARD


def test_the_name_comes_from_given_and_family_names_without_a_display_name(scim: Scim) -> None:
    payload = entra_user("cy@testshire.gov.uk")
    del payload["displayName"]
    payload["name"] = {"givenName": "Cy", "familyName": "Twelve"}
    assert scim.post("/Users", payload).status_code == 201
    assert _user("cy@testshire.gov.uk").name == "Cy Twelve"


def test_entras_validation_probe_finds_nobody(scim: Scim) -> None:
    response = scim.get(f'/Users?filter=userName eq "{uuid.uuid4()}"')
    assert response.status_code == 200
    assert response.get_json() == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 0,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": [],
    }


def test_filter_by_user_name_finds_the_person_whatever_the_case(scim: Scim, make_user) -> None:
    make_user(Role.CIO, email="dee@testshire.gov.uk")
    make_user(Role.VIEWER, email="someone.else@testshire.gov.uk")
    body = scim.get('/Users?filter=userName eq "Dee@Testshire.gov.uk"').get_json()
    assert body["totalResults"] == 1
    assert [found["userName"] for found in body["Resources"]] == ["dee@testshire.gov.uk"]


def test_filter_by_external_id_and_paging(scim: Scim) -> None:
    for number in range(3):
        scim.post("/Users", entra_user(f"p{number}@testshire.gov.uk", external_id=f"obj-{number}"))
    assert scim.get('/Users?filter=externalId eq "obj-2"').get_json()["Resources"][0]["userName"] == (
        "p2@testshire.gov.uk"
    )
    page = scim.get("/Users?startIndex=2&count=1").get_json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (3, 2, 1)
    assert page["Resources"][0]["userName"] == "p1@testshire.gov.uk"


@pytest.mark.parametrize(
    "text",
    ['userName co "ann"', 'userName eq "a" or userName eq "b"', 'title eq "x"', "userName eq ann", "("],
)
def test_a_filter_it_does_not_support_is_refused_as_invalid(scim: Scim, text: str) -> None:
    response = scim.get(f"/Users?filter={text}")
    assert response.status_code == 400
    assert response.mimetype == SCIM_JSON
    body = response.get_json()
    assert body["schemas"] == [ERROR]
    assert (body["status"], body["scimType"]) == ("400", "invalidFilter")


def test_a_taken_user_name_already_provisioned_is_a_uniqueness_error(scim: Scim) -> None:
    scim.post("/Users", entra_user("eve@testshire.gov.uk", external_id="obj-eve"))
    response = scim.post("/Users", entra_user("EVE@testshire.gov.uk", external_id="obj-other"))
    assert response.status_code == 409
    assert response.get_json()["scimType"] == "uniqueness"


def test_an_account_already_here_is_linked_by_email_not_doubled(scim: Scim, make_user) -> None:
    existing_id = make_user(Role.CIO, email="fay@testshire.gov.uk").id
    response = scim.post("/Users", entra_user("fay@testshire.gov.uk", external_id="obj-fay"))
    assert response.status_code == 201
    assert response.get_json()["id"] == str(existing_id)
    user = _user("fay@testshire.gov.uk")
    assert (user.scim_external_id, user.role, user.name) == ("obj-fay", Role.CIO, "Ann Example")


def test_replace_puts_what_entra_sends(scim: Scim) -> None:
    user_id = scim.post("/Users", entra_user("gil@testshire.gov.uk", external_id="obj-gil")).get_json()["id"]
    payload = entra_user("gil.new@testshire.gov.uk", external_id="obj-gil")
    payload["displayName"] = "Gil Renamed"
    response = scim.put(f"/Users/{user_id}", payload)
    assert response.status_code == 200
    assert response.get_json()["userName"] == "gil.new@testshire.gov.uk"
    assert _user("gil.new@testshire.gov.uk").name == "Gil Renamed"


def test_patch_in_entras_forms(scim: Scim) -> None:
    user_id = scim.post("/Users", entra_user("hal@testshire.gov.uk", external_id="obj-hal")).get_json()["id"]
    response = scim.patch(
        f"/Users/{user_id}",
        {"op": "Replace", "path": "displayName", "value": "Hal Patched"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "hal@testshire.gov.uk"},
        {"op": "Add", "path": "name.givenName", "value": "Hal"},
        {"op": "Replace", "path": "externalId", "value": "obj-hal-2"},
        {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Finance"},
    )
    assert response.status_code == 200, response.get_json()
    user = _user("hal@testshire.gov.uk")
    assert (user.name, user.scim_external_id) == ("Hal Patched", "obj-hal-2")
    response = scim.patch(
        f"/Users/{user_id}", {"op": "Replace", "path": "userName", "value": "hal2@testshire.gov.uk"}
    )
    assert response.get_json()["userName"] == "hal2@testshire.gov.uk"
    # Replace without a path: a value object.
    response = scim.patch(f"/Users/{user_id}", {"op": "Replace", "value": {"displayName": "Hal Valued"}})
    assert response.status_code == 200
    assert _user("hal2@testshire.gov.uk").name == "Hal Valued"


def test_entras_manager_as_a_bare_id_and_a_value_object_deactivation(scim: Scim) -> None:
    user_id = scim.post("/Users", entra_user("lou@testshire.gov.uk")).get_json()["id"]
    response = scim.patch(
        f"/Users/{user_id}",
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": "obj-boss"},
        {"op": "Replace", "value": {"name.givenName": "Lou", "active": "False"}},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["active"] is False
    assert _user("lou@testshire.gov.uk").active is False


def test_a_patch_to_an_attribute_that_does_not_exist_is_refused(scim: Scim) -> None:
    user_id = scim.post("/Users", entra_user("ida@testshire.gov.uk")).get_json()["id"]
    response = scim.patch(f"/Users/{user_id}", {"op": "Replace", "path": "shoeSize", "value": "9"})
    assert response.status_code == 400
    assert response.get_json()["schemas"] == [ERROR]


def test_every_change_is_audited_as_the_provisioning_services(scim: Scim) -> None:
    user_id = scim.post("/Users", entra_user("jo@testshire.gov.uk")).get_json()["id"]
    scim.patch(f"/Users/{user_id}", {"op": "Replace", "path": "active", "value": "False"})
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "user", AuditEvent.entity_id == int(user_id))
    ).all()
    assert [event.summary.split(" user ")[0] for event in events] == [
        "Provisioning service created",
        "Provisioning service changed",
    ]
    assert all(event.user_id is None for event in events)
    assert events[1].changes["active"] == [True, False]


# Deactivation: everything ends at once, and nothing comes back.


def _signed_in_person(scim: Scim, client: FlaskClient, auth) -> tuple[str, str]:
    """Someone provisioned by SCIM, given a password here, signed in, with an API token."""
    user_id = scim.post("/Users", entra_user("kit@testshire.gov.uk")).get_json()["id"]
    user = _user("kit@testshire.gov.uk")
    user.password_hash = hash_password("correct horse battery staple")
    db.session.commit()
    assert auth.sign_in("kit@testshire.gov.uk").status_code == 302
    _, api_token = create_api_token(_user("kit@testshire.gov.uk"), name="Dashboard")
    assert client.get("/programmes/").status_code == 200
    headers = {"Authorization": f"Bearer {api_token}"}
    assert client.get("/api/v1/programmes", headers=headers).status_code == 200
    return user_id, api_token


def test_deactivation_ends_their_session_and_api_token_in_the_same_second(
    scim: Scim, client: FlaskClient, auth
) -> None:
    user_id, api_token = _signed_in_person(scim, client, auth)
    patched_at = utcnow()
    response = scim.patch(f"/Users/{user_id}", {"op": "Replace", "path": "active", "value": "False"})
    assert response.status_code == 200
    assert response.get_json()["active"] is False
    page = client.get("/programmes/")
    assert page.status_code == 302 and "/sign-in" in page.headers["Location"]
    assert (
        client.get("/api/v1/programmes", headers={"Authorization": f"Bearer {api_token}"}).status_code == 401
    )
    db.session.expire_all()
    session_row = db.session.scalar(select(UserSession).where(UserSession.user_id == int(user_id)))
    token_row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == int(user_id)))
    assert session_row.ended_at is not None and token_row.revoked_at is not None
    assert abs(session_row.ended_at - patched_at) < timedelta(seconds=1)
    assert abs(token_row.revoked_at - patched_at) < timedelta(seconds=1)


def test_reactivation_brings_no_session_or_token_back(scim: Scim, client: FlaskClient, auth) -> None:
    user_id, api_token = _signed_in_person(scim, client, auth)
    scim.patch(f"/Users/{user_id}", {"op": "Replace", "path": "active", "value": "False"})
    response = scim.patch(f"/Users/{user_id}", {"op": "Replace", "path": "active", "value": "True"})
    assert response.get_json()["active"] is True
    assert client.get("/programmes/").status_code == 302
    assert (
        client.get("/api/v1/programmes", headers={"Authorization": f"Bearer {api_token}"}).status_code == 401
    )
    assert auth.sign_in("kit@testshire.gov.uk").status_code == 302  # they may sign in afresh
    assert client.get("/programmes/").status_code == 200


def test_delete_deactivates_and_keeps_the_person(scim: Scim, client: FlaskClient, auth) -> None:
    user_id, _ = _signed_in_person(scim, client, auth)
    assert scim.delete(f"/Users/{user_id}").status_code == 204
    assert client.get("/programmes/").status_code == 302
    body = scim.get(f"/Users/{user_id}").get_json()
    assert body["active"] is False and body["userName"] == "kit@testshire.gov.uk"


def test_the_last_active_admin_cannot_be_deactivated(scim: Scim, make_user) -> None:
    admin_id = make_user(Role.ADMIN, email="last.admin@testshire.gov.uk").id
    response = scim.patch(f"/Users/{admin_id}", {"op": "Replace", "path": "active", "value": "False"})
    assert response.status_code == 400
    assert "at least one active admin" in response.get_json()["detail"]
    assert _user("last.admin@testshire.gov.uk").active is True
    make_user(Role.ADMIN)
    assert scim.delete(f"/Users/{admin_id}").status_code == 204


# Authentication and errors: SCIM JSON, always.


def test_no_token_a_wrong_token_or_a_revoked_token_is_refused(
    app: Flask, client: FlaskClient, scim: Scim
) -> None:
    assert client.get(f"{BASE}/Users").status_code == 401
    wrong = scim.call("GET", "/Users", token="scim_not-a-real-token")
    assert wrong.status_code == 401
    assert wrong.get_json()["status"] == "401"
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
    token, plaintext = scim_tokens.create_token(name="Old")
    token_id = token.id
    assert scim.call("GET", "/Users", token=plaintext).status_code == 200
    admin = User(email="a@testshire.gov.uk", name="A", role=Role.ADMIN, password_hash="")
    db.session.add(admin)
    db.session.commit()
    scim_tokens.revoke_token(token_id, by=admin)
    assert scim.call("GET", "/Users", token=plaintext).status_code == 401


def test_a_session_cookie_or_an_api_token_is_not_a_provisioning_token(
    client: FlaskClient, auth, scim: Scim
) -> None:
    admin = auth.sign_in_as(Role.ADMIN)
    response = client.get(f"{BASE}/Users")
    assert response.status_code == 401 and response.mimetype == SCIM_JSON
    _, api_token = create_api_token(admin, name="API")
    assert scim.call("GET", "/Users", token=api_token).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/Users/99999", 404),
        ("GET", "/Users/abc", 404),
        ("GET", "/Nothing", 404),
        ("PUT", "/Users", 405),
    ],
)
def test_errors_are_scim_json_never_pages(scim: Scim, method: str, path: str, status: int) -> None:
    response = scim.call(method, path)
    assert response.status_code == status
    assert response.mimetype == SCIM_JSON
    assert response.get_json()["schemas"] == [ERROR]
    assert response.get_json()["status"] == str(status)


def test_a_body_that_is_not_json_is_a_scim_400(scim: Scim) -> None:
    response = scim.client.post(
        f"{BASE}/Users",
        data="{not json",
        headers={"Authorization": f"Bearer {scim.token}", "Content-Type": SCIM_JSON},
    )
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidSyntax"
    missing = scim.post("/Users", {"schemas": [CORE_USER], "active": True})
    assert missing.status_code == 400 and missing.get_json()["schemas"] == [ERROR]


def test_a_body_too_large_is_a_scim_413(app: Flask, scim: Scim) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = scim.post("/Users", {**entra_user("big@testshire.gov.uk"), "nickName": "x" * 2000})
    assert response.status_code == 413
    assert response.get_json()["schemas"] == [ERROR]


def test_discovery_documents(scim: Scim) -> None:
    config = scim.get("/ServiceProviderConfig").get_json()
    assert config["patch"] == {"supported": True}
    assert config["filter"]["supported"] is True
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    kinds = scim.get("/ResourceTypes").get_json()
    assert {kind["name"] for kind in kinds["Resources"]} == {"User", "Group"}
    schemas = scim.get("/Schemas").get_json()
    assert CORE_USER in {schema["id"] for schema in schemas["Resources"]}

"""Signing in through the council's directory (OpenID Connect) against a real provider.

The provider is oidc-provider under Node (tests/oidc/provider.mjs); an HTTP client signs in through
its own login and consent pages, and the callback comes back to the app through the test client."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from tests.helpers import csrf_token_from
from tests.oidc_support import GROUPS, OpenIdProvider
from tests.smtp_server import free_port
from tracker.domain.vocabulary import Role, RoleSource, SignInMethod, SignInResult
from tracker.extensions import db
from tracker.models import AuditEvent, SignInEvent, User, UserSession

FAILED_TITLE = "We could not sign you in through Sign in with Microsoft"


@pytest.fixture
def directory(app: Flask, oidc_provider: OpenIdProvider) -> OpenIdProvider:
    """The app signing in through the test provider, which starts each test with nobody in it."""
    oidc_provider.forget_people()
    app.config.update(oidc_provider.settings())
    return oidc_provider


def start(client: FlaskClient, next_url: str | None = None) -> str:
    """Press the directory's button on the sign-in page; return where it sends the browser."""
    page = client.get("/sign-in" + (f"?next={next_url}" if next_url else ""))
    data = {"csrf_token": csrf_token_from(page)}
    if next_url:
        data["next"] = next_url
    response = client.post("/sign-in/directory", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def come_back(client: FlaskClient, callback_url: str):
    """Follow the provider's redirect back to the app (the test client answers for any host)."""
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client: FlaskClient, provider: OpenIdProvider, login: str, next_url: str | None = None):
    return come_back(client, provider.sign_in(start(client, next_url), login))


def events() -> list[SignInEvent]:
    return list(db.session.scalars(select(SignInEvent).order_by(SignInEvent.id)))


def user_with(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_a_person_in_the_cio_group_is_created_and_lands_on_the_dashboard(
    client: FlaskClient, directory: OpenIdProvider
) -> None:
    directory.set_person("ana", name="Ana Khan", groups=[GROUPS["cio"], "some-unmapped-group"])
    response = sign_in(client, directory, "ana")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200

    user = user_with("ana@testshire.gov.uk")
    assert user is not None and user.role is Role.CIO and user.role_source is RoleSource.DIRECTORY
    assert (user.oidc_issuer, user.oidc_subject) == (directory.issuer, "ana")
    assert user.password_hash == "" and user.name == "Ana Khan"
    [event] = events()
    assert (event.method, event.result, event.user_id, event.address) == (
        SignInMethod.OIDC,
        SignInResult.SIGNED_IN,
        user.id,
        "127.0.0.1",
    )
    assert db.session.scalar(select(UserSession.method)) is SignInMethod.OIDC
    assert "at their first directory sign-in" in db.session.scalar(select(AuditEvent.summary))


def test_the_sign_in_page_offers_the_directory_above_the_password_form(
    client: FlaskClient, directory: OpenIdProvider
) -> None:
    response = client.get("/sign-in")
    page = response.get_data(as_text=True)
    assert "Sign in with Microsoft" in page
    assert page.index("Sign in with Microsoft") < page.index('name="password"')
    # The button's form leads to the provider: the page's CSP lets it go there, and nowhere else.
    assert f"form-action 'self' {directory.issuer};" in response.headers["Content-Security-Policy"]


def test_without_a_directory_there_is_no_button_and_no_directory_route(
    app: Flask, client: FlaskClient
) -> None:
    assert "Sign in with Microsoft" not in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/sign-in/directory/callback?code=x&state=y").status_code == 404


def test_next_survives_the_round_trip_but_only_on_this_site(
    client: FlaskClient, directory: OpenIdProvider, auth
) -> None:
    directory.set_person("ana", groups=[GROUPS["cio"]])
    assert sign_in(client, directory, "ana", next_url="/programmes/").headers["Location"] == "/programmes/"
    auth.sign_out()
    response = sign_in(client, directory, "ana", next_url="//evil.example/steal")
    assert response.headers["Location"] == "/dashboard"


def test_app_roles_map_and_the_highest_role_wins(
    client: FlaskClient, directory: OpenIdProvider, auth
) -> None:
    directory.set_person("vic", roles=["Tracker.Viewer"])
    directory.set_person(
        "bo", groups=[GROUPS["board"], GROUPS["programme_manager"]], roles=["Tracker.Viewer"]
    )
    sign_in(client, directory, "vic")
    auth.sign_out()
    sign_in(client, directory, "bo")
    assert user_with("vic@testshire.gov.uk").role is Role.VIEWER
    assert user_with("bo@testshire.gov.uk").role is Role.BOARD


def test_the_role_follows_the_directory_at_each_sign_in(
    client: FlaskClient, directory: OpenIdProvider, auth
) -> None:
    directory.set_person("ana", groups=[GROUPS["cio"]])
    sign_in(client, directory, "ana")
    auth.sign_out()
    directory.set_person("ana", groups=[GROUPS["board"]])  # moved to the board's group
    assert sign_in(client, directory, "ana").status_code == 302
    user = user_with("ana@testshire.gov.uk")
    assert user.role is Role.BOARD and user.role_source is RoleSource.DIRECTORY
    summaries = list(db.session.scalars(select(AuditEvent.summary).order_by(AuditEvent.id)))
    assert summaries[-1] == "Role of ana@testshire.gov.uk follows the directory: CIO to Board member"
    # Signing in again with no change in the directory writes no audit event.
    auth.sign_out()
    sign_in(client, directory, "ana")
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)) == len(summaries)


def test_someone_in_no_mapped_group_is_refused_and_told_whom_to_ask(
    client: FlaskClient, directory: OpenIdProvider, make_user
) -> None:
    make_user(Role.ADMIN, name="Priya Admin")
    directory.set_person("zed", groups=["everyone-in-the-council"])
    response = sign_in(client, directory, "zed")
    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "You do not have access to the tracker" in text and "Priya Admin" in text
    assert user_with("zed@testshire.gov.uk") is None
    assert client.get("/dashboard").status_code == 302  # not signed in
    [event] = events()
    assert event.result is SignInResult.REFUSED and "no group" in event.reason.lower()
    assert event.email == "zed@testshire.gov.uk"


def test_with_a_default_role_someone_in_no_mapped_group_gets_it(
    app: Flask, client: FlaskClient, directory: OpenIdProvider, auth
) -> None:
    app.config["OIDC_DEFAULT_ROLE"] = "viewer"
    directory.set_person("zed", groups=["everyone-in-the-council"])
    assert sign_in(client, directory, "zed").status_code == 302
    user = user_with("zed@testshire.gov.uk")
    assert user.role is Role.VIEWER and user.role_source is RoleSource.DEFAULT
    # Later put in a mapped group: the group's role replaces the default.
    auth.sign_out()
    directory.set_person("zed", groups=[GROUPS["programme_manager"]])
    sign_in(client, directory, "zed")
    user = user_with("zed@testshire.gov.uk")
    assert user.role is Role.PROGRAMME_MANAGER and user.role_source is RoleSource.DIRECTORY


def test_an_existing_account_is_linked_when_the_directory_verified_the_email(
    client: FlaskClient, directory: OpenIdProvider, make_user
) -> None:
    local_id = make_user(Role.VIEWER, email="sam@testshire.gov.uk").id
    directory.set_person("sam", groups=[GROUPS["cio"]], email_verified=True)
    assert sign_in(client, directory, "sam").status_code == 302
    user = user_with("sam@testshire.gov.uk")
    assert user.id == local_id and user.oidc_subject == "sam" and user.role is Role.CIO
    summaries = set(db.session.scalars(select(AuditEvent.summary)))
    assert "Linked sam@testshire.gov.uk to their directory account by their verified email" in summaries


def test_entra_people_are_known_by_tenant_and_object_id_and_xms_edov_verifies_the_email(
    client: FlaskClient, directory: OpenIdProvider, make_user
) -> None:
    local_id = make_user(Role.VIEWER, email="sam@testshire.gov.uk").id
    tenant, object_id = "9122040d-6c67-4c5b-b112-36a304b66dad", "00000000-0000-0000-66f3-3332eca7ea81"
    directory.set_person(
        "sam", groups=[GROUPS["cio"]], email_verified=False, xms_edov=True, tid=tenant, oid=object_id
    )
    assert sign_in(client, directory, "sam").status_code == 302
    user = user_with("sam@testshire.gov.uk")
    assert user.id == local_id
    assert user.oidc_issuer == f"https://login.microsoftonline.com/{tenant}/v2.0"
    assert user.oidc_subject == object_id


def test_an_unverified_email_does_not_link_an_existing_account(
    client: FlaskClient, directory: OpenIdProvider, make_user
) -> None:
    make_user(Role.ADMIN, email="sam@testshire.gov.uk")
    directory.set_person(
        "mallory", email="sam@testshire.gov.uk", email_verified=False, groups=[GROUPS["cio"]]
    )
    response = sign_in(client, directory, "mallory")
    assert response.status_code == 403
    assert "The directory has not verified your email address" in response.get_data(as_text=True)
    user = user_with("sam@testshire.gov.uk")
    assert user.oidc_subject is None and user.role is Role.ADMIN
    assert client.get("/dashboard").status_code == 302
    assert events()[-1].result is SignInResult.REFUSED


def test_a_deactivated_person_is_refused(client: FlaskClient, directory: OpenIdProvider, auth) -> None:
    directory.set_person("ana", groups=[GROUPS["cio"]])
    sign_in(client, directory, "ana")
    auth.sign_out()
    user = user_with("ana@testshire.gov.uk")
    user.active = False
    db.session.commit()
    response = sign_in(client, directory, "ana")
    assert response.status_code == 403
    assert "Your account has been deactivated" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    assert events()[-1].result is SignInResult.REFUSED


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("wrong_audience", ("'aud'", "'azp'")),  # Authlib names azp when the token is for another client
        ("expired", ("expired",)),
        ("other_key", ("signature",)),
        ("wrong_nonce", ("nonce",)),
    ],
)
def test_an_id_token_that_fails_a_check_signs_nobody_in(
    client: FlaskClient, directory: OpenIdProvider, mode: str, reason: tuple[str, ...]
) -> None:
    directory.set_person("ana", groups=[GROUPS["cio"]])
    directory.misbehave(mode)
    response = sign_in(client, directory, "ana")
    assert response.status_code == 400
    assert FAILED_TITLE in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    assert user_with("ana@testshire.gov.uk") is None
    [event] = events()
    assert (event.method, event.result) == (SignInMethod.OIDC, SignInResult.FAILED)
    assert any(word in event.reason.lower() for word in reason), event.reason
    # The next token is a good one again.
    assert sign_in(client, directory, "ana").status_code == 302


def test_a_new_signing_key_at_the_provider_is_fetched_and_trusted(
    client: FlaskClient, directory: OpenIdProvider, auth
) -> None:
    directory.set_person("ana", groups=[GROUPS["cio"]])
    assert sign_in(client, directory, "ana").status_code == 302  # the first key is now cached
    auth.sign_out()
    directory.misbehave("rotate_key")
    assert sign_in(client, directory, "ana").status_code == 302
    assert [event.result for event in events()] == [SignInResult.SIGNED_IN, SignInResult.SIGNED_IN]


def test_a_callback_replayed_later_or_elsewhere_signs_nobody_in(
    app: Flask, client: FlaskClient, directory: OpenIdProvider, auth
) -> None:
    directory.set_person("ana", groups=[GROUPS["cio"]])
    callback = directory.sign_in(start(client), "ana")
    assert come_back(client, callback).status_code == 302
    auth.sign_out()
    replayed = come_back(client, callback)
    assert replayed.status_code == 400 and FAILED_TITLE in replayed.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    # In another browser, which never started this sign-in, it is no better.
    elsewhere = app.test_client()
    assert come_back(elsewhere, callback).status_code == 400
    assert elsewhere.get("/dashboard").status_code == 302
    assert [event.result for event in events()] == [
        SignInResult.SIGNED_IN,
        SignInResult.FAILED,
        SignInResult.FAILED,
    ]
    assert "state" in events()[-1].reason.lower()


def test_an_error_from_the_provider_is_explained(client: FlaskClient, directory: OpenIdProvider) -> None:
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(f"/sign-in/directory/callback?error=access_denied&state={state}")
    assert response.status_code == 400
    assert FAILED_TITLE in response.get_data(as_text=True)
    assert "access_denied" in events()[-1].reason


# Password sign-in turned off -------------------------------------------------------------------------


@pytest.fixture
def passwords_off(app: Flask, directory: OpenIdProvider) -> OpenIdProvider:
    app.config.update(LOCAL_SIGN_IN=False, BREAK_GLASS_EMAILS=frozenset({"emergency@testshire.gov.uk"}))
    return directory


def password_sign_in(
    client: FlaskClient, email: str, password: str = TEST_PASSWORD, *, path: str = "/sign-in"
):
    token = csrf_token_from(client.get("/sign-in"))  # the directory's form carries a token too
    return client.post(path, data={"email": email, "password": password, "csrf_token": token})


def test_with_passwords_off_the_form_is_hidden_but_the_directory_and_an_emergency_link_show(
    client: FlaskClient, passwords_off: OpenIdProvider
) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Sign in with Microsoft" in page
    assert 'name="password"' not in page
    assert "Administrator emergency sign-in" in page
    emergency = client.get("/sign-in?password=1").get_data(as_text=True)
    assert 'name="password"' in emergency and "Sign in with Microsoft" in emergency


def test_with_passwords_off_only_a_break_glass_admin_signs_in_with_a_password(
    client: FlaskClient, passwords_off: OpenIdProvider, make_user
) -> None:
    make_user(Role.ADMIN, email="emergency@testshire.gov.uk")
    ordinary = make_user(Role.ADMIN, email="ordinary@testshire.gov.uk").email

    refused = password_sign_in(client, ordinary)
    wrong = password_sign_in(client, "emergency@testshire.gov.uk", "not the password")
    unknown = password_sign_in(client, "nobody@testshire.gov.uk")
    # One answer for all three: nothing tells which emails have accounts or may break glass.
    for response in (refused, wrong, unknown):
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302

    response = password_sign_in(client, "emergency@testshire.gov.uk", path="/sign-in?password=1")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200

    logged = [(event.email, event.method, event.result) for event in events()]
    assert logged == [
        (ordinary, SignInMethod.BREAK_GLASS, SignInResult.REFUSED),
        ("emergency@testshire.gov.uk", SignInMethod.BREAK_GLASS, SignInResult.FAILED),
        ("nobody@testshire.gov.uk", SignInMethod.BREAK_GLASS, SignInResult.FAILED),
        ("emergency@testshire.gov.uk", SignInMethod.BREAK_GLASS, SignInResult.SIGNED_IN),
    ]
    assert "not a break-glass admin" in events()[0].reason
    assert db.session.scalar(select(UserSession.method)) is SignInMethod.BREAK_GLASS


def test_with_passwords_off_a_break_glass_email_that_is_no_longer_an_admin_gets_the_same_answer(
    client: FlaskClient, passwords_off: OpenIdProvider, make_user
) -> None:
    make_user(Role.CIO, email="emergency@testshire.gov.uk")
    response = password_sign_in(client, "emergency@testshire.gov.uk")
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert events()[-1].result is SignInResult.REFUSED


def test_with_passwords_off_refusals_count_in_the_throttle(
    client: FlaskClient, passwords_off: OpenIdProvider, make_user
) -> None:
    email = make_user(Role.CIO).email
    for _ in range(5):
        password_sign_in(client, email)  # the right password, but passwords are off
    response = password_sign_in(client, email)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)


# Throttle and provider outages ------------------------------------------------------------------------


def test_failed_directory_sign_ins_count_against_the_address(
    client: FlaskClient, directory: OpenIdProvider, make_user
) -> None:
    start(client)
    for _ in range(20):  # callbacks no sign-in started: forged or replayed
        assert client.get("/sign-in/directory/callback?code=forged&state=forged").status_code == 400
    token = csrf_token_from(client.get("/sign-in"))
    response = client.post("/sign-in/directory", data={"csrf_token": token})
    assert response.status_code == 429
    assert "Too many failed attempts to sign in" in response.get_data(as_text=True)
    assert client.get("/sign-in/directory/callback?code=forged&state=forged").status_code == 429
    # The same address is held back from the password form too.
    assert password_sign_in(client, make_user(Role.CIO).email).status_code == 429
    results = [event.result for event in events()]
    assert results.count(SignInResult.FAILED) == 20
    assert results[20:23] == [SignInResult.THROTTLED] * 3
    assert all(event.address == "127.0.0.1" for event in events())


def test_an_unreachable_provider_gets_a_clear_page_and_break_glass_still_works(
    app: Flask, client: FlaskClient, passwords_off: OpenIdProvider, make_user
) -> None:
    make_user(Role.ADMIN, email="emergency@testshire.gov.uk")
    app.config["OIDC_ISSUER"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    token = csrf_token_from(client.get("/sign-in"))
    response = client.post("/sign-in/directory", data={"csrf_token": token})
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "Signing in through Sign in with Microsoft is not available at the moment" in text
    assert "sign in with your email address and password" not in text  # password sign-in is off
    [event] = events()
    assert (event.method, event.result) == (SignInMethod.OIDC, SignInResult.FAILED)
    assert "ConnectionError" in event.reason

    assert (
        password_sign_in(client, "emergency@testshire.gov.uk", path="/sign-in?password=1").status_code == 302
    )
    assert client.get("/dashboard").status_code == 200


def test_when_passwords_are_on_the_outage_page_points_to_the_password_form(
    app: Flask, client: FlaskClient, directory: OpenIdProvider
) -> None:
    app.config["OIDC_ISSUER"] = f"http://127.0.0.1:{free_port()}"
    token = csrf_token_from(client.get("/sign-in"))
    text = client.post("/sign-in/directory", data={"csrf_token": token}).get_data(as_text=True)
    assert "sign in with your email address and password" in text


def test_a_provider_that_never_answers_is_given_up_on(app: Flask, client: FlaskClient, directory) -> None:
    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        app.config.update(OIDC_ISSUER=f"http://127.0.0.1:{silent.getsockname()[1]}", OIDC_HTTP_TIMEOUT=0.5)
        token = csrf_token_from(client.get("/sign-in"))
        began = time.monotonic()
        response = client.post("/sign-in/directory", data={"csrf_token": token})
    assert response.status_code == 503
    assert time.monotonic() - began < 5
    assert "Timeout" in events()[-1].reason


def test_a_provider_gone_between_the_redirect_and_the_callback(
    app: Flask, client: FlaskClient, workdir: Path
) -> None:
    with OpenIdProvider(workdir) as provider:
        app.config.update(provider.settings())
        provider.set_person("ana", groups=[GROUPS["cio"]])
        callback = provider.sign_in(start(client), "ana")
    response = come_back(client, callback)  # the token endpoint is gone now
    assert response.status_code == 503
    assert "not available at the moment" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    assert "Token endpoint" in events()[-1].reason


def test_a_linked_account_awaiting_a_new_password_is_not_stopped_by_it_when_the_directory_signs_it_in(
    client: FlaskClient, directory: OpenIdProvider, make_user
) -> None:
    local = make_user(Role.VIEWER, email="sam@testshire.gov.uk")
    local.must_change_password = True  # an admin reset it; the directory, not the password, lets them in
    db.session.commit()
    directory.set_person("sam", name="Sam Jones", groups=[GROUPS["cio"]], email_verified=True)

    response = sign_in(client, directory, "sam")

    assert response.headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200


def test_the_name_follows_the_directory_at_each_sign_in(
    client: FlaskClient, directory: OpenIdProvider, auth
) -> None:
    directory.set_person("ana", name="Ana Khan", groups=[GROUPS["cio"]])
    sign_in(client, directory, "ana")
    auth.sign_out()
    directory.set_person("ana", name="Ana Khan-Patel", groups=[GROUPS["cio"]])
    sign_in(client, directory, "ana")

    assert user_with("ana@testshire.gov.uk").name == "Ana Khan-Patel"
    summaries = set(db.session.scalars(select(AuditEvent.summary)))
    assert "Name of ana@testshire.gov.uk follows the directory: Ana Khan-Patel" in summaries


def test_someone_with_no_password_here_is_told_to_change_it_in_the_directory(
    client: FlaskClient, directory: OpenIdProvider
) -> None:
    directory.set_person("ana", groups=[GROUPS["cio"]])
    sign_in(client, directory, "ana")

    page = client.get("/account/password").get_data(as_text=True)
    devices = client.get("/account/devices").get_data(as_text=True)

    assert "you have no password here" in page and 'name="new_password"' not in page
    assert "tell your IT service desk" in devices and "change your password</a>" not in devices
    response = client.post(
        "/account/password", data={"csrf_token": csrf_token_from(client.get("/account/devices"))}
    )
    assert response.status_code == 200 and "you have no password here" in response.get_data(as_text=True)

"""The devices a person is signed in on: they see them and sign any of them out; admins end anyone's."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import AuthActions
from tests.helpers import csrf_token_from
from tests.web.pages import text
from tracker.extensions import db
from tracker.models import AuditEvent, Role, User, UserSession

WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.6 Mobile/15E148 Safari/604.1"
)


def device(app: Flask, make_user, *, agent: str, address: str) -> tuple[FlaskClient, AuthActions]:
    """A browser of its own, on its own address."""
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": agent, "REMOTE_ADDR": address})
    return client, AuthActions(client, make_user)


def signed_out(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def session_ids(user: User) -> list[int]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(UserSession.id)
            .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
            .order_by(UserSession.id)
        )
    )


def two_devices(app: Flask, make_user, role: Role = Role.VIEWER):
    """The same person signed in on a Windows laptop, then on an iPhone."""
    person = make_user(role, name="Jo Bloggs")
    laptop, laptop_auth = device(app, make_user, agent=WINDOWS_CHROME, address="192.0.2.10")
    phone, phone_auth = device(app, make_user, agent=IPHONE_SAFARI, address="198.51.100.7")
    assert laptop_auth.sign_in(person.email).status_code == 302
    assert phone_auth.sign_in(person.email).status_code == 302
    laptop_id, phone_id = session_ids(person)
    return person, laptop, phone, laptop_id, phone_id


def post(client: FlaskClient, path: str, page: str = "/account/devices"):
    return client.post(path, data={"csrf_token": csrf_token_from(client.get(page))})


def test_the_page_lists_both_devices_and_marks_this_one(app: Flask, make_user) -> None:
    _person, laptop, _phone, laptop_id, phone_id = two_devices(app, make_user)
    page = laptop.get("/account/devices")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    words = text(page)
    assert "Chrome on Windows This device" in words and "Safari on iPhone" in words
    assert "Safari on iPhone This device" not in words
    assert "192.0.2.10" in words and "198.51.100.7" in words
    assert re.search(r"Signed in \d{1,2} \w+ 20\d\d at \d{1,2}(:\d\d)?(am|pm) Password", words), words
    assert re.search(r"Last seen \d{1,2} \w+ 20\d\d at", words)
    for session_id in (phone_id, laptop_id):
        assert f'action="/account/devices/{session_id}/end"' in html
    assert "Sign out all other devices" in words
    assert 'aria-current="page">Signed-in devices</a>' in html  # in the account's navigation


def test_signing_out_the_other_device_signs_it_out_and_keeps_this_one(app: Flask, make_user) -> None:
    person, laptop, phone, laptop_id, phone_id = two_devices(app, make_user)
    response = post(laptop, f"/account/devices/{phone_id}/end")
    assert response.status_code == 302 and response.headers["Location"] == "/account/devices"
    assert "That device has been signed out" in text(laptop.get("/account/devices"))
    assert signed_out(phone.get("/programmes/"))
    assert laptop.get("/programmes/").status_code == 200
    assert session_ids(person) == [laptop_id]
    assert "Safari on iPhone" not in text(laptop.get("/account/devices"))


def test_signing_out_this_device_from_the_page_is_signing_out(app: Flask, make_user) -> None:
    person, laptop, phone, laptop_id, phone_id = two_devices(app, make_user)
    response = post(laptop, f"/account/devices/{laptop_id}/end")
    assert signed_out(response)
    assert signed_out(laptop.get("/programmes/"))
    assert phone.get("/programmes/").status_code == 200
    assert session_ids(person) == [phone_id]


def test_signing_out_all_other_devices_keeps_only_this_one(app: Flask, make_user) -> None:
    person, laptop, phone, laptop_id, _ = two_devices(app, make_user)
    third, third_auth = device(app, make_user, agent="curl/8.5.0", address="203.0.113.9")
    third_auth.sign_in(person.email)
    assert "Unknown browser" in text(laptop.get("/account/devices"))
    response = post(laptop, "/account/devices/end-others")
    assert response.status_code == 302
    assert "You have been signed out on your other devices" in text(laptop.get("/account/devices"))
    assert signed_out(phone.get("/programmes/")) and signed_out(third.get("/programmes/"))
    assert laptop.get("/programmes/").status_code == 200
    assert session_ids(person) == [laptop_id]
    assert "You are not signed in on any other device" in text(laptop.get("/account/devices"))


def test_the_sign_out_button_ends_only_that_device(app: Flask, make_user) -> None:
    person, laptop, phone, _, phone_id = two_devices(app, make_user)
    assert signed_out(post(laptop, "/sign-out", page="/programmes/"))
    assert signed_out(laptop.get("/programmes/"))
    assert phone.get("/programmes/").status_code == 200
    assert session_ids(person) == [phone_id]


def test_no_one_can_end_another_persons_session(app: Flask, make_user) -> None:
    person, _laptop, _phone, _, phone_id = two_devices(app, make_user)
    stranger, stranger_auth = device(app, make_user, agent=WINDOWS_CHROME, address="192.0.2.99")
    stranger_auth.sign_in_as(Role.CIO)
    assert post(stranger, f"/account/devices/{phone_id}/end").status_code == 404
    assert "Safari on iPhone" not in text(stranger.get("/account/devices"))
    assert len(session_ids(person)) == 2


def test_an_admin_ends_one_session_then_all_and_it_is_audited(app: Flask, make_user) -> None:
    person, laptop, phone, _, phone_id = two_devices(app, make_user)
    admin_client, admin_auth = device(app, make_user, agent=WINDOWS_CHROME, address="192.0.2.1")
    admin = admin_auth.sign_in_as(Role.ADMIN)
    sessions_page = f"/admin/users/{person.id}/sessions"
    edit = text(admin_client.get(f"/admin/users/{person.id}"))
    assert "Jo Bloggs is signed in on 2 devices" in edit
    page = admin_client.get(sessions_page)
    assert "Chrome on Windows" in text(page) and "Safari on iPhone" in text(page)
    assert "This device" not in text(page)  # neither is the admin's

    response = post(admin_client, f"{sessions_page}/{phone_id}/end", page=sessions_page)
    assert response.status_code == 302 and response.headers["Location"] == sessions_page
    assert signed_out(phone.get("/programmes/")) and laptop.get("/programmes/").status_code == 200
    assert "That session has ended" in text(admin_client.get(sessions_page))

    response = post(admin_client, f"{sessions_page}/end-all", page=sessions_page)
    assert response.status_code == 302
    assert "All Jo Bloggs's sessions have ended" in text(admin_client.get(sessions_page))
    assert signed_out(laptop.get("/programmes/"))
    assert session_ids(person) == []
    assert admin_client.get("/admin/users").status_code == 200  # the admin is still signed in
    summaries = db.session.scalars(select(AuditEvent.summary).where(AuditEvent.user_id == admin.id)).all()
    assert any(s.startswith(f"Ended a session of {person.email}") for s in summaries)
    assert any(s.startswith(f"Ended all sessions of {person.email}") for s in summaries)


def test_an_admin_cannot_end_a_session_through_someone_else(app: Flask, make_user) -> None:
    person, _laptop, phone, _, phone_id = two_devices(app, make_user)
    bystander_id = make_user(Role.VIEWER).id
    admin_client, admin_auth = device(app, make_user, agent=WINDOWS_CHROME, address="192.0.2.1")
    admin_auth.sign_in_as(Role.ADMIN)
    page = f"/admin/users/{bystander_id}/sessions"
    assert post(admin_client, f"{page}/{phone_id}/end", page=page).status_code == 404
    assert phone.get("/programmes/").status_code == 200
    assert len(session_ids(person)) == 2


def test_only_admins_see_or_end_other_peoples_sessions(app: Flask, make_user) -> None:
    person, _laptop, phone, _, phone_id = two_devices(app, make_user)
    for role in (Role.CIO, Role.PROGRAMME_MANAGER, Role.VIEWER, Role.BOARD):
        client, auth = device(app, make_user, agent=WINDOWS_CHROME, address="192.0.2.2")
        auth.sign_in_as(role)
        page = f"/admin/users/{person.id}/sessions"
        assert client.get(page).status_code == 403, role
        token = csrf_token_from(client.get("/account/devices"))
        assert client.post(f"{page}/end-all", data={"csrf_token": token}).status_code == 403, role
        assert client.post(f"{page}/{phone_id}/end", data={"csrf_token": token}).status_code == 403, role
    assert phone.get("/programmes/").status_code == 200

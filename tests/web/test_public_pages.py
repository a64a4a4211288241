"""The accessibility statement and help: open to everyone, linked from every page's footer."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tracker.extensions import db
from tracker.models import Role

STATEMENT_HEADINGS = [
    "Accessibility statement for the Change programme tracker",
    "How accessible this website is",
    "Feedback and contact information",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def headings(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).replace("&#39;", "'")
        for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html)
    ]


def footer(html: str) -> str:
    return html[html.index('<div class="govuk-footer"') :]


def test_the_statement_is_readable_signed_out_with_the_councils_name_and_contact(
    client: FlaskClient, app: Flask
) -> None:
    app.config["ACCESSIBILITY_CONTACT_EMAIL"] = "access@testshire.gov.uk"
    response = client.get("/accessibility")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    found = headings(html)
    for heading in STATEMENT_HEADINGS:
        assert heading in found, heading
    assert "Testshire County Council runs the Change programme tracker" in html
    assert 'href="mailto:access@testshire.gov.uk"' in html
    assert "fully compliant" in html and "as far as our own testing shows" in html
    assert "<title>Accessibility statement – Change programme tracker – Testshire County Council<" in html


def test_help_explains_roles_ratings_updating_the_digest_and_contacts(client: FlaskClient) -> None:
    response = client.get("/help")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for heading in ["What you can do", "What the ratings mean", "Keeping a programme up to date",
                    "Milestones", "Money", "Benefits", "The weekly digest", "Who to contact"]:  # fmt: skip
        assert heading in headings(html), heading
    for role in ("Viewer", "Programme manager", "CIO", "Admin"):
        assert f'<dt class="govuk-summary-list__key">{role}</dt>' in html
    assert 'href="mailto:accessibility@council.example"' in html  # signed out: the council's contact only


def test_signed_in_people_see_the_admins_to_ask(client: FlaskClient, auth, make_user) -> None:
    make_user(Role.ADMIN, name="Jazzer McCreary", email="jazzer@testshire.gov.uk")
    former = make_user(Role.ADMIN, name="Former Admin")
    former.active = False
    db.session.commit()
    auth.sign_in_as(Role.VIEWER)
    admins = client.get("/help").get_data(as_text=True)
    listed = admins[admins.index('id="admins"') :]
    assert "Jazzer McCreary" in listed and 'href="mailto:jazzer@testshire.gov.uk"' in listed
    assert "Former Admin" not in admins
    auth.sign_out()
    assert "Jazzer McCreary" not in client.get("/help").get_data(as_text=True)


def test_every_footer_links_to_the_statement_and_help(client: FlaskClient, auth) -> None:
    for path in ("/sign-in", "/accessibility", "/help"):
        links = footer(client.get(path).get_data(as_text=True))
        assert 'href="/accessibility">Accessibility</a>' in links and 'href="/help">Help</a>' in links, path
    auth.sign_in_as(Role.CIO)
    links = footer(client.get("/programmes/").get_data(as_text=True))
    assert 'href="/accessibility">Accessibility</a>' in links and 'href="/help">Help</a>' in links
    assert 'href="#"' not in links


def test_someone_who_must_change_their_password_can_still_read_them(app: Flask, make_user) -> None:
    person = make_user(Role.VIEWER)
    person.must_change_password = True
    db.session.commit()
    browser = app.test_client()
    AuthActions(browser, None).sign_in(person.email)
    assert browser.get("/programmes/").status_code == 302
    assert browser.get("/accessibility").status_code == 200 and browser.get("/help").status_code == 200


def test_favicon_answers_without_the_crown(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 204 and response.data == b""
    assert "max-age" in response.headers["Cache-Control"]

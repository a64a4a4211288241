"""The page shell: layout, branding, security headers, error pages and static caching.

These build a small app from the shell's register functions and stub blueprints, so they
need neither the database nor the feature blueprints.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Blueprint, Flask, abort, flash, render_template_string
from flask.testing import FlaskClient
from flask_login import LoginManager, UserMixin, login_user
from flask_wtf.csrf import CSRFProtect

from tracker.config import PROJECT_ROOT
from tracker.domain.vocabulary import Role
from tracker.web.errors import register_errorhandlers
from tracker.web.security import register_security_headers
from tracker.web.templating import register_templating

ORG = "Testshire County Council"
PAGE = """{% extends "base.html" %}{% set title = "Overview" %}
{% block content %}<h1 class="govuk-heading-l">Overview</h1>{% endblock %}"""


PORTFOLIO_LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="/programmes/"[^>]*>\s*(<strong[^>]*>)?Portfolio'
)


class StubUser(UserMixin):
    id = "1"
    role = Role.VIEWER


def make_shell_app(static_folder: Path, *, base_url: str = "http://tracker.test", user_loader=None) -> Flask:
    """The shell on its own: templating, headers, error pages, and stub blueprints."""
    app = Flask(
        "shell_test",
        root_path=str(PROJECT_ROOT),
        template_folder="templates",
        static_folder=str(static_folder),
        static_url_path="/static",
    )
    app.config.update(SECRET_KEY="test", ORG_NAME=ORG, BASE_URL=base_url, WTF_CSRF_ENABLED=True)
    register_templating(app)
    register_security_headers(app)
    register_errorhandlers(app)
    CSRFProtect(app)
    login = LoginManager(app)
    login.user_loader(user_loader or (lambda user_id: StubUser() if user_id == "1" else None))

    main = Blueprint("main", __name__)
    main.add_url_rule("/", "index", lambda: render_template_string(PAGE))
    main.add_url_rule("/boom", "boom", _boom)
    main.add_url_rule("/forbidden", "forbidden", lambda: abort(403))
    main.add_url_rule("/only-post", "only_post", lambda: "done", methods=["POST"])
    main.add_url_rule("/flashes", "flashes", _flashes)
    main.add_url_rule("/api/things", "api_things", lambda: abort(404))
    main.add_url_rule("/api/boom", "api_boom", _boom)
    main.add_url_rule("/accessibility", "accessibility", lambda: "statement")
    main.add_url_rule("/help", "help", lambda: "help")
    auth = Blueprint("auth", __name__)
    auth.add_url_rule("/sign-in-stub", "sign_in", lambda: str(login_user(StubUser())))
    auth.add_url_rule("/sign-out", "sign_out", lambda: "signed out", methods=["POST"])
    programmes = Blueprint("programmes", __name__)
    programmes.add_url_rule("/programmes/", "index", lambda: render_template_string(PAGE))
    dashboard = Blueprint("dashboard", __name__)
    dashboard.add_url_rule("/dashboard", "index", lambda: render_template_string(PAGE))
    milestones = Blueprint("portfolio_milestones", __name__)
    milestones.add_url_rule("/milestones/", "index", lambda: render_template_string(PAGE))
    register = Blueprint("portfolio_register", __name__)
    register.add_url_rule("/risks/", "index", lambda: render_template_string(PAGE))
    benefits = Blueprint("portfolio_benefits", __name__)
    benefits.add_url_rule("/benefits/", "index", lambda: render_template_string(PAGE))
    lessons = Blueprint("lessons_log", __name__)
    lessons.add_url_rule("/lessons/", "index", lambda: render_template_string(PAGE))
    capacity = Blueprint("capacity", __name__)
    capacity.add_url_rule("/capacity/", "index", lambda: render_template_string(PAGE))
    digest = Blueprint("digest", __name__)
    digest.add_url_rule("/account/preferences", "preferences", lambda: "preferences")
    for blueprint in (
        main,
        auth,
        programmes,
        dashboard,
        milestones,
        register,
        benefits,
        lessons,
        capacity,
        digest,
    ):
        app.register_blueprint(blueprint)
    return app


def _boom() -> str:
    raise RuntimeError("secret database detail")


def _flashes() -> str:
    flash("Programme DIG-004 saved", "success")
    flash("Digest sending is paused", "info")
    return render_template_string(PAGE)


@pytest.fixture
def static_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "tracker.css").write_text("body { color: black; }")
    return folder


@pytest.fixture
def shell(static_folder: Path) -> FlaskClient:
    return make_shell_app(static_folder).test_client()


def nonce_of(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    match = re.search(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{16,})'", policy)
    assert match, policy
    return match.group(1)


def test_pages_send_security_headers(shell: FlaskClient) -> None:
    response = shell.get("/")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_every_script_carries_this_requests_nonce(shell: FlaskClient) -> None:
    first, second = shell.get("/"), shell.get("/")
    nonce = nonce_of(first)
    scripts = re.findall(r"<script[^>]*>", first.get_data(as_text=True))
    # The template's inline js-enabled script, both bundles and the initAll module.
    assert len(scripts) == 4
    assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert nonce_of(second) != nonce


def test_hsts_only_when_the_site_is_served_over_https(static_folder: Path) -> None:
    plain = make_shell_app(static_folder, base_url="http://tracker.test").test_client().get("/")
    secure = make_shell_app(static_folder, base_url="https://tracker.test").test_client().get("/")
    assert "Strict-Transport-Security" not in plain.headers
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_layout_is_the_councils_not_the_crowns(shell: FlaskClient) -> None:
    page = shell.get("/").get_data(as_text=True)
    assert "<title>Overview – Change programme tracker – Testshire County Council</title>" in page
    header = page[page.index("<header") : page.index("</header>")]
    assert ORG in header and "Change programme tracker" in header
    footer = page[page.index("<footer") : page.index("</footer>")]
    assert f"© {ORG}" in footer
    assert 'href="/accessibility">Accessibility</a>' in footer and 'href="/help">Help</a>' in footer
    for crown in ("<svg", "Crown copyright", "govuk-crest", "favicon", "Open Government Licence"):
        assert crown not in page, crown


def test_navigation_only_for_signed_in_people(shell: FlaskClient) -> None:
    signed_out = shell.get("/programmes/").get_data(as_text=True)
    assert "Change programme tracker" in signed_out
    assert "Sign out" not in signed_out and not PORTFOLIO_LINK.search(signed_out)

    shell.get("/sign-in-stub")
    page = shell.get("/programmes/").get_data(as_text=True)
    assert re.search(r'href="/programmes/"\s+aria-current="page"', page)
    form = re.search(r'<form[^>]*method="post" action="/sign-out">(.*?)</form>', page, re.S)
    assert form and "Sign out" in form.group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(1)).group(1)
    assert shell.post("/sign-out", data={"csrf_token": token}).get_data(as_text=True) == "signed out"

    elsewhere = shell.get("/").get_data(as_text=True)
    assert PORTFOLIO_LINK.search(elsewhere) and "aria-current" not in elsewhere


def test_flash_messages_become_notification_banners(shell: FlaskClient) -> None:
    page = shell.get("/flashes").get_data(as_text=True)
    success = page.index("govuk-notification-banner--success")
    assert page.index("Programme DIG-004 saved") > success
    assert page.count('class="govuk-notification-banner"') == 1  # the info message, plain style
    assert "Digest sending is paused" in page
    assert len(set(re.findall(r'id="(notification-banner-title-\d+)"', page))) == 2


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/no-such-page", 404, "Page not found"),
        ("/forbidden", 403, "You do not have permission to see this page"),
        ("/only-post", 405, "Page not found"),
        ("/boom", 500, "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages(shell: FlaskClient, path: str, status: int, heading: str) -> None:
    response = shell.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert f"<title>{heading} – Change programme tracker" in page
    assert "secret database detail" not in page
    assert response.headers["Content-Security-Policy"]


def test_wrong_method_still_says_which_methods_work(shell: FlaskClient) -> None:
    assert "POST" in shell.get("/only-post").headers["Allow"]


def test_expired_form_gets_its_own_page(shell: FlaskClient) -> None:
    response = shell.post("/only-post", data={"name": "x"})
    assert response.status_code == 400
    assert "Your changes were not saved" in response.get_data(as_text=True)


def test_error_page_appears_even_when_users_cannot_be_loaded(static_folder: Path) -> None:
    def database_down(user_id: str) -> None:
        raise RuntimeError("database is down")

    client = make_shell_app(static_folder, user_loader=database_down).test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in page
    assert f"© {ORG}" in page  # the whole layout, not the plain-text fallback


def test_api_errors_are_json(shell: FlaskClient) -> None:
    missing = shell.get("/api/things")
    assert missing.status_code == 404 and missing.is_json
    assert missing.get_json()["status"] == 404 and missing.get_json()["error"]

    broken = shell.get("/api/boom")
    assert broken.status_code == 500
    assert broken.get_json() == {"error": "Internal server error", "status": 500}


def test_static_files_cache_for_a_year_only_at_their_versioned_url(
    shell: FlaskClient, static_folder: Path
) -> None:
    page = shell.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert re.fullmatch(r"/static/tracker\.css\?v=[0-9a-f]{12}", href)

    versioned = shell.get(href)
    assert versioned.status_code == 200
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert shell.get("/static/tracker.css").headers["Cache-Control"] == "public, max-age=3600"
    assert shell.get("/static/tracker.css?v=000000000000").headers["Cache-Control"] == "public, max-age=3600"

    (static_folder / "tracker.css").write_text("body { color: navy; }")
    page = shell.get("/").get_data(as_text=True)
    assert href not in page  # a rebuilt file gets a new URL, so no browser keeps the old one


def test_filters_and_macros_render_uk_formats(static_folder: Path) -> None:
    from datetime import UTC, date, datetime
    from decimal import Decimal

    app = make_shell_app(static_folder)
    source = """{% from "macros/rag.html" import rag_tag %}{% from "macros/moj.html" import moj_badge %}
    {{ when | uk_date }}|{{ at | uk_datetime }}|{{ amount | money }}|
    {{ rag_tag("AMBER") }}|{{ rag_tag(None) }}|{{ moj_badge("Overdue", "red") }}"""
    with app.test_request_context("/"):
        html = render_template_string(
            source,
            when=date(2027, 3, 27),
            at=datetime(2026, 7, 1, 13, 5, tzinfo=UTC),
            amount=Decimal("1250000.50"),
        )
    assert "27 March 2027|1 July 2026 at 2:05pm|£1,250,000.50|" in html
    assert re.search(r'class="govuk-tag app-rag app-rag--amber">\s*Amber\s*</strong>', html)
    assert re.search(r'class="govuk-tag govuk-tag--grey">\s*Not rated\s*</strong>', html)
    assert '<strong class="moj-badge moj-badge--red">Overdue</strong>' in html


def test_nul_characters_are_dropped_from_form_input(client, make_user) -> None:
    """PostgreSQL cannot store NUL; nobody types one. The sign-in form shows what arrived."""
    from tests.helpers import csrf_token_from

    token = csrf_token_from(client.get("/sign-in"))
    response = client.post(
        "/sign-in", data={"csrf_token": token, "email": "ghost\x00@x.gov.uk", "password": "p"}
    )
    body = response.get_data(as_text=True)
    assert 'value="ghost@x.gov.uk"' in body
    assert "\x00" not in body


def test_nul_characters_are_dropped_from_query_strings(client, auth) -> None:
    """A filter link with a NUL in it gets the page, not a database error (PostgreSQL refuses NUL)."""
    auth.sign_in_as("cio")
    response = client.get("/programmes/?directorate=Res%00ources&stage=%00")
    assert response.status_code == 200

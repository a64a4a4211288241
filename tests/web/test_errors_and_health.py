"""Error pages in the house style, and the health check operators poll."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_test_app
from tracker.models import Role


def test_unknown_page_gets_a_styled_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in body
    assert "Testshire County Council" in body


def test_a_crash_gets_a_styled_500_without_a_stack_trace(schema: str, workdir: Path) -> None:
    app = make_test_app(schema, workdir, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "secret internal detail" not in body
    assert "Traceback" not in body


def test_forbidden_gets_a_styled_403(app: Flask, client: FlaskClient, auth) -> None:
    from werkzeug.exceptions import Forbidden

    @app.get("/forbidden-for-test")
    def forbidden() -> str:
        raise Forbidden()

    auth.sign_in_as(Role.VIEWER)
    response = client.get("/forbidden-for-test")
    assert response.status_code == 403
    assert "permission" in response.get_data(as_text=True).lower()


def test_healthz_reports_a_reachable_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "reachable"}


def test_healthz_reports_an_unreachable_database(tmp_path: Path, workdir: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "tracker.db"
    app = make_test_app(f"sqlite:///{missing}", workdir)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "unreachable"
    assert str(missing) not in response.get_data(as_text=True)

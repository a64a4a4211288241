"""Forms refuse posts without a valid CSRF token, and say why in plain words."""

from __future__ import annotations

from flask.testing import FlaskClient

from tracker.models import Role


def test_sign_in_without_token_is_refused(client: FlaskClient, make_user) -> None:
    user = make_user(Role.CIO)
    response = client.post("/sign-in", data={"email": user.email, "password": "correct horse battery staple"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True).lower()
    assert client.get("/programmes/").status_code == 302  # not signed in


def test_sign_in_with_forged_token_is_refused(client: FlaskClient, make_user) -> None:
    user = make_user(Role.CIO)
    data = {"email": user.email, "password": "correct horse battery staple", "csrf_token": "forged"}
    assert client.post("/sign-in", data=data).status_code == 400


def test_sign_out_without_token_is_refused(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.CIO)
    assert client.post("/sign-out").status_code == 400
    assert client.get("/programmes/").status_code == 200  # still signed in


def test_every_state_changing_route_needs_a_token(app, client: FlaskClient, auth, make_user) -> None:
    """Walks the URL map, so a new POST route cannot be forgotten; paths come from the route table."""
    from tests.web.routes import all_routes
    from tests.web.test_routes_by_role import build_world

    routes = all_routes()
    admin = auth.sign_in_as(Role.ADMIN)
    world = build_world(admin, make_user)
    changing = {"POST", "PUT", "PATCH", "DELETE"}
    posting = sorted(rule.endpoint for rule in app.url_map.iter_rules() if changing & (rule.methods or set()))
    assert posting, "no POST routes found"
    for endpoint in posting:
        route = routes[endpoint]
        path = route.path.format(**world)
        method = route.method if route.method in changing else "POST"  # a form page: GET lists it
        response = client.open(path, method=method, data={"anything": "1"})
        if route.bearer:
            # The JSON API is exempt from CSRF: it trusts no cookie, only an API token, so a forged
            # cross-site request has nothing to ride on. The session alone gets it nowhere.
            assert response.status_code == 401 and response.is_json, f"{method} {path} with a session only"
            continue
        assert response.status_code == 400, (
            f"{method} {path} without a CSRF token gave {response.status_code}"
        )
        assert "expired" in response.get_data(as_text=True).lower()

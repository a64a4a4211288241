"""A closed programme is read-only: every change any role could make to it when open answers 409 with
the reason, its pages offer no change, and only its benefits' measurements go on being recorded."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.web.routes import Route, all_routes
from tests.web.test_routes_by_role import build_world
from tracker.extensions import db
from tracker.models import Programme, Stage
from tracker.policy import CLOSED_MESSAGE
from tracker.services.accounts.tokens import create_token

ROUTES = all_routes()
# Benefits are measured after closure, and their status changes; lessons are recorded, which a closure
# writes; the stage page is where an admin reopens a closed programme (and where a CIO reads that only an
# admin can).
STILL_OPEN = {
    "benefits.record_measurement",
    "benefits.status",
    "api_benefits.record",
    "programmes.stage",
    "lessons.create",
    "lessons.edit",
    "lessons.delete",
}
NAMES_A_PROGRAMME = re.compile(r"\{(own|other)(_\w+)?\}")
# Routes that change a programme: they name one, and a viewer (who may see every programme) is refused.
CHANGES = sorted(
    endpoint
    for endpoint, route in ROUTES.items()
    if NAMES_A_PROGRAMME.search(route.path) and route.expected["viewer"] == 403
)
CHANGE_LINK = re.compile(
    r'href="/programmes/[A-Z0-9-]+(/[^"]*)?/'
    r'(new|edit|delete|update|rebaseline|team|trajectory|submit|raise-issue|stage)"'
)


def close_every_programme() -> None:
    for programme in db.session.scalars(db.select(Programme)):
        programme.stage = Stage.CLOSED
    db.session.commit()


def test_the_table_finds_the_changes() -> None:
    assert {
        "milestones.create",
        "money.create",
        "register.create",
        "updates.create",
        "programmes.edit",
    } <= set(CHANGES)
    assert "api_milestones.change" in CHANGES and "rebaselines.decide" in CHANGES
    assert "programmes.overview" not in CHANGES


@pytest.mark.parametrize("role", ["admin", "cio", "programme_manager"])
@pytest.mark.parametrize("endpoint", CHANGES)
def test_a_change_to_a_closed_programme_is_refused_with_the_reason(
    client: FlaskClient, auth, make_user, endpoint: str, role: str
) -> None:
    route: Route = ROUTES[endpoint]
    user = make_user(role) if route.bearer else auth.sign_in_as(role)
    world = build_world(user, make_user)
    close_every_programme()
    path = route.path.format(**world)
    if route.bearer:
        headers = {"Authorization": f"Bearer {create_token(user, name='closed')[1]}"}
        response = client.open(path, method=route.method, json=route.data or None, headers=headers)
    else:
        data = {"csrf_token": auth.csrf_token(), **route.data} if route.method == "POST" else None
        response = client.open(path, method=route.method, data=data)

    open_status = route.expected[role]
    # Measurements go on; what the role could not do to an open programme, it still cannot.
    expected = open_status if endpoint in STILL_OPEN or open_status >= 400 else 409
    assert response.status_code == expected, f"{route.method} {path} as {role}"
    if expected == 409:
        text = response.get_json()["error"] if route.bearer else response.get_data(as_text=True)
        assert CLOSED_MESSAGE in text if route.bearer else "This programme is closed" in text


@pytest.mark.parametrize("role", ["admin", "cio", "programme_manager"])
def test_a_closed_programmes_pages_offer_no_change_but_measuring(
    client: FlaskClient, auth, make_user, role: str
) -> None:
    user = auth.sign_in_as(role)
    world = build_world(user, make_user)
    close_every_programme()
    code = world["own"]
    pages = [
        f"/programmes/{code}/{section}" for section in ("", "milestones/", "money/", "benefits/", "risks/")
    ]
    pages += [f"/programmes/{code}/updates/", f"/programmes/{code}/benefits/{world['own_benefit']}"]
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        assert 'id="closed-notice"' in html, page
        found = (match.group(0) for match in CHANGE_LINK.finditer(html))
        links = [link for link in found if not link.endswith('/measurements/new"')]  # still allowed
        if role == "admin":  # the notice's own link, to reopen it
            assert links == [f'href="/programmes/{code}/stage"'], page
        else:
            assert links == [], page
    benefit = client.get(f"/programmes/{code}/benefits/{world['own_benefit']}").get_data(as_text=True)
    assert "Record a measurement" in benefit and "Change planned values" not in benefit


def test_a_measurement_of_a_closed_programmes_benefit_is_recorded(
    client: FlaskClient, auth, make_user
) -> None:
    user = auth.sign_in_as("programme_manager")
    world = build_world(user, make_user)
    close_every_programme()
    code, benefit = world["own"], world["own_benefit"]

    response = client.post(
        f"/programmes/{code}/benefits/{benefit}/measurements/new",
        data={
            "csrf_token": auth.csrf_token(),
            "on_date": ["1", "11", "2026"],
            "value": "12",
        },
    )

    assert response.status_code == 302
    assert "12" in client.get(f"/programmes/{code}/benefits/{benefit}").get_data(as_text=True)

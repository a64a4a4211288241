"""Calendar feeds through the web: make a link, fetch the feed as Outlook does (no session), revoke it."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import select, text

from tests.helpers import csrf_token_from
from tests.web.pages import text as words
from tests.web.test_programme_list import add, milestone
from tracker.extensions import db
from tracker.models import ApiToken, MilestoneStatus, Role, User
from tracker.services.accounts.tokens import create_token

FEED = re.compile(r'<code id="feed-url">([^<]+)</code>')
BASE = "http://tracker.test"


def programme_with_milestones() -> str:
    programme = add("DIG-004", name="Digital front door, phase 2")
    milestone(
        programme,
        "Discovery",
        date(2026, 6, 1),
        status=MilestoneStatus.COMPLETE,
        actual_date=date(2026, 6, 5),
    )
    milestone(programme, "Forms live", date(2027, 1, 10), forecast_date=date(2027, 2, 1), critical=True)
    milestone(
        programme, "Go/no-go; board, then cabinet", date(2027, 3, 31), owner="Jo Bloggs\nHead of Service"
    )
    db.session.commit()
    return programme.code


def create_link(client, code: str | None = "DIG-004", name: str = "Outlook at work") -> str:
    """Create a feed link through the account page; returns the feed URL the page shows once."""
    page = client.get(f"/account/calendar?programme={code}" if code else "/account/calendar")
    assert page.status_code == 200
    response = client.post(
        "/account/calendar/new",
        data={"csrf_token": csrf_token_from(page), "name": name, "programme": code or ""},
    )
    assert response.status_code == 200
    match = FEED.search(response.get_data(as_text=True))
    assert match, words(response)
    return html.unescape(match.group(1))


def unfolded_lines(response) -> list[str]:
    return response.get_data(as_text=True).replace("\r\n ", "").split("\r\n")


def events(response) -> dict[str, dict[str, str]]:
    """Each VEVENT's properties, keyed by its SUMMARY."""
    found: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in unfolded_lines(response):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            found[current["SUMMARY"]] = current
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


def test_create_subscribe_and_revoke(app, client, auth) -> None:
    auth.sign_in_as(Role.PROGRAMME_MANAGER)
    code = programme_with_milestones()
    url = create_link(client, code)
    assert url.startswith(f"{BASE}/calendar/cal_") and url.endswith("/programmes/DIG-004.ics")

    outlook = app.test_client()  # a calendar app: no session, only the link
    response = outlook.get(url.removeprefix(BASE))
    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    lines = unfolded_lines(response)
    assert "X-WR-CALNAME:DIG-004 Digital front door\\, phase 2" in lines and "METHOD:PUBLISH" in lines
    found = events(response)
    assert set(found) == {
        "DIG-004: Discovery",
        "DIG-004: Forms live (critical)",
        "DIG-004: Go/no-go\\; board\\, then cabinet",
    }
    done, forms, board = (found[key] for key in sorted(found))
    assert done["DTSTART;VALUE=DATE"] == "20260605" and done["STATUS"] == "CONFIRMED"  # the actual date
    assert forms["DTSTART;VALUE=DATE"] == "20270201" and forms["DTEND;VALUE=DATE"] == "20270202"  # forecast
    assert board["DTSTART;VALUE=DATE"] == "20270331" and board["STATUS"] == "TENTATIVE"  # baseline
    assert "Latest approved baseline: 10 January 2027\\nForecast: 1 February 2027" in forms["DESCRIPTION"]
    assert "Owner: Jo Bloggs\\nHead of Service" in board["DESCRIPTION"]
    assert re.fullmatch(r"milestone-\d+@tracker\.test", forms["UID"])
    assert forms["URL"].startswith(f"{BASE}/programmes/DIG-004/milestones/#milestone-")
    # The UID stays the same on the next fetch, so Outlook updates the event rather than adding one.
    assert (
        events(outlook.get(url.removeprefix(BASE)))["DIG-004: Forms live (critical)"]["UID"] == forms["UID"]
    )

    page = client.get("/account/calendar")
    assert "Outlook at work" in words(page) and url.split("/")[4] not in page.get_data(as_text=True)
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "Outlook at work"))
    revoked = client.post(f"/account/calendar/{token_id}/revoke", data={"csrf_token": csrf_token_from(page)})
    assert revoked.status_code == 302
    assert "is revoked" in words(client.get("/account/calendar"))
    assert outlook.get(url.removeprefix(BASE)).status_code == 404


def test_the_link_is_stored_only_as_a_hash(app, client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    programme_with_milestones()
    secret = create_link(client).split("/")[4]
    assert secret.startswith("cal_")
    tables = [table.name for table in db.metadata.sorted_tables]
    with db.engine.connect() as connection:
        for table in tables:
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                assert secret not in repr(tuple(row)), f"the plaintext link is stored in {table}"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CIO, Role.PROGRAMME_MANAGER, Role.VIEWER])
def test_every_role_can_subscribe_to_any_programme_it_can_see(app, client, auth, role: Role) -> None:
    auth.sign_in_as(role)
    programme_with_milestones()
    url = create_link(client)
    assert app.test_client().get(url.removeprefix(BASE)).status_code == 200


def test_refusals_all_look_the_same(app, client, auth, make_user) -> None:
    me = auth.sign_in_as(Role.CIO)
    programme_with_milestones()
    path = create_link(client).removeprefix(BASE)
    _, api_secret = create_token(me, name="Script", purpose="api")
    outlook = app.test_client()
    refused = [
        path.replace("/DIG-004.ics", "/NOPE-1.ics"),  # no such programme
        path.replace("/calendar/cal_", "/calendar/cal_x"),  # no such token
        path.replace(path.split("/")[2], api_secret),  # an API token is not a calendar link
        path.replace(path.split("/")[2], "x" * 300),  # nonsense
    ]
    for bad in refused:
        assert outlook.get(bad).status_code == 404, bad
    db.session.get(User, me.id).active = False
    db.session.commit()
    assert outlook.get(path).status_code == 404  # a deactivated person's links stop working


def test_the_programme_code_in_the_link_is_not_case_sensitive(app, client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    programme_with_milestones()
    path = create_link(client).removeprefix(BASE)
    assert app.test_client().get(path.replace("DIG-004", "dig-004")).status_code == 200


def test_a_link_needs_a_name(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    page = client.get("/account/calendar")
    response = client.post("/account/calendar/new", data={"csrf_token": csrf_token_from(page), "name": "  "})
    assert response.status_code == 200
    assert "Enter a name for the feed link" in words(response)
    assert db.session.scalar(select(ApiToken.id)) is None


def test_without_a_programme_the_page_gives_the_pattern(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    page = client.get("/account/calendar")
    response = client.post(
        "/account/calendar/new", data={"csrf_token": csrf_token_from(page), "name": "Phone"}
    )
    shown = words(response)
    assert "Subscribe from web" in shown
    assert re.search(r"http://tracker\.test/calendar/cal_[\w-]+/programmes/CODE\.ics", shown)
    assert "feed-url" not in response.get_data(as_text=True)


def test_someone_elses_link_cannot_be_revoked(client, auth, make_user) -> None:
    other = make_user(Role.CIO)
    token, _ = create_token(other, name="Theirs", purpose="calendar")
    token_id = token.id
    auth.sign_in_as(Role.CIO)
    page = client.get("/account/calendar")
    response = client.post(f"/account/calendar/{token_id}/revoke", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 404
    assert db.session.get(ApiToken, token_id).revoked_at is None


def test_the_milestones_page_and_account_pages_lead_to_the_feeds(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    programme_with_milestones()
    page = client.get("/programmes/DIG-004/milestones/").get_data(as_text=True)
    assert 'href="/account/calendar?programme=DIG-004">Subscribe in Outlook</a>' in page
    assert "Create a link below to subscribe to the milestones of DIG-004" in words(
        client.get("/account/calendar?programme=DIG-004")
    )
    assert 'href="/account/calendar"' in client.get("/account/preferences").get_data(as_text=True)


def test_a_stored_date_past_2100_is_left_out_of_the_feed_not_a_500(app, client, auth) -> None:
    auth.sign_in_as(Role.PROGRAMME_MANAGER)
    code = programme_with_milestones()
    # As an import before the 1950-2100 check could store it: 9999-12-31 meaning "no end".
    db.session.execute(
        text("UPDATE milestone SET forecast_date = :day WHERE title = 'Forms live'"),
        {"day": date(9999, 12, 31)},
    )
    db.session.commit()
    url = create_link(client, code)
    response = app.test_client().get(url.removeprefix(BASE))
    assert response.status_code == 200
    assert set(events(response)) == {"DIG-004: Discovery", "DIG-004: Go/no-go\\; board\\, then cabinet"}

"""Successive returns in the wizard: a name that drifted is shown for a person to confirm, never merged
unasked; and an upload can be cancelled at once to free its place in the quota."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from tests.helpers import csrf_token_from
from tests.web.test_imports import choose_columns, count, upload
from tracker.extensions import db
from tracker.models import ImportUpload, Programme, ProgrammeReturn, Role
from tracker.services.imports import files as import_files

HEADER = "Project name,Department,Focus,DCA,End date,As at\n"
FIRST = (HEADER + "Crossrail,DfT,both,Amber,31/12/2019,31/03/2018\n").encode()
SECOND = (HEADER + "Crossrail Programme,DfT,both,Red,31/12/2020,31/03/2019\n").encode()


def check_page(client, content: bytes, name: str) -> tuple[str, str]:
    """Upload a return, keep the guessed columns: the check page's URL and HTML."""
    response = upload(client, {"programmes": (content, name)})
    assert response.status_code == 302, response.get_data(as_text=True)
    check_url = choose_columns(client, response.headers["Location"]).headers["Location"]
    return check_url, client.get(check_url).get_data(as_text=True)


def commit(client, check_url: str) -> str:
    page = client.get(check_url)
    commit_url = re.search(r'action="([^"]+/commit)"', page.get_data(as_text=True))[1]
    return client.post(
        commit_url, data={"csrf_token": csrf_token_from(page)}, follow_redirects=True
    ).get_data(as_text=True)


def returns_by_programme() -> dict[str, list[date]]:
    found: dict[str, list[date]] = {}
    for programme in db.session.scalars(select(Programme).order_by(Programme.id)):
        query = select(ProgrammeReturn.as_at).where(ProgrammeReturn.programme_id == programme.id)
        found[programme.name] = list(db.session.scalars(query.order_by(ProgrammeReturn.as_at)))
    return found


def test_a_confirmed_near_match_is_one_programme_with_two_returns(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    assert "Imported 1 rows" in commit(client, check_page(client, FIRST, "return-2018.csv")[0])
    (crossrail,) = db.session.scalars(select(Programme))

    check_url, html = check_page(client, SECOND, "return-2019.csv")
    assert "Names close to a programme already in the tracker" in html
    assert (
        "<legend" in html and 'id="near-0"' in html and " checked" not in html.split('id="near-0"')[1][:200]
    )
    assert f"Same programme: ‘Crossrail Programme’ is {crossrail.code} ‘Crossrail’" in html
    assert "row 2" in html
    page = client.get(check_url)
    form = {
        "csrf_token": csrf_token_from(page),
        "near-0-name": "Crossrail Programme",
        "near-0-code": crossrail.code,
        "near-0": "same",
    }
    confirmed = client.post(check_url.replace("/check", "/near-matches"), data=form, follow_redirects=True)
    text = confirmed.get_data(as_text=True)
    assert "confirmed: updates " + crossrail.code in text
    assert re.search(r'id="near-0"[^>]*checked', text)
    assert "Imported 1 rows: 0 new, 1 updated" in commit(client, check_url)
    assert returns_by_programme() == {"Crossrail Programme": [date(2018, 3, 31), date(2019, 3, 31)]}


def test_an_unticked_near_match_comes_in_as_a_new_programme(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    commit(client, check_page(client, FIRST, "return-2018.csv")[0])
    check_url, html = check_page(client, SECOND, "return-2019.csv")
    assert "not ticked: a new programme" in html
    # Ticked, then unticked again: the choice kept is the last one.
    token = csrf_token_from(client.get(check_url))
    near_url = check_url.replace("/check", "/near-matches")
    code = db.session.scalar(select(Programme.code))
    for ticked in ({"near-0": "same"}, {}):
        client.post(
            near_url,
            data={"csrf_token": token, "near-0-name": "Crossrail Programme", "near-0-code": code} | ticked,
        )
    assert "Imported 1 rows: 1 new, 0 updated" in commit(client, check_url)
    assert returns_by_programme() == {
        "Crossrail": [date(2018, 3, 31)],
        "Crossrail Programme": [date(2019, 3, 31)],
    }


def test_cancelling_an_import_deletes_the_upload_and_frees_a_place_at_the_quota(client, auth) -> None:
    person = auth.sign_in_as(Role.CIO)
    for n in range(import_files.MAX_UPLOADS):
        assert upload(client, {"programmes": (FIRST, f"return-{n}.csv")}).status_code == 302
    refused = upload(client, {"programmes": (FIRST, "one-more.csv")}).get_data(as_text=True)
    assert "cancel one below" in refused and "Your uploads waiting to be imported" in refused
    assert refused.count(">Cancel<span") == import_files.MAX_UPLOADS

    upload_id = db.session.scalar(select(ImportUpload.id).where(ImportUpload.user_id == person.id).limit(1))
    columns_url = f"/imports/{upload_id}/columns"
    page = client.get(columns_url)
    assert "Cancel this import" in page.get_data(as_text=True)
    done = client.post(
        f"/imports/{upload_id}/cancel", data={"csrf_token": csrf_token_from(page)}, follow_redirects=True
    )
    assert "Import cancelled: the upload is deleted and nothing was saved." in done.get_data(as_text=True)
    assert db.session.get(ImportUpload, upload_id) is None
    assert client.get(columns_url).status_code == 302  # gone: back to step 1
    assert upload(client, {"programmes": (FIRST, "one-more.csv")}).status_code == 302
    assert count(Programme) == 0


def test_another_persons_upload_cannot_be_cancelled(client, auth, make_user) -> None:
    other = make_user(Role.CIO)
    theirs = import_files.store_upload(user_id=other.id, files={"programmes": ("a.csv", FIRST)}, settings={})
    auth.sign_in_as(Role.CIO)
    token = csrf_token_from(client.get("/imports/"))
    response = client.post(f"/imports/{theirs.id}/cancel", data={"csrf_token": token}, follow_redirects=True)
    assert "Import cancelled" not in response.get_data(as_text=True)
    assert db.session.get(ImportUpload, theirs.id) is not None

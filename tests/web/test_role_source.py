"""Admins see where each person's role comes from, and are told when the directory will set it again."""

from __future__ import annotations

import re

from tests.web.pages import text
from tracker.domain.vocabulary import RoleSource
from tracker.extensions import db
from tracker.models import Role, User


def test_the_users_page_shows_each_roles_source_and_who_signs_in_through_the_directory(
    client, auth, make_user
) -> None:
    auth.sign_in_as(Role.ADMIN)
    local = make_user(Role.VIEWER, name="Local Person")
    linked = make_user(Role.CIO, name="Directory Person")
    linked.role_source, linked.oidc_issuer, linked.oidc_subject = RoleSource.DIRECTORY, "https://idp", "abc"
    pushed = make_user(Role.VIEWER, name="Provisioned Person")
    pushed.role_source = RoleSource.PROVISIONING
    db.session.commit()
    local, linked, pushed = local.id, linked.id, pushed.id
    page = client.get("/admin/users").get_data(as_text=True)

    def row(user_id: int) -> str:
        return text_of(re.search(rf'data-user-id="{user_id}">.*?</tr>', page, re.S).group(0))

    assert "Viewer Set here" in row(local) and "directory" not in row(local)
    assert "CIO Directory groups Signs in through the directory" in row(linked)
    assert "Viewer Provisioning (SCIM)" in row(pushed)


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_the_edit_page_warns_that_the_directory_sets_the_role_again(client, auth, make_user) -> None:
    auth.sign_in_as(Role.ADMIN)
    person_id = make_user(Role.VIEWER, name="Jo Bloggs").id
    path = f"/admin/users/{person_id}"
    assert "a change here lasts only until" not in text(client.get(path))
    for source in (RoleSource.DIRECTORY, RoleSource.DEFAULT, RoleSource.PROVISIONING):
        db.session.get(User, person_id).role_source = source
        db.session.commit()
        words = text(client.get(path))
        assert (
            "The directory sets it each time they sign in, so a change here lasts only until they next "
            "sign in" in words
        )

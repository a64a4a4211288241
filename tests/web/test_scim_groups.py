"""Groups pushed by Entra's provisioning service, in its payloads: roles follow membership through
OIDC_ROLE_MAP, the highest wins, and the last active admin is never taken away."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from tests.web.test_scim import SCIM_JSON, Scim, entra_user
from tests.web.test_scim import scim as scim  # the fixture, shared
from tracker.domain.vocabulary import RoleSource
from tracker.extensions import db
from tracker.models import Role, User

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


@pytest.fixture(autouse=True)
def role_map(app: Flask) -> None:
    app.config["OIDC_ROLE_MAP"] = {"obj-admins": "admin", "Tracker CIOs": "cio", "obj-board": "board"}
    app.config["OIDC_DEFAULT_ROLE"] = ""


def _person(scim: Scim, email: str) -> str:
    return scim.post("/Users", entra_user(email)).get_json()["id"]


def _role(user_id: str) -> tuple[Role, RoleSource]:
    db.session.expire_all()
    user = db.session.get(User, int(user_id))
    return user.role, user.role_source


def _group(scim: Scim, name: str, external_id: str, *members: str) -> str:
    response = scim.post(
        "/Groups",
        {
            "schemas": [GROUP],
            "externalId": external_id,
            "displayName": name,
            "members": [{"value": member} for member in members],
            "meta": {"resourceType": "Group"},
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_a_group_created_with_members_gives_them_its_role(scim: Scim) -> None:
    ann = _person(scim, "ann@testshire.gov.uk")
    group_id = _group(scim, "Tracker CIOs", "obj-cios", ann)
    assert _role(ann) == (Role.CIO, RoleSource.PROVISIONING)
    body = scim.get(f"/Groups/{group_id}").get_json()
    assert body["displayName"] == "Tracker CIOs"
    assert [member["value"] for member in body["members"]] == [ann]
    found = scim.get('/Groups?filter=displayName eq "Tracker CIOs"&excludedAttributes=members').get_json()
    assert found["totalResults"] == 1 and "members" not in found["Resources"][0]


def test_members_added_and_removed_as_entra_sends_them(scim: Scim, make_user) -> None:
    make_user(Role.ADMIN)  # so Ann is not the last admin when she leaves the admins' group
    ann, bob = _person(scim, "ann@testshire.gov.uk"), _person(scim, "bob@testshire.gov.uk")
    board = _group(scim, "Board", "obj-board")
    admins = _group(scim, "Admins", "obj-admins")
    added = scim.patch(
        f"/Groups/{board}", {"op": "Add", "path": "members", "value": [{"value": ann}, {"value": bob}]}
    )
    assert added.status_code == 204
    assert _role(ann) == _role(bob) == (Role.BOARD, RoleSource.PROVISIONING)
    # In two mapped groups: the higher role wins.
    scim.patch(
        f"/Groups/{admins}", {"name": "addMember", "op": "Add", "path": "members", "value": [{"value": ann}]}
    )
    assert _role(ann) == (Role.ADMIN, RoleSource.PROVISIONING)
    # Removed by filter, as in RFC 7644...
    scim.patch(f"/Groups/{board}", {"op": "Remove", "path": f'members[value eq "{bob}"]'})
    # ...and with a value list, as Entra's documentation shows it.
    removed = scim.patch(
        f"/Groups/{admins}",
        {"name": "removeMember", "op": "Remove", "path": "members", "value": [{"value": ann}]},
    )
    assert removed.status_code == 204
    assert _role(ann) == (Role.BOARD, RoleSource.PROVISIONING)
    assert _role(bob) == (Role.VIEWER, RoleSource.DEFAULT)  # in no mapped group: the default role
    members = scim.get(f"/Groups/{board}").get_json()["members"]
    assert [member["value"] for member in members] == [ann]


def test_renaming_a_group_to_a_mapped_name_gives_its_members_the_role(scim: Scim) -> None:
    ann = _person(scim, "ann@testshire.gov.uk")
    group_id = _group(scim, "Finance", "obj-finance", ann)
    assert _role(ann) == (Role.VIEWER, RoleSource.DEFAULT)
    scim.patch(f"/Groups/{group_id}", {"op": "Replace", "path": "displayName", "value": "Tracker CIOs"})
    assert _role(ann) == (Role.CIO, RoleSource.PROVISIONING)


def test_deleting_a_group_takes_its_role_away(scim: Scim) -> None:
    ann = _person(scim, "ann@testshire.gov.uk")
    group_id = _group(scim, "CIO office", "obj-cio-office", ann)
    scim.patch(f"/Groups/{group_id}", {"op": "Replace", "path": "displayName", "value": "Tracker CIOs"})
    assert scim.delete(f"/Groups/{group_id}").status_code == 204
    assert _role(ann) == (Role.VIEWER, RoleSource.DEFAULT)
    assert scim.get(f"/Groups/{group_id}").status_code == 404


def test_a_role_an_admin_set_is_left_alone_by_unmapped_groups(scim: Scim, make_user) -> None:
    cio_id = str(make_user(Role.CIO, email="cio@testshire.gov.uk").id)
    _group(scim, "All staff", "obj-all", cio_id)
    assert _role(cio_id) == (Role.CIO, RoleSource.LOCAL)


def test_the_last_active_admin_is_never_taken_away(scim: Scim, make_user) -> None:
    admin_id = str(make_user(Role.ADMIN, email="admin@testshire.gov.uk").id)
    admins = _group(scim, "Admins", "obj-admins", admin_id)
    refused = scim.patch(f"/Groups/{admins}", {"op": "Remove", "path": f'members[value eq "{admin_id}"]'})
    assert refused.status_code == 400
    assert refused.mimetype == SCIM_JSON
    assert "at least one active admin" in refused.get_json()["detail"]
    assert _role(admin_id) == (Role.ADMIN, RoleSource.PROVISIONING)
    assert [m["value"] for m in scim.get(f"/Groups/{admins}").get_json()["members"]] == [admin_id]
    assert scim.delete(f"/Groups/{admins}").status_code == 400


def test_replace_and_uniqueness(scim: Scim) -> None:
    ann = _person(scim, "ann@testshire.gov.uk")
    group_id = _group(scim, "Board", "obj-board")
    replaced = scim.put(
        f"/Groups/{group_id}",
        {"schemas": [GROUP], "displayName": "Board", "externalId": "obj-board", "members": [{"value": ann}]},
    )
    assert replaced.status_code == 200
    assert _role(ann)[0] is Role.BOARD
    taken = scim.post("/Groups", {"schemas": [GROUP], "displayName": "board", "externalId": "obj-other"})
    assert taken.status_code == 409 and taken.get_json()["scimType"] == "uniqueness"
    unknown = scim.patch(
        f"/Groups/{group_id}", {"op": "Add", "path": "members", "value": [{"value": "99999"}]}
    )
    assert unknown.status_code == 400
    assert db.session.scalar(select(User.id).where(User.id == 99999)) is None


def test_listing_groups_costs_the_same_queries_for_two_groups_or_eight(scim: Scim) -> None:
    from tests.web.pages import counting_queries

    def queries_for_the_list() -> int:
        with counting_queries() as statements:
            listed = scim.get("/Groups")
        assert listed.status_code == 200
        assert all(group["members"] for group in listed.get_json()["Resources"])
        return len(statements)

    people = [_person(scim, f"person{number}@testshire.gov.uk") for number in range(4)]
    for number in range(2):
        _group(scim, f"Team {number}", f"obj-team-{number}", *people)
    few = queries_for_the_list()
    for number in range(2, 8):
        _group(scim, f"Team {number}", f"obj-team-{number}", *people)
    assert queries_for_the_list() == few

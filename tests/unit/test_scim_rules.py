"""SCIM's pure rules: the filters Entra sends, roles from pushed groups, names, and Entra's PATCH quirks."""

from __future__ import annotations

import pytest

from tracker.domain.directory import highest_role
from tracker.domain.scim import (
    GROUP_FILTERS,
    USER_FILTERS,
    Filter,
    FilterError,
    display_name,
    entra_patch,
    parse_filter,
    role_from_groups,
)
from tracker.domain.vocabulary import Role, RoleSource


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('userName eq "ann@testshire.gov.uk"', Filter("userName", "ann@testshire.gov.uk")),
        ('username EQ "Ann"', Filter("userName", "Ann")),
        ('externalId eq "0a21f0f2-8d2a"', Filter("externalId", "0a21f0f2-8d2a")),
        ('id eq "12"', Filter("id", "12")),
        (r'userName eq "say \"hi\""', Filter("userName", 'say "hi"')),
    ],
)
def test_the_filters_entra_sends_are_read(text: str, expected: Filter) -> None:
    assert parse_filter(text, USER_FILTERS) == expected


@pytest.mark.parametrize(
    "text",
    [
        'userName co "ann"',
        'userName eq "a" and active eq true',
        "userName eq ann",
        'displayName eq "Board"',  # a group's attribute, not a user's
        "",
        'emails[type eq "work"].value eq "a@b"',
    ],
)
def test_anything_else_is_refused_not_guessed(text: str) -> None:
    with pytest.raises(FilterError):
        parse_filter(text, USER_FILTERS)


def test_groups_filter_on_display_name() -> None:
    assert parse_filter('displayName eq "Tracker CIOs"', GROUP_FILTERS) == Filter(
        "displayName", "Tracker CIOs"
    )


def test_the_highest_role_wins() -> None:
    assert highest_role([Role.VIEWER, Role.CIO, Role.BOARD]) is Role.CIO
    assert highest_role([]) is None


def test_roles_from_groups_by_external_id_or_display_name() -> None:
    role_map = {"obj-admins": "admin", "Board": "board"}
    assert role_from_groups([("obj-x", "Board")], role_map=role_map, default_role="") == (
        Role.BOARD,
        RoleSource.PROVISIONING,
    )
    assert role_from_groups(
        [("obj-x", "Board"), ("obj-admins", "IT")], role_map=role_map, default_role=""
    ) == (
        Role.ADMIN,
        RoleSource.PROVISIONING,
    )
    assert role_from_groups(
        [("obj-x", "All staff")], role_map=role_map, default_role="programme_manager"
    ) == (
        Role.PROGRAMME_MANAGER,
        RoleSource.DEFAULT,
    )
    assert role_from_groups([], role_map=role_map, default_role="") == (Role.VIEWER, RoleSource.DEFAULT)


def test_the_name_shown() -> None:
    assert display_name("Ann Example", "Ann", "Other", "ann@x") == "Ann Example"
    assert display_name(None, "Ann", "Example", "ann@x") == "Ann Example"
    assert display_name(" ", None, None, "ann@x") == "ann@x"


def test_entras_member_removal_with_a_value_list_becomes_filtered_removals() -> None:
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {
                "name": "removeMember",
                "op": "Remove",
                "path": "members",
                "value": [{"value": "1"}, {"value": "2"}],
            },
            {"name": "addMember", "op": "Add", "path": "members", "value": [{"value": "3"}]},
        ],
    }
    assert entra_patch(body)["Operations"] == [
        {"op": "remove", "path": 'members[value eq "1"]'},
        {"op": "remove", "path": 'members[value eq "2"]'},
        {"op": "Add", "path": "members", "value": [{"value": "3"}]},
    ]


def test_entras_bare_manager_id_becomes_a_complex_value() -> None:
    path = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"
    body = {"Operations": [{"op": "Add", "path": path, "value": "obj-boss"}]}
    assert entra_patch(body)["Operations"] == [{"op": "Add", "path": path, "value": {"value": "obj-boss"}}]
    assert entra_patch("not a body") == "not a body"

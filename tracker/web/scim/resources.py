"""Our people and groups as SCIM resources, and SCIM resources as what the services take.

scim2-models validates what the provisioning service sends and applies its PATCH operations; this
module only maps between its models and our rows."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from scim2_models import Context, EnterpriseUser, Group, GroupMember, ListResponse, Meta
from scim2_models import User as ScimUser

from tracker.domain.scim import display_name
from tracker.models import ScimGroup, User
from tracker.services.scim.groups import GroupFields
from tracker.services.scim.people import Person

UserResource = ScimUser[EnterpriseUser]
RESPONSE = Context.RESOURCE_QUERY_RESPONSE


def _email_value(email: str) -> list[dict[str, Any]]:
    """The work email, when the address is one SCIM's schema accepts (a local test account may not be)."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return []
    return [{"value": email, "type": "work", "primary": True}]


def user_model(user: User, base: str) -> UserResource:
    """A person as a SCIM User: userName is their email, displayName their name."""
    return UserResource.model_validate(
        {
            "id": str(user.id),
            "externalId": user.scim_external_id,
            "userName": user.email,
            "displayName": user.name,
            "name": {"formatted": user.name},
            "active": user.active,
            "emails": _email_value(user.email),
            "meta": {
                "resourceType": "User",
                "created": user.created_at,
                "location": f"{base}/Users/{user.id}",
            },
        }
    )


def user_body(user: User, base: str) -> dict[str, Any]:
    return user_model(user, base).model_dump(scim_ctx=RESPONSE)


def person_from(model: ScimUser) -> Person:
    """What the services keep of a SCIM User. The name: displayName, else given and family names."""
    name = model.name
    return Person(
        user_name=model.user_name or "",
        name=display_name(
            model.display_name,
            name.given_name if name else None,
            name.family_name if name else None,
            model.user_name or "",
        ),
        active=True if model.active is None else bool(model.active),
        external_id=model.external_id,
    )


def group_model(group: ScimGroup, base: str, *, members: bool = True) -> Group:
    """A group as SCIM shows it; without `members`, its members are not read at all."""
    return Group(
        id=str(group.id),
        external_id=group.external_id,
        display_name=group.display_name,
        members=[
            GroupMember(value=str(user.id), display=user.name, ref=f"{base}/Users/{user.id}")
            for user in group.members
        ]
        if members
        else None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            location=f"{base}/Groups/{group.id}",
        ),
    )


def group_body(group: ScimGroup, base: str, *, members: bool = True) -> dict[str, Any]:
    body = group_model(group, base, members=members).model_dump(scim_ctx=RESPONSE)
    if not members:
        body.pop("members", None)
    return body


def group_fields(model: Group) -> GroupFields:
    return GroupFields(
        display_name=model.display_name or "",
        external_id=model.external_id,
        member_ids=tuple(member.value or "" for member in model.members or []),
    )


def list_body(total: int, start: int, resources: list[dict[str, Any]]) -> dict[str, Any]:
    """A ListResponse of resources already dumped."""
    page = ListResponse[UserResource](total_results=total, start_index=start, items_per_page=len(resources))
    body = page.model_dump(scim_ctx=Context.SEARCH_RESPONSE)
    body["Resources"] = resources
    return body

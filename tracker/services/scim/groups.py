"""Groups the provisioning service pushes, and the roles that follow from them.

A member's role is the highest that OIDC_ROLE_MAP gives any of their groups (named by externalId or
displayName). Someone whose role came from groups and who is now in no mapped group goes back to the
default role; a role an admin set by hand is changed only by a mapped group. The last active admin
is never taken away: such a change is refused whole."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tracker.domain.scim import Filter, role_from_groups
from tracker.domain.vocabulary import Role, RoleSource
from tracker.extensions import db
from tracker.models import AuditAction, ScimGroup, ScimGroupMember, User
from tracker.services import audit
from tracker.services.errors import Invalid, NotFound
from tracker.services.scim.errors import Uniqueness
from tracker.services.scim.people import BY, refuse_if_no_admin_left


@dataclass(frozen=True)
class GroupFields:
    """What a SCIM Group resource says: its name, the directory's id for it, its members' ids."""

    display_name: str
    external_id: str | None
    member_ids: tuple[str, ...]


def _filtered(query: Select, found: Filter | None) -> Select:
    if found is None:
        return query
    if found.attribute == "displayName":
        return query.where(func.lower(ScimGroup.display_name) == found.value.lower())
    if found.attribute == "externalId":
        return query.where(ScimGroup.external_id == found.value)
    return query.where(ScimGroup.id == int(found.value)) if found.value.isdigit() else query.where(False)


def list_groups(
    found: Filter | None, *, start: int, count: int, with_members: bool = False
) -> tuple[int, list[ScimGroup]]:
    """Groups matching the filter (all without one), in id order: the total and one page, with every
    group's members read in one more query when they are wanted."""
    total = db.session.scalar(_filtered(select(func.count()).select_from(ScimGroup), found)) or 0
    query = _filtered(select(ScimGroup), found).order_by(ScimGroup.id).offset(start - 1).limit(count)
    if with_members:
        query = query.options(selectinload(ScimGroup.members))
    return total, list(db.session.scalars(query))


def get_group(group_id: str) -> ScimGroup:
    group = db.session.get(ScimGroup, int(group_id)) if group_id.isdigit() and len(group_id) < 10 else None
    if group is None:
        raise NotFound(f"There is no group with id {group_id[:40]!r}")
    return group


def create_group(fields: GroupFields) -> ScimGroup:
    """Add a pushed group with its members; their roles follow."""
    _check(fields, other_than=None)
    group = ScimGroup(display_name=fields.display_name.strip(), external_id=fields.external_id)
    db.session.add(group)
    db.session.flush()
    members = _people(fields.member_ids)
    group.members = members
    audit.record(
        AuditAction.CREATE,
        group,
        user_id=None,
        programme_id=None,
        summary=f'{BY} created group "{group.display_name}" with {len(members)} members',
    )
    _follow_roles(members)
    _commit()
    return group


def replace_group(group_id: str, fields: GroupFields) -> ScimGroup:
    """Make a group what the directory says (PUT, and PATCH once applied); roles follow."""
    group = get_group(group_id)
    _check(fields, other_than=group.id)
    before = list(group.members)
    after = _people(fields.member_ids)
    values: dict[str, object] = {"display_name": fields.display_name.strip()}
    if fields.external_id is not None:
        values["external_id"] = fields.external_id
    changes = audit.apply_changes(group, values)
    # By id: Flask-Login's users compare by session key, which these have none of.
    before_ids, after_ids = {user.id for user in before}, {user.id for user in after}
    added = [user for user in after if user.id not in before_ids]
    removed = [user for user in before if user.id not in after_ids]
    if added or removed:
        group.members = after
        changes["members"] = (
            ", ".join(user.email for user in removed) or None,
            ", ".join(user.email for user in added) or None,
        )
    if changes:
        said = [name for name in sorted(changes) if name != "members"]
        said += [f"{len(added)} added"] if added else []
        said += [f"{len(removed)} removed"] if removed else []
        audit.record(
            AuditAction.UPDATE,
            group,
            user_id=None,
            programme_id=None,
            summary=f'{BY} changed group "{group.display_name}": {", ".join(said)}',
            changes=changes,
        )
        db.session.flush()
        # A new name or externalId may map to another role, so every member is looked at again.
        _follow_roles((before + added) if set(changes) - {"members"} else (added + removed))
        _commit()
    return group


def delete_group(group_id: str) -> None:
    """Remove a pushed group (the directory deleted it or stopped pushing it); its members' roles follow."""
    group = get_group(group_id)
    members = list(group.members)
    audit.record(
        AuditAction.DELETE,
        group,
        user_id=None,
        programme_id=None,
        summary=f'{BY} deleted group "{group.display_name}"',
    )
    db.session.delete(group)
    db.session.flush()
    _follow_roles(members)
    _commit()


def _check(fields: GroupFields, *, other_than: int | None) -> None:
    name = fields.display_name.strip()
    if not name:
        raise Invalid("displayName is required")
    if len(name) > 255 or len(fields.external_id or "") > 255:
        raise Invalid("displayName and externalId must be 255 characters or fewer")
    same_name = select(ScimGroup.id).where(func.lower(ScimGroup.display_name) == name.lower())
    if other_than is not None:
        same_name = same_name.where(ScimGroup.id != other_than)
    if db.session.scalar(same_name) is not None:
        raise Uniqueness(f'A group named "{name}" already exists')
    if fields.external_id:
        same_id = select(ScimGroup.id).where(ScimGroup.external_id == fields.external_id)
        if other_than is not None:
            same_id = same_id.where(ScimGroup.id != other_than)
        if db.session.scalar(same_id) is not None:
            raise Uniqueness(f"Another group already has the externalId {fields.external_id!r}")


def _people(member_ids: Iterable[str]) -> list[User]:
    """The people named as members, each once; an id naming nobody is refused."""
    wanted = list(dict.fromkeys(member_ids))  # each once, in the order sent
    unknown = [member for member in wanted if not member.isdigit() or len(member) >= 10]
    found = (
        {
            user.id: user
            for user in db.session.scalars(select(User).where(User.id.in_([int(m) for m in wanted])))
        }
        if not unknown
        else {}
    )
    unknown += [
        member for member in wanted if member.isdigit() and len(member) < 10 and int(member) not in found
    ]
    if unknown:
        raise Invalid(f"No user has the id {unknown[0][:40]!r}: provision the user before adding them")
    return [found[int(member)] for member in wanted]


def _follow_roles(people: Iterable[User]) -> None:
    """Give each person the role their groups now map to, audited; never leave no active admin."""
    role_map = current_app.config.get("OIDC_ROLE_MAP") or {}
    default_role = current_app.config.get("OIDC_DEFAULT_ROLE", "")
    planned: list[tuple[User, Role, RoleSource]] = []
    for user in people:
        groups = db.session.execute(
            select(ScimGroup.external_id, ScimGroup.display_name)
            .join(ScimGroupMember, ScimGroupMember.group_id == ScimGroup.id)
            .where(ScimGroupMember.user_id == user.id)
        ).all()
        role, source = role_from_groups(groups, role_map=role_map, default_role=default_role)
        if source is RoleSource.DEFAULT and user.role_source is not RoleSource.PROVISIONING:
            continue  # in no mapped group, and their role never came from one: left as it is
        if (role, source) != (user.role, user.role_source):
            planned.append((user, role, source))
    losing = [
        user.id
        for user, role, _ in planned
        if user.role is Role.ADMIN and user.active and role is not Role.ADMIN
    ]
    try:
        refuse_if_no_admin_left(losing)
    except Invalid:
        db.session.rollback()  # the group's own change, already flushed, goes too
        raise
    for user, role, source in planned:
        changes = audit.apply_changes(user, {"role": role, "role_source": source})
        audit.record(
            AuditAction.UPDATE,
            user,
            user_id=None,
            programme_id=None,
            summary=f"{BY} changed the role of {user.email} to {role.value} (from its groups)",
            changes=changes,
        )


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same group pushed twice at the same moment
        db.session.rollback()
        raise Uniqueness("A group with this externalId already exists") from exc

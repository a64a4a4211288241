"""SCIM provisioning rules with no database: the filters Entra sends, the role a person's pushed groups
give, the name to show, and the PATCH quirks of Entra's provisioning service smoothed into RFC 7644."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.domain.directory import highest_role
from tracker.domain.vocabulary import Role, RoleSource

# Attributes each resource may be filtered on, as SCIM names them (compared without case).
USER_FILTERS = ("userName", "externalId", "id")
GROUP_FILTERS = ("displayName", "externalId", "id")

_FILTER = re.compile(r'^\s*([A-Za-z][A-Za-z0-9]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)
_ESCAPE = re.compile(r"\\(.)")


class FilterError(ValueError):
    """A filter this service does not understand: answered with SCIM's `invalidFilter`."""


@dataclass(frozen=True)
class Filter:
    """`attribute eq "value"`: the only form of filter Entra's provisioning service sends."""

    attribute: str  # as listed in USER_FILTERS or GROUP_FILTERS
    value: str


def parse_filter(text: str, allowed: Iterable[str]) -> Filter:
    """Read `attr eq "value"` for one of the allowed attributes; refuse anything else, never guess."""
    if len(text) > 1000:
        raise FilterError("The filter is too long.")
    match = _FILTER.match(text)
    if match is None:
        raise FilterError(
            f"Unsupported filter {text[:200]!r}: only 'attribute eq \"value\"' is supported, "
            f"with one of {', '.join(allowed)}."
        )
    name, quoted = match.groups()
    for attribute in allowed:
        if attribute.lower() == name.lower():
            return Filter(attribute, _ESCAPE.sub(r"\1", quoted))
    raise FilterError(f"Filtering on {name!r} is not supported: use one of {', '.join(allowed)}.")


def role_from_groups(
    groups: Iterable[tuple[str | None, str]], *, role_map: Mapping[str, str], default_role: str
) -> tuple[Role, RoleSource]:
    """The role a person's pushed groups give them, each group named by (externalId, displayName) in
    OIDC_ROLE_MAP; in no mapped group, OIDC_DEFAULT_ROLE, or viewer when there is none."""
    mapped = [
        Role(role_map[key])
        for external_id, display_name in groups
        for key in (external_id, display_name)
        if key and key in role_map
    ]
    best = highest_role(mapped)
    if best is not None:
        return best, RoleSource.PROVISIONING
    return default_role_of(default_role), RoleSource.DEFAULT


def default_role_of(default_role: str) -> Role:
    """OIDC_DEFAULT_ROLE, or viewer: someone provisioned before any group push reads and no more."""
    return Role(default_role) if default_role else Role.VIEWER


def display_name(display: str | None, given: str | None, family: str | None, user_name: str) -> str:
    """The name to show: displayName, else given and family names, else the userName."""
    for candidate in (display, " ".join(part.strip() for part in (given, family) if part and part.strip())):
        if candidate and candidate.strip():
            return candidate.strip()[:120]
    return user_name[:120]


def entra_patch(body: Any) -> Any:
    """Entra's PATCH bodies, made RFC 7644: its `name` on each operation ("addMember") dropped, its
    `Remove members` with a value list turned into one `members[value eq "<id>"]` removal per member,
    and the enterprise `manager` it sends as a bare id made the complex value the schema defines.
    Anything else is passed on untouched for the model to accept or refuse."""
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        return body
    operations: list[Any] = []
    for operation in body["Operations"]:
        if not isinstance(operation, dict):
            operations.append(operation)
            continue
        operation = {key: value for key, value in operation.items() if key != "name"}
        op, path, value = str(operation.get("op", "")).lower(), operation.get("path"), operation.get("value")
        if op == "remove" and isinstance(path, str) and path.lower() == "members" and isinstance(value, list):
            for member in value:
                member_id = member.get("value") if isinstance(member, dict) else None
                if not isinstance(member_id, str):
                    operations.append(operation)  # malformed: let the model say so
                    break
                quoted = member_id.replace("\\", "\\\\").replace('"', '\\"')
                operations.append({"op": "remove", "path": f'members[value eq "{quoted}"]'})
            continue
        if isinstance(path, str) and path.lower().endswith(":manager") and isinstance(value, str):
            operation["value"] = {"value": value}
        operations.append(operation)
    return {**body, "Operations": operations}

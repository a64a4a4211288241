"""Who the directory says someone is, and the role its groups and app roles give: pure rules.

A person is known by the issuer and subject of their ID token, never by email alone. For Microsoft
Entra ID the token also carries `tid` (the tenant) and `oid` (the person's object id, the same in
every app of the tenant, where `sub` differs per app): with both present the identity is the
tenant's issuer (`https://login.microsoftonline.com/<tid>/v2.0`) and `oid`, so the person stays the
same if the app is registered again and matches the id SCIM provisioning knows them by.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.domain.vocabulary import Role

# Highest first: someone in several mapped groups gets the highest role any of them gives.
ROLE_RANK: tuple[Role, ...] = (Role.ADMIN, Role.CIO, Role.BOARD, Role.PROGRAMME_MANAGER, Role.VIEWER)

ENTRA_ISSUER = "https://login.microsoftonline.com/{tid}/v2.0"


@dataclass(frozen=True)
class DirectoryIdentity:
    """The parts of an ID token the tracker uses."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str
    groups: tuple[str, ...]
    roles: tuple[str, ...]
    # Entra's object id, when the token names the tenant and the object: SCIM provisioning knows the
    # person by it too (as externalId), so a provisioned account is found by it at first sign-in.
    object_id: str = ""


def _strings(value: Any) -> tuple[str, ...]:
    """A claim that should be a list of strings; a lone string counts as a list of one."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value if isinstance(item, str | int))
    return ()


def _true(value: Any) -> bool:
    """Claims are booleans, but some providers send "true" as a string."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def email_verified(claims: Mapping[str, Any]) -> bool:
    """Whether the provider vouches for the email: `email_verified`, or Entra's `xms_edov`
    (the email's domain is verified as the tenant's)."""
    return _true(claims.get("email_verified")) or _true(claims.get("xms_edov"))


def identity_from_claims(claims: Mapping[str, Any]) -> DirectoryIdentity:
    """Read an ID token's checked claims; Entra's tenant and object ids take over when present."""
    tid, oid = claims.get("tid"), claims.get("oid")
    object_id = ""
    if isinstance(tid, str) and tid and isinstance(oid, str) and oid:
        issuer, subject, object_id = ENTRA_ISSUER.format(tid=tid), oid, oid
    else:
        issuer, subject = str(claims.get("iss", "")), str(claims.get("sub", ""))
    email = claims.get("email") or ""
    name = claims.get("name") or ""
    return DirectoryIdentity(
        issuer=issuer,
        subject=subject,
        email=email.strip().lower() if isinstance(email, str) else "",
        email_verified=email_verified(claims),
        name=name.strip()[:120] if isinstance(name, str) else "",
        groups=_strings(claims.get("groups")),
        roles=_strings(claims.get("roles")),
        object_id=object_id,
    )


def highest_role(roles: Iterable[Role]) -> Role | None:
    """The highest of some roles, or None for none: the one rule for directory sign-in and provisioning."""
    held = set(roles)
    return next((role for role in ROLE_RANK if role in held), None)


def role_from_directory(
    groups: Iterable[str], roles: Iterable[str], role_map: Mapping[str, str]
) -> Role | None:
    """The highest role any of the person's groups or app roles maps to; None if none is mapped."""
    return highest_role(Role(role_map[key]) for key in (*groups, *roles) if key in role_map)

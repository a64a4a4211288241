"""Who an ID token stands for, and the role the directory's groups and app roles give."""

from __future__ import annotations

from tracker.domain.directory import email_verified, identity_from_claims, role_from_directory
from tracker.domain.vocabulary import Role

ROLE_MAP = {"g-admins": "admin", "g-cio": "cio", "g-board": "board", "Tracker.Viewer": "viewer"}


def test_the_highest_mapped_role_wins() -> None:
    assert role_from_directory(["g-board", "g-cio"], [], ROLE_MAP) is Role.CIO
    assert role_from_directory(["g-board"], ["Tracker.Viewer"], ROLE_MAP) is Role.BOARD
    assert role_from_directory(["g-cio", "g-admins", "g-board"], [], ROLE_MAP) is Role.ADMIN


def test_app_roles_count_as_groups_do() -> None:
    assert role_from_directory([], ["Tracker.Viewer"], ROLE_MAP) is Role.VIEWER


def test_unmapped_groups_give_no_role() -> None:
    assert role_from_directory(["g-finance", "g-everyone"], ["Other.Role"], ROLE_MAP) is None
    assert role_from_directory([], [], ROLE_MAP) is None
    assert role_from_directory(["g-cio"], [], {}) is None


def test_a_standard_provider_identifies_people_by_issuer_and_subject() -> None:
    identity = identity_from_claims(
        {
            "iss": "https://id.council.example",
            "sub": "24400320",
            "email": " Ana.Khan@Council.example ",
            "email_verified": True,
            "name": "Ana Khan",
            "groups": ["g-cio"],
        }
    )
    assert (identity.issuer, identity.subject) == ("https://id.council.example", "24400320")
    assert identity.email == "ana.khan@council.example"
    assert identity.email_verified
    assert identity.groups == ("g-cio",) and identity.roles == ()


def test_entra_identifies_people_by_tenant_and_object_id() -> None:
    identity = identity_from_claims(
        {
            "iss": "https://login.microsoftonline.com/9122040d-6c67-4c5b-b112-36a304b66dad/v2.0",
            "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",  # differs per app
            "tid": "9122040d-6c67-4c5b-b112-36a304b66dad",
            "oid": "00000000-0000-0000-66f3-3332eca7ea81",
            "roles": "Tracker.Viewer",
        }
    )
    assert identity.issuer == "https://login.microsoftonline.com/9122040d-6c67-4c5b-b112-36a304b66dad/v2.0"
    assert identity.subject == "00000000-0000-0000-66f3-3332eca7ea81"
    assert identity.roles == ("Tracker.Viewer",)


def test_an_email_is_verified_only_when_the_provider_says_so() -> None:
    assert email_verified({"email_verified": True})
    assert email_verified({"email_verified": "true"})
    assert email_verified({"xms_edov": True})  # Entra: the domain is verified as the tenant's
    assert not email_verified({"email_verified": False})
    assert not email_verified({"email_verified": "yes please"})
    assert not email_verified({})

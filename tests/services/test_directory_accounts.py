"""The directory sign-in service, from checked ID token claims to a person here."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.domain.vocabulary import Role, RoleSource, SignInResult
from tracker.extensions import db
from tracker.models import SignInEvent, User
from tracker.services.accounts import directory

ISSUER = "https://id.council.example"
ROLE_MAP = {"g-cio": "cio", "g-viewers": "viewer"}


def claims(sub: str, **extra: object) -> dict[str, object]:
    return {"iss": ISSUER, "sub": sub, "email": f"{sub}@testshire.gov.uk", "email_verified": True} | extra


def test_someone_provisioned_by_scim_keeps_their_role_when_the_token_names_no_mapped_group(app) -> None:
    user = directory.sign_in(claims("ana", groups=["g-viewers"]), role_map=ROLE_MAP)
    user.role, user.role_source = Role.BOARD, RoleSource.PROVISIONING
    db.session.commit()
    again = directory.sign_in(claims("ana", groups=[]), role_map=ROLE_MAP)
    assert again.id == user.id and again.role is Role.BOARD and again.role_source is RoleSource.PROVISIONING


def test_an_account_linked_to_one_directory_identity_is_not_taken_over_by_another(app) -> None:
    first = directory.sign_in(claims("ana", groups=["g-cio"]), role_map=ROLE_MAP)
    other = claims("someone-else", email=first.email, groups=["g-cio"])
    with pytest.raises(directory.DirectoryRefused, match="linked to someone else"):
        directory.sign_in(other, role_map=ROLE_MAP)
    assert db.session.get(User, first.id).oidc_subject == "ana"


def test_a_new_person_needs_an_email(app) -> None:
    with pytest.raises(directory.DirectoryRefused, match="did not give your email address"):
        directory.sign_in(claims("ana", email="", groups=["g-cio"]), role_map=ROLE_MAP)
    assert db.session.scalar(select(User)) is None
    event = db.session.scalar(select(SignInEvent))
    assert event.result is SignInResult.REFUSED


def test_a_token_without_a_subject_signs_nobody_in(app) -> None:
    with pytest.raises(directory.DirectoryRefused):
        directory.sign_in({"iss": ISSUER, "email": "ana@testshire.gov.uk"}, role_map=ROLE_MAP)


def test_a_person_provisioned_by_scim_is_found_by_their_entra_object_id_without_a_verified_email(
    app, make_user
) -> None:
    provisioned = make_user(Role.VIEWER, email="sam.jones@testshire.gov.uk")
    provisioned.scim_external_id = "0f1e2d3c-object-id"
    db.session.commit()
    entra = {
        "iss": "https://login.microsoftonline.com/tenant-1/v2.0",
        "sub": "pairwise-subject-for-this-app",
        "tid": "tenant-1",
        "oid": "0f1e2d3c-object-id",
        "email": "someone.else@testshire.gov.uk",  # not verified, and not theirs: not used to link
        "groups": ["g-cio"],
    }

    user = directory.sign_in(entra, role_map=ROLE_MAP)

    assert user.id == provisioned.id and user.role is Role.CIO
    assert (user.oidc_issuer, user.oidc_subject) == (
        "https://login.microsoftonline.com/tenant-1/v2.0",
        "0f1e2d3c-object-id",
    )
    assert user.email == "sam.jones@testshire.gov.uk"

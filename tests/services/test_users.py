"""The users service: password rules when users are made, admins' changes and their limits, resets."""

from __future__ import annotations

import math

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from tracker.domain.passwords import TOO_COMMON, TOO_PERSONAL, password_problem
from tracker.extensions import db
from tracker.models import AuditEvent, Role
from tracker.services.accounts import users
from tracker.services.accounts.temporary import word_list
from tracker.services.errors import Invalid


def _events(summary_part: str) -> list[AuditEvent]:
    return [e for e in db.session.scalars(select(AuditEvent)) if summary_part in e.summary]


@pytest.mark.parametrize(
    ("password", "message"),
    [("password1234", TOO_COMMON), ("Qwertyuiopas", TOO_COMMON),
     ("ruth.archer@ambridge.gov.uk", TOO_PERSONAL), ("ruth ambridge-archer", TOO_PERSONAL),
     ("short", "Password must be at least 12 characters")],
)  # fmt: skip
def test_create_user_applies_the_password_rules(app: Flask, password: str, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        users.create_user(
            "ruth.archer@ambridge.gov.uk", name="Ruth Ambridge-Archer", role=Role.CIO, password=password
        )
    assert refused.value.message == message
    assert refused.value.field == "password"
    assert users.find_by_email("ruth.archer@ambridge.gov.uk") is None


def test_an_admin_made_user_must_change_their_password(app: Flask, make_user) -> None:
    admin = make_user(Role.ADMIN)
    user = users.create_user(
        "new@testshire.gov.uk",
        name="New Person",
        role=Role.VIEWER,
        password="a temporary passphrase",
        created_by_id=admin.id,
        must_change_password=True,
    )
    assert user.must_change_password
    [event] = _events("Created user new@testshire.gov.uk")
    assert event.user_id == admin.id


def test_update_user_changes_and_audits_only_what_changed(app: Flask, make_user) -> None:
    admin = make_user(Role.ADMIN)
    person = make_user(Role.VIEWER, name="Kenton Archer")
    users.update_user(person.id, name=" Kenton  Archer ", role=Role.CIO, active=True, by=admin)
    assert person.role is Role.CIO and person.name == "Kenton  Archer"
    [event] = _events(f"Changed user {person.email}")
    assert event.user_id == admin.id
    assert event.changes["role"] == ["viewer", "cio"]
    users.update_user(person.id, name="Kenton  Archer", role=Role.CIO, active=True, by=admin)
    assert len(_events(f"Changed user {person.email}")) == 1  # nothing changed, nothing recorded


def test_an_admin_cannot_demote_or_deactivate_themselves(app: Flask, make_user) -> None:
    admin = make_user(Role.ADMIN)
    make_user(Role.ADMIN)  # another admin exists, so only the self rule applies
    with pytest.raises(Invalid, match="own admin role") as demote:
        users.update_user(admin.id, name=admin.name, role=Role.CIO, active=True, by=admin)
    assert demote.value.field == "role"
    with pytest.raises(Invalid, match="deactivate your own") as deactivate:
        users.update_user(admin.id, name=admin.name, role=Role.ADMIN, active=False, by=admin)
    assert deactivate.value.field == "active"
    db.session.refresh(admin)
    assert admin.role is Role.ADMIN and admin.active


def test_the_last_active_admin_cannot_be_removed(app: Flask, make_user) -> None:
    acting = make_user(Role.ADMIN)
    other = make_user(Role.ADMIN)
    users.update_user(other.id, name=other.name, role=Role.ADMIN, active=False, by=acting)  # one left
    # Someone acting with admin rights but not an active admin (a deactivated one, say) removes the last.
    with pytest.raises(Invalid, match="at least one active admin"):
        users.update_user(acting.id, name=acting.name, role=Role.VIEWER, active=True, by=other)
    with pytest.raises(Invalid, match="at least one active admin"):
        users.update_user(acting.id, name=acting.name, role=Role.ADMIN, active=False, by=other)
    users.update_user(other.id, name=other.name, role=Role.ADMIN, active=True, by=acting)
    users.update_user(acting.id, name=acting.name, role=Role.CIO, active=True, by=other)  # fine with two


def test_force_reset_ends_sessions_and_is_audited(app: Flask, make_user) -> None:
    admin = make_user(Role.ADMIN)
    person = make_user(Role.CIO)
    _, temporary = users.force_password_reset(person.id, by=admin)
    assert person.must_change_password and person.session_generation == 2
    # The old password no longer works (it may be known to someone else); the temporary one does.
    assert users.password_matches(person, temporary) and not users.password_matches(person, TEST_PASSWORD)
    assert _events(f"Forced a password reset for {person.email}")
    with pytest.raises(Invalid, match="your own password"):
        users.force_password_reset(admin.id, by=admin)


def test_a_temporary_password_is_four_dictionary_words_that_pass_our_rules(app: Flask, make_user) -> None:
    admin = make_user(Role.ADMIN)
    person = make_user(Role.CIO)
    words = set(word_list())
    given = set()
    for _ in range(20):
        _, temporary = users.force_password_reset(person.id, by=admin)
        parts = temporary.split("-")
        assert len(parts) == 4 and all(part in words and part.isalpha() for part in parts), temporary
        assert password_problem(temporary, email=person.email, name=person.name) is None
        given.add(temporary)
    assert len(given) == 20
    assert math.log2(len(words)) * 4 >= 50  # at least 50 bits however the words are guessed


def test_change_password_checks_the_current_one_and_the_rules(app: Flask, make_user) -> None:
    person = make_user(Role.CIO, name="Jazzer McCreary")
    with pytest.raises(Invalid, match="current password is not correct") as wrong:
        users.change_password(person, current="not my password", new="a brand new passphrase")
    assert wrong.value.field == "current_password"
    for new, message in [("letmein12345", TOO_COMMON), ("jazzer mccreary", TOO_PERSONAL)]:
        with pytest.raises(Invalid) as refused:
            users.change_password(person, current=TEST_PASSWORD, new=new)
        assert (refused.value.message, refused.value.field) == (message, "new_password")
    with pytest.raises(Invalid, match="different from your current"):
        users.change_password(person, current=TEST_PASSWORD, new=TEST_PASSWORD)
    assert person.session_generation == 1

    person.must_change_password = True
    users.change_password(person, current=TEST_PASSWORD, new="a brand new passphrase")
    assert users.password_matches(person, "a brand new passphrase")
    assert not person.must_change_password and person.session_generation == 2
    [event] = _events("changed their password")
    assert TEST_PASSWORD not in str(event.changes) and "a brand new passphrase" not in str(event.changes)

"""API and calendar tokens: shown once, kept only as a hash, refused once revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent, Role
from tracker.services.accounts.tokens import authenticate, create_token, hash_token, list_tokens, revoke_token
from tracker.services.errors import Invalid, NotFound


def test_only_the_hash_is_kept(make_user) -> None:
    user = make_user(Role.VIEWER)
    _, plaintext = create_token(user, name="Report")
    assert plaintext.startswith("cpt_") and len(plaintext) > 40
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert stored == [hash_token(plaintext)] and plaintext not in stored
    assert db.session.scalar(select(AuditEvent.summary).where(AuditEvent.entity_type == "api_token")) == (
        'Created api token "Report"'
    )


def test_a_token_names_its_user_and_only_for_its_purpose(make_user) -> None:
    user = make_user(Role.CIO)
    _, api = create_token(user, name="Script")
    _, calendar = create_token(user, name="Outlook", purpose="calendar")
    assert authenticate(api, purpose="api") == user
    assert authenticate(calendar, purpose="calendar") == user
    assert authenticate(api, purpose="calendar") is None
    assert authenticate(calendar, purpose="api") is None
    assert authenticate(None, purpose="api") is None
    assert authenticate("cpt_" + "x" * 300, purpose="api") is None


def test_names_are_checked(make_user) -> None:
    user = make_user(Role.VIEWER)
    with pytest.raises(Invalid, match="Enter a name"):
        create_token(user, name="  ")
    with pytest.raises(Invalid, match="80 characters"):
        create_token(user, name="x" * 81)


def test_revoked_tokens_and_inactive_users_are_refused(make_user) -> None:
    user = make_user(Role.PROGRAMME_MANAGER)
    token, plaintext = create_token(user, name="Old")
    revoke_token(user, token.id, purpose="api")
    revoke_token(user, token.id, purpose="api")  # twice is harmless
    assert authenticate(plaintext, purpose="api") is None
    _, live = create_token(user, name="New")
    assert authenticate(live, purpose="api") == user
    user.active = False  # as an admin's deactivation leaves it
    db.session.commit()
    assert authenticate(live, purpose="api") is None


def test_only_ones_own_tokens_can_be_revoked(make_user) -> None:
    owner, other = make_user(Role.ADMIN), make_user(Role.ADMIN)
    token, _ = create_token(owner, name="Mine")
    with pytest.raises(NotFound):
        revoke_token(other, token.id, purpose="api")
    with pytest.raises(NotFound):
        revoke_token(owner, token.id, purpose="calendar")


def test_listing_is_newest_first_and_by_purpose(make_user) -> None:
    user = make_user(Role.VIEWER)
    with time_machine.travel("2026-11-01 09:00:00+00:00", tick=False):
        create_token(user, name="First")
    create_token(user, name="Second")
    create_token(user, name="Feed", purpose="calendar")
    assert [token.name for token in list_tokens(user, purpose="api")] == ["Second", "First"]
    assert [token.name for token in list_tokens(user, purpose="calendar")] == ["Feed"]


def test_last_used_is_written_at_most_once_a_minute(make_user) -> None:
    token, plaintext = create_token(make_user(Role.VIEWER), name="Busy")
    with time_machine.travel("2026-11-27 10:00:00+00:00", tick=False) as clock:
        authenticate(plaintext, purpose="api")
        first = token.last_used_at
        clock.shift(timedelta(seconds=30))
        authenticate(plaintext, purpose="api")
        assert token.last_used_at == first
        clock.shift(timedelta(seconds=31))
        authenticate(plaintext, purpose="api")
        assert token.last_used_at == first + timedelta(seconds=61)

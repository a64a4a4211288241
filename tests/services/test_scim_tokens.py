"""The provisioning service's tokens: only a hash is kept, last use is noted at most once a minute, and
a revoked token lets nothing in."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from flask import Flask

from tracker.extensions import db
from tracker.models import ScimToken
from tracker.services.scim import tokens


def test_only_the_hash_is_kept_and_last_use_is_noted_once_a_minute(app: Flask) -> None:
    with time_machine.travel("2026-12-06 09:00:00+00:00", tick=False) as clock:
        token, plaintext = tokens.create_token(name="Entra ID")
        assert plaintext.startswith("scim_") and plaintext not in token.token_hash
        assert tokens.authenticate(plaintext) is not None
        first = db.session.get(ScimToken, token.id).last_used_at
        clock.shift(timedelta(seconds=30))
        tokens.authenticate(plaintext)
        assert db.session.get(ScimToken, token.id).last_used_at == first
        clock.shift(timedelta(seconds=31))
        tokens.authenticate(plaintext)
        assert db.session.get(ScimToken, token.id).last_used_at == first + timedelta(seconds=61)


def test_a_wrong_or_revoked_token_lets_nothing_in(app: Flask, make_user) -> None:
    admin = make_user("admin")
    token, plaintext = tokens.create_token(name="Entra ID", by=admin)
    assert tokens.authenticate(plaintext + "x") is None
    assert tokens.authenticate("cpt_" + plaintext) is None
    tokens.revoke_token(token.id, by=admin)
    assert tokens.authenticate(plaintext) is None
    assert [listed.name for listed in tokens.list_tokens()] == ["Entra ID"]

"""A person's own digest: preview it, send themselves a test copy, and turn the weekly email on or off."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from tracker.domain.calendar import london_today, london_week_key
from tracker.extensions import db
from tracker.mail import DeliveryError, Mailer, build_message, envelope_from_config, mailer_from_config
from tracker.models import AuditAction, User
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.digest.compose import digest_scope, preview_scope, receives_by_default
from tracker.services.digest.jobs import render_for
from tracker.services.digest.pack_attachment import may_attach_pack
from tracker.services.digest.render import RenderedDigest
from tracker.services.digest.source import load_digest_source
from tracker.services.errors import Invalid, ServiceError


def preview_digest(user: User, *, now: datetime | None = None, week: str | None = None) -> RenderedDigest:
    """This week's digest for `user`, built and rendered exactly as the weekly job would."""
    now = now or utcnow()
    source = load_digest_source(now=now, today=london_today(now))
    return render_for(user, preview_scope(user), week=week or london_week_key(now), source=source)


def send_test_digest(user: User, *, now: datetime | None = None, mailer: Mailer | None = None) -> str:
    """Send this week's digest to the user now, outside the weekly delivery log; returns the address."""
    now = now or utcnow()
    rendered = preview_digest(user, now=now)
    message = build_message(
        envelope_from_config(current_app.config, user.email),
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        sent_at=now,
    )
    try:
        (mailer or mailer_from_config(current_app.config)).send(message)
    except DeliveryError as error:
        raise ServiceError(f"The test digest could not be sent: {error}") from error
    return user.email


def receives_digest(user: User) -> bool:
    """Whether the weekly job will send this user a digest."""
    return digest_scope(user) is not None


def set_digest_preference(user: User, *, receive: bool) -> bool:
    """Opt out (CIOs, admins, programme managers) or in (viewers); True if anything changed."""
    if receives_by_default(user):
        changes = audit.apply_changes(user, {"digest_opt_out": not receive})
    else:
        changes = audit.apply_changes(user, {"digest_opt_in": receive})
    return _saved(
        user, changes, f"{'Turned on' if receive else 'Turned off'} the weekly risk digest for {user.email}"
    )


def set_pack_attachment(user: User, *, attach: bool) -> bool:
    """Have the board pack (PDF) attached to the weekly digest, or not; True if anything changed."""
    if attach and not may_attach_pack(user):
        raise Invalid("Only the whole portfolio's digest can carry the board pack")
    changes = audit.apply_changes(user, {"digest_pack_pdf": attach})
    return _saved(
        user,
        changes,
        f"{'Attached' if attach else 'Stopped attaching'} the board pack to {user.email}'s digest",
    )


def _saved(user: User, changes: dict[str, tuple[Any, Any]], summary: str) -> bool:
    """Audit and commit a preference that changed; False when nothing did."""
    if not changes:
        return False
    audit.record(
        AuditAction.UPDATE, user, user_id=user.id, programme_id=None, summary=summary, changes=changes
    )
    db.session.commit()
    return True

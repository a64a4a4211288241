"""Weekly digest delivery: build and store every message first, then send each once; retry; resend.

The weekly job (its ISO week already claimed by `tracker.jobs`) writes one pending row per recipient
with the subject, HTML and text it will send, and commits before sending anything. Each row is then
leased (a conditional UPDATE, so only one process can take it), sent, and marked sent in its own
commit. A crash leaves the rest pending for the hourly retry, never a second copy for anyone sent.
Failures wait 15 minutes, then 30, 60, ... and the row is marked failed after six attempts.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import or_, select, true, update

from tracker.domain.calendar import london_today, london_week_key
from tracker.domain.digest.links import Links
from tracker.domain.digest.rows import DigestSource
from tracker.extensions import db
from tracker.mail import (
    DeliveryError,
    Mailer,
    build_message,
    envelope_from_config,
    mailer_from_config,
    sender_domain,
)
from tracker.models import AuditAction, DeliveryStatus, DigestDelivery, User
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.digest.compose import Scope, build_digest, digest_scope, recipient
from tracker.services.digest.pack_attachment import Drawn, attach_pack
from tracker.services.digest.render import RenderedDigest, render_digest
from tracker.services.digest.source import load_digest_source
from tracker.services.errors import Conflict, Invalid, NotFound

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_BACKOFF = timedelta(minutes=15)
# How long a process may take to send one leased row before another may try it.
LEASE = timedelta(minutes=10)
SUBJECT_LENGTH = 300


def render_for(user: User, scope: Scope, *, week: str, source: DigestSource) -> RenderedDigest:
    """One user's digest for a week, rendered with this council's name and public address."""
    config = current_app.config
    links = Links(str(config["BASE_URL"]).rstrip("/"))
    digest = build_digest(source, recipient(user, scope), week=week, org_name=config["ORG_NAME"], links=links)
    return render_digest(digest)


def send_weekly_digest(
    week: str | None = None, *, now: datetime | None = None, mailer: Mailer | None = None
) -> str:
    """Store this week's message for everyone who should get one, then send each that is due."""
    now = now or utcnow()
    week = week or london_week_key(now)
    built = _store_missing(week, now)
    outcome = _send_due(now, mailer or mailer_from_config(current_app.config), week=week)
    return f"{week}: {built} digests built; {_describe(outcome)}."


def retry_failed_deliveries(*, now: datetime | None = None, mailer: Mailer | None = None) -> str:
    """Send every pending delivery whose retry time has come, and give up on those out of attempts."""
    now = now or utcnow()
    given_up = _give_up(now)
    outcome = _send_due(now, mailer or mailer_from_config(current_app.config))
    if not outcome and not given_up:
        return "No digest deliveries due for retry."
    return f"Retried: {_describe(outcome)}; {given_up} given up."


def resend_delivery(
    delivery_id: int, *, user_id: int | None, now: datetime | None = None, mailer: Mailer | None = None
) -> DigestDelivery:
    """Send a stored digest again on purpose (an admin's resend), whatever its status."""
    now = now or utcnow()
    delivery = db.session.get(DigestDelivery, delivery_id)
    if delivery is None:
        raise NotFound("There is no such digest delivery.")
    before = delivery.status
    if before is DeliveryStatus.PENDING:
        if not _lease(delivery.id, now, limit=None):
            raise Conflict("This digest was sent or given up a moment ago. Check the list again.")
        db.session.refresh(delivery)
    else:
        delivery.attempts += 1
    try:
        (mailer or mailer_from_config(current_app.config)).send(_message(delivery, now, {}, fresh=True))
    except DeliveryError as error:
        _record_failure(delivery, error, now, keep_status=before is not DeliveryStatus.PENDING)
        db.session.commit()
        raise Invalid(f"The digest could not be sent: {error}") from error
    _record_sent(delivery, now)
    audit.record(
        AuditAction.UPDATE,
        delivery,
        user_id=user_id,
        programme_id=None,
        summary=f"Resent the {delivery.iso_week} digest to {delivery.recipient}",
        changes={"status": (before, delivery.status)} if before is not delivery.status else {},
    )
    db.session.commit()
    return delivery


def _store_missing(week: str, now: datetime) -> int:
    """Build and store the week's message for each recipient without one; existing rows are never rebuilt."""
    done = set(db.session.scalars(select(DigestDelivery.user_id).where(DigestDelivery.iso_week == week)))
    users = db.session.scalars(select(User).where(User.active == true()).order_by(User.id))
    wanted = [(user, scope) for user in users if user.id not in done and (scope := digest_scope(user))]
    if not wanted:
        return 0
    source = load_digest_source(now=now, today=london_today(now))
    for user, scope in wanted:
        rendered = render_for(user, scope, week=week, source=source)
        db.session.add(
            DigestDelivery(
                user_id=user.id,
                iso_week=week,
                recipient=user.email,
                status=DeliveryStatus.PENDING,
                attempts=0,
                subject=rendered.subject[:SUBJECT_LENGTH],
                html_body=rendered.html,
                text_body=rendered.text,
                created_at=now,
                next_attempt_at=now,
            )
        )
    db.session.commit()
    return len(wanted)


def _send_due(now: datetime, mailer: Mailer, *, week: str | None = None) -> Counter[DeliveryStatus]:
    """Lease, send and record each due pending row, one commit per recipient."""
    due = select(DigestDelivery.id).where(_is_due(now)).order_by(DigestDelivery.id)
    if week is not None:
        due = due.where(DigestDelivery.iso_week == week)
    outcome: Counter[DeliveryStatus] = Counter()
    drawn: Drawn = {}
    for delivery_id in list(db.session.scalars(due)):
        if not _lease(delivery_id, now, limit=MAX_ATTEMPTS):
            continue  # another process took it between the query and the lease
        delivery = db.session.get(DigestDelivery, delivery_id)
        assert delivery is not None
        try:
            mailer.send(_message(delivery, now, drawn))
        except DeliveryError as error:
            _record_failure(delivery, error, now)
        else:
            _record_sent(delivery, now)
        outcome[delivery.status] += 1
        db.session.commit()
    return outcome


def _is_due(now: datetime):
    return (
        (DigestDelivery.status == DeliveryStatus.PENDING)
        & (DigestDelivery.attempts < MAX_ATTEMPTS)
        & or_(DigestDelivery.next_attempt_at.is_(None), DigestDelivery.next_attempt_at <= now)
    )


def _lease(delivery_id: int, now: datetime, *, limit: int | None) -> bool:
    """Take a due pending row for LEASE and count the attempt; exactly one process can win it."""
    condition = (DigestDelivery.id == delivery_id) & (DigestDelivery.status == DeliveryStatus.PENDING)
    if limit is not None:
        condition = condition & _is_due(now)
    result = db.session.execute(
        update(DigestDelivery)
        .where(condition)
        .values(attempts=DigestDelivery.attempts + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _message(delivery: DigestDelivery, now: datetime, drawn: Drawn, *, fresh: bool = False) -> EmailMessage:
    """The stored digest as an email, with the board pack when its recipient chose it; the scheduled copy
    keeps one Message-ID however often it is tried."""
    config: Mapping[str, object] = current_app.config
    envelope = envelope_from_config(config, delivery.recipient)
    message_id = None
    if not fresh:
        stamp = delivery.created_at.strftime("%Y%m%d%H%M%S")
        message_id = f"<digest-{delivery.iso_week}-{delivery.id}-{stamp}@{sender_domain(envelope.sender)}>"
    message = build_message(
        envelope,
        subject=delivery.subject,
        text=delivery.text_body,
        html=delivery.html_body,
        sent_at=now,
        message_id=message_id,
    )
    attach_pack(message, delivery.user_id, now=now, drawn=drawn)
    return message


def _record_sent(delivery: DigestDelivery, now: datetime) -> None:
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = now
    delivery.next_attempt_at = None
    delivery.last_error = ""
    log.info("Sent the %s digest to %s", delivery.iso_week, delivery.recipient)


def _record_failure(
    delivery: DigestDelivery, error: Exception, now: datetime, *, keep_status: bool = False
) -> None:
    """Keep the error; wait 15 minutes doubling each time, and give up after MAX_ATTEMPTS."""
    delivery.last_error = str(error)[:2000]
    log.warning("Digest to %s failed (attempt %s): %s", delivery.recipient, delivery.attempts, error)
    if keep_status:
        return
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + FIRST_BACKOFF * 2 ** max(delivery.attempts - 1, 0)


def _give_up(now: datetime) -> int:
    """Rows whose last attempt never finished and that have no attempts left are failed, for admins to see."""
    result = db.session.execute(
        update(DigestDelivery)
        .where(
            DigestDelivery.status == DeliveryStatus.PENDING,
            DigestDelivery.attempts >= MAX_ATTEMPTS,
            or_(DigestDelivery.next_attempt_at.is_(None), DigestDelivery.next_attempt_at <= now),
        )
        .values(status=DeliveryStatus.FAILED, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def _describe(outcome: Counter[DeliveryStatus]) -> str:
    sent, pending, failed = (
        outcome[status] for status in (DeliveryStatus.SENT, DeliveryStatus.PENDING, DeliveryStatus.FAILED)
    )
    return f"{sent} sent, {pending} waiting to retry, {failed} failed"

"""The board pack as a PDF attached to a weekly digest, for those who get the whole portfolio's digest and
chose it. The pack is drawn when the digest is sent (as of that day), once per sending run, not stored."""

from __future__ import annotations

import logging
from datetime import date, datetime
from email.message import EmailMessage

from tracker.domain.calendar import london_today
from tracker.extensions import db
from tracker.models import User
from tracker.policy import Action, can
from tracker.services.packs.content import portfolio_pack
from tracker.services.packs.pdf import portfolio_pdf
from tracker.services.portfolio.scope import ProgrammeFilter

log = logging.getLogger(__name__)
Drawn = dict[date, bytes]
"""Packs drawn in this sending run, by day: every recipient of the portfolio digest gets the same one."""


def may_attach_pack(user: User) -> bool:
    """Only the whole portfolio's digest can carry the whole council's pack."""
    return can(user, Action.RECEIVE_PORTFOLIO_DIGEST)


def wants_pack(user: User) -> bool:
    return user.digest_pack_pdf and may_attach_pack(user)


def attach_pack(message: EmailMessage, user_id: int, *, now: datetime, drawn: Drawn) -> None:
    """Attach the whole council's pack as of today when the recipient chose it. A pack that cannot be
    drawn is logged and the digest goes without it: the digest matters more than its attachment."""
    user = db.session.get(User, user_id)
    if user is None or not wants_pack(user):
        return
    today = london_today(now)
    if today not in drawn:
        try:
            drawn[today] = portfolio_pdf(portfolio_pack(user, ProgrammeFilter(), as_of=today, now=now))
        except Exception:  # whatever went wrong, the digest is still sent
            db.session.rollback()  # the pack only reads: a failed read must not fail the delivery's commit
            log.exception("The board pack for %s could not be drawn; digests go without it", today)
            drawn[today] = b""
    if drawn[today]:
        message.add_attachment(
            drawn[today],
            maintype="application",
            subtype="pdf",
            filename=f"board-pack-{today.isoformat()}.pdf",
        )

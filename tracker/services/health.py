"""Whether the database answers, for /healthz."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db

log = logging.getLogger(__name__)


def database_reachable() -> tuple[bool, str]:
    """Run a trivial query; report the error class (never the connection string) on failure."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as error:
        _discard_session()
        return False, type(getattr(error, "orig", error) or error).__name__
    return True, ""


def _discard_session() -> None:
    """Drop the failed session; a dead connection may refuse even the rollback."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        log.warning("Could not roll back after the health check failed.", exc_info=True)
        db.session.remove()

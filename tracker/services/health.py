"""Whether the database answers, for /healthz."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db


def database_reachable() -> tuple[bool, str]:
    """Run a trivial query; report the error class (never the connection string) on failure."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as error:
        db.session.rollback()
        return False, type(getattr(error, "orig", error) or error).__name__
    return True, ""

"""Database binding: SQLite gets foreign keys, WAL and a busy timeout on every connection."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker.extensions import db


def register_database(app: Flask) -> None:
    """Bind the SQLAlchemy extension and tune SQLite connections as they open."""
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_on_connect)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 opens transactions itself; let SQLAlchemy issue BEGIN so that
    # PRAGMA foreign_keys (a no-op inside a transaction) always takes effect.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite (some maintenance paths differ)."""
    return engine.dialect.name == "sqlite"

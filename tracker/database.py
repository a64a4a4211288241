"""Database binding: SQLite gets foreign keys, WAL and a busy timeout on every connection.

A request that may write (any method but GET, HEAD and OPTIONS) begins its SQLite transaction with
BEGIN IMMEDIATE: it takes the write lock, waiting within the busy timeout, before its first read, so
what it reads and what it writes form one unit that no other worker can interleave with. Left to
itself, sqlite3 begins a transaction only at the first write, so earlier reads sit outside it (the
version columns still catch a stale save; a read-modify-write without one could interleave). And a
transaction begun deferred that reads and then writes after another worker's commit fails at once
with "database is locked": SQLite cannot wait for a snapshot that is already stale.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from tracker.extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 30000


def register_database(app: Flask) -> None:
    """Bind the SQLAlchemy extension and tune SQLite connections as they open and begin."""
    db.init_app(app)
    with app.app_context():
        engine = db.engine  # building the engine opens no connection: the app starts with the database down
        if engine.dialect.name == "sqlite":
            wait_ms = int(app.config.get("SQLITE_BUSY_TIMEOUT_MS", BUSY_TIMEOUT_MS))
            event.listen(engine, "connect", partial(_sqlite_on_connect, busy_timeout_ms=wait_ms))
            event.listen(engine, "begin", _sqlite_on_begin)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any, *, busy_timeout_ms: int) -> None:
    # Python's sqlite3 opens transactions itself (only before writes); PRAGMA foreign_keys
    # is a no-op inside a transaction, and here none is open yet.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms:d}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    """Writing requests take the write lock up front; everything else keeps sqlite3's own handling."""
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is None:
        return
    if writing_request():
        # With its own transaction handling off, sqlite3 leaves BEGIN to us (the SQLAlchemy
        # documentation's recipe for SQLite); commit() still ends the transaction we open.
        dbapi_connection.isolation_level = None
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        # Deferred, begun by sqlite3 before the first write: migrations and maintenance rely on
        # PRAGMAs running outside a transaction. No transaction is open here, so nothing commits.
        dbapi_connection.isolation_level = ""


def writing_request() -> bool:
    """Whether this code runs for a request whose method may change data."""
    return has_request_context() and request.method not in READ_ONLY_METHODS


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite (some maintenance paths differ)."""
    return engine.dialect.name == "sqlite"

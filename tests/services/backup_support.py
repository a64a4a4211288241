"""Helpers for the backup tests: an empty database of this run's kind, and checksums of key columns."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Column, Connection, Engine, Table, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tracker.extensions import db

KEY_TYPES = (Decimal, date, datetime)


@contextmanager
def empty_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the same kind as this run's (a file, or a PostgreSQL database)."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / f'restored-{uuid.uuid4().hex[:6]}.db'}"
        return
    url = make_url(database_url)
    name = f"tracker_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def engine_for(url: str) -> Engine:
    """A plain engine with no pool, so nothing stays connected after a test; SQLite waits for locks."""
    options = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
    return create_engine(url, poolclass=NullPool, **options)


def key_columns(table: Table, *, leave_out: frozenset[str] = frozenset()) -> list[Column]:
    """The primary key, money, dates and times: the columns a bad copy would get wrong."""

    def is_key(column: Column) -> bool:
        try:
            return column.primary_key or column.type.python_type in KEY_TYPES
        except NotImplementedError:
            return False

    return [column for column in table.columns if is_key(column) and column.name not in leave_out]


def checksum(connection: Connection, table: Table, *, leave_out=frozenset(), where=None) -> tuple[int, str]:
    """Rows and a SHA-256 of the key columns of every row, in primary-key order."""
    query = select(*key_columns(table, leave_out=leave_out)).order_by(*table.primary_key.columns)
    if where is not None:
        query = query.where(where)
    rows = connection.execute(query).all()
    return len(rows), hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()


def tables() -> list[Table]:
    """Every table of the app's schema."""
    return list(db.metadata.sorted_tables)

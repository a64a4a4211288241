"""pg_dump and pg_restore for PostgreSQL backups, with no password on any command line."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from tracker.services.errors import Invalid

MAGIC = b"PGDMP"
T = TypeVar("T")


def describe(url: URL) -> str:
    """The database in words, never with its password."""
    return f'the PostgreSQL database "{url.database}" on {url.host or "the local socket"}:{url.port or 5432}'


def dump(url: URL, target: Path, *, survey: Callable[[Connection], T]) -> T:
    """pg_dump in custom format from a snapshot this function holds open, surveyed in the same snapshot.

    The survey (row counts) and the dump see exactly the same data while writes carry on."""
    pg_dump = _tool("pg_dump")
    conninfo, env = _libpq(url)
    engine = create_engine(url, poolclass=NullPool, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection:
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            found = survey(connection)
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}", conninfo], env)
            connection.rollback()
    except OperationalError as error:
        raise Invalid(_unreachable(url, error)) from error
    finally:
        engine.dispose()
    return found


def verify(path: Path) -> str:
    """Read the dump's table of contents back with pg_restore --list."""
    listing = _run([_tool("pg_restore"), "--list", str(path)], dict(os.environ)).stdout
    tables = sum(
        1 for line in listing.splitlines() if " TABLE DATA " in line and " alembic_version " not in line
    )
    return f"pg_restore --list reads it: data for {tables} tables."


def table_names(url: URL) -> list[str]:
    """Tables in any schema but PostgreSQL's own."""
    return survey_database(url, survey=_table_names)


def restore(backup: Path, url: URL) -> None:
    """pg_restore in one transaction, so a failure leaves the database as empty as it was."""
    conninfo, env = _libpq(url)
    command = [
        _tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={conninfo}",
        str(backup),
    ]
    _run(command, env)


def survey_database(url: URL, *, survey: Callable[[Connection], T]) -> T:
    """Run a read-only survey on the database, turning a refused connection into a clear message."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return survey(connection)
    except OperationalError as error:
        raise Invalid(_unreachable(url, error)) from error
    finally:
        engine.dispose()


def _table_names(connection: Connection) -> list[str]:
    query = text(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables "
        "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
    )
    return list(connection.scalars(query))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise Invalid(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's major "
            "version (Debian: apt-get install postgresql-client)."
        )
    return path


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, which travels in PGPASSWORD instead of the process list."""
    # URL.set(password=None) would keep the password: build the libpq URL without one.
    bare = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query)
    conninfo = bare.render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return conninfo, env


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The command is pg_dump or pg_restore by full path, with arguments we built: no shell.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = result.stderr.strip() or f"exit status {result.returncode}"
        raise Invalid(f"{Path(command[0]).name} failed: {detail}")
    return result


def _unreachable(url: URL, error: OperationalError) -> str:
    reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
    return f"Cannot connect to {describe(url)} ({reason}). If it does not exist yet, create it first."

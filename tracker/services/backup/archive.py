"""Online backups and restores of the tracker's database, with a check of what was written.

SQLite is copied with its backup API (a consistent snapshot while the app keeps writing);
PostgreSQL goes through pg_dump and pg_restore (see `backup_postgres`). Backups are named by
the UTC time they were taken and never overwrite an existing file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, column, create_engine, func, inspect, select, table
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from tracker.config import PROJECT_ROOT
from tracker.services.backup import postgres
from tracker.services.errors import Conflict, Invalid, NotFound

SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class BackupReport:
    """What a backup or a restore did, in lines an operator can read."""

    method: str
    path: Path
    target: str
    counts: dict[str, int]
    revision_note: str
    checks: list[str] = field(default_factory=list)

    def lines(self, *, restored: bool = False) -> list[str]:
        size = describe_size(self.path.stat().st_size)
        if restored:
            head = [self.method, f"Restored {self.path} ({size}) into {self.target}."]
        else:
            head = [self.method, f"Backed up {self.target} to {self.path} ({size})."]
        width = max((len(name) for name in self.counts), default=0)
        rows = [f"  {name:<{width}}  {count:>8,}" for name, count in sorted(self.counts.items())]
        total = sum(self.counts.values())
        return [
            *head,
            *self.checks,
            self.revision_note,
            f"Rows in {len(self.counts)} tables: {total:,}",
            *rows,
        ]


def describe_size(size: int) -> str:
    """Bytes as an operator reads them."""
    if size < 1024:
        return f"{size:,} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def backup_name(backend: str, now: datetime) -> str:
    """tracker-YYYYMMDD-HHMMSSZ.<ext>, in UTC so names sort and never repeat over the clock change."""
    extension = "sqlite3" if backend == "sqlite" else "dump"
    return f"tracker-{now.astimezone(UTC):%Y%m%d-%H%M%S}Z.{extension}"


def describe_target(database_url: str | URL) -> str:
    """The database in words, never with its password."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"the SQLite database {_sqlite_path(url)}"
    return postgres.describe(url)


def create_backup(database_url: str | URL, *, to_dir: Path, now: datetime | None = None) -> BackupReport:
    """Back up the live database into to_dir, check the copy, and report what it holds."""
    url = make_url(database_url)
    backend = _backend(url)
    to_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    final = to_dir / backup_name(backend, now or datetime.now(UTC))
    if final.exists():
        raise Conflict(f"{final} already exists; backups are never overwritten. Try again in a second.")
    with _partial_file(final) as partial:
        if backend == "sqlite":
            checks = [_sqlite_copy(_live_sqlite(url), partial, journal_mode="DELETE")]
            counts, revision = _inspect_sqlite(partial)
            method = "SQLite: online copy with SQLite's backup API"
        else:
            counts, revision = postgres.dump(url, partial, survey=survey)
            checks = [postgres.verify(partial)]
            method = "PostgreSQL: pg_dump custom format"
        _publish(partial, final)
    return BackupReport(method, final, describe_target(url), counts, revision_note(revision), checks)


def check_restore(backup: Path, database_url: str | URL) -> str:
    """Refuse a restore that cannot work (no file, wrong kind, a target with tables); name the target."""
    url = make_url(database_url)
    backend = _backend(url)
    if not backup.is_file():
        raise NotFound(f"No backup file at {backup}.")
    kind = backup_kind(backup)
    if kind is None:
        raise Invalid(f"{backup} is neither a SQLite backup nor a pg_dump custom-format file.")
    if kind != backend:
        raise Invalid(_wrong_kind(backup, kind))
    target = describe_target(url)
    if backend == "sqlite":
        # An empty file, or one where only Alembic's table exists: the copy replaces it whole.
        tables = [name for name in _sqlite_tables(_sqlite_path(url)) if name != VERSION_TABLE]
    else:
        # pg_restore creates every table, so even Alembic's must be absent.
        tables = postgres.table_names(url)
    if tables:
        raise Conflict(
            f"{target[0].upper()}{target[1:]} already has {len(tables)} tables. Restore only into an empty "
            "database: create a new one, point DATABASE_URL at it and run the restore again."
        )
    return target


def restore_backup(backup: Path, database_url: str | URL) -> BackupReport:
    """Restore a backup into the configured database, which must be empty, and count what arrived."""
    url = make_url(database_url)
    target = check_restore(backup, url)
    if _backend(url) == "sqlite":
        path = _sqlite_path(url)
        checks = [_sqlite_integrity(backup)]
        path.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(backup, path, journal_mode="WAL")
        counts, revision = _inspect_sqlite(path)
        method = "SQLite: restored with SQLite's backup API"
    else:
        postgres.restore(backup, url)
        counts, revision = postgres.survey_database(url, survey=survey)
        checks = []
        method = "PostgreSQL: pg_restore from custom format"
    return BackupReport(method, backup, target, counts, revision_note(revision), checks)


def backup_kind(path: Path) -> str | None:
    """'sqlite' or 'postgresql' from the file's first bytes (the name can lie)."""
    with path.open("rb") as handle:
        start = handle.read(len(SQLITE_MAGIC))
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(postgres.MAGIC):
        return "postgresql"
    return None


def revision_note(revision: str | None) -> str:
    """Compare a database's Alembic revision with this code's, and say what to do about a difference."""
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    if revision == head:
        return f"Schema revision {revision}: matches this code."
    if revision is None:
        return f"No schema revision recorded (no {VERSION_TABLE} row): is this a database the tracker made?"
    try:
        known = script.get_revision(revision) is not None
    except CommandError:
        known = False
    if known:
        return (
            f"Schema revision {revision} is older than this code's {head}: run `flask db upgrade` before use."
        )
    return (
        f"Schema revision {revision} is unknown to this code (head {head}): the database comes from a "
        "newer version of the tracker; deploy that version before using it."
    )


def count_rows(connection: Connection) -> dict[str, int]:
    """Rows in every table but Alembic's own."""
    names = [name for name in inspect(connection).get_table_names() if name != VERSION_TABLE]
    return {name: connection.scalar(select(func.count()).select_from(table(name))) or 0 for name in names}


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision a database is at, or None when it has none."""
    if VERSION_TABLE not in inspect(connection).get_table_names():
        return None
    return connection.scalar(select(column("version_num")).select_from(table(VERSION_TABLE)))


def survey(connection: Connection) -> tuple[dict[str, int], str | None]:
    """Row counts and schema revision, read in one transaction."""
    return count_rows(connection), schema_revision(connection)


def _backend(url: URL) -> str:
    name = url.get_backend_name()
    if name not in {"sqlite", "postgresql"}:
        raise Invalid(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def _wrong_kind(backup: Path, kind: str) -> str:
    if kind == "postgresql":
        return (
            f"{backup} is a PostgreSQL dump (pg_dump custom format); restore it into a PostgreSQL database."
        )
    return f"{backup} is a SQLite backup; restore it into a SQLite database (DATABASE_URL=sqlite:///...)."


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise Invalid("Backups need a SQLite database in a file (DATABASE_URL=sqlite:////path/tracker.db).")
    return Path(url.database).resolve()


def _live_sqlite(url: URL) -> Path:
    path = _sqlite_path(url)
    if not path.is_file():
        raise NotFound(f"No database at {path}: nothing to back up.")
    return path


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def _sqlite_copy(source: Path, target: Path, *, journal_mode: str) -> str:
    """Copy in one step of the backup API, so the copy is one consistent snapshot; then check it."""
    with closing(_read_only(source)) as reader, closing(sqlite3.connect(target)) as writer:
        reader.backup(writer)
        writer.execute(f"PRAGMA journal_mode={journal_mode}")
        writer.commit()
    return _sqlite_integrity(target)


def _sqlite_integrity(path: Path) -> str:
    with closing(_read_only(path)) as connection:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise Invalid(f"{path} fails SQLite's integrity check: {'; '.join(result[:3])}")
    return "Integrity check: ok."


def _sqlite_tables(path: Path) -> list[str]:
    """Tables in a SQLite file; a missing or zero-length file has none."""
    if not path.exists() or path.stat().st_size == 0:
        return []
    try:
        with closing(_read_only(path)) as connection:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as error:
        raise Invalid(f"{path} is not a SQLite database ({error}); move it aside first.") from error
    return [name for (name,) in rows if not name.startswith("sqlite_")]


def _inspect_sqlite(path: Path) -> tuple[dict[str, int], str | None]:
    engine = create_engine(URL.create("sqlite", database=str(path)), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return survey(connection)
    finally:
        engine.dispose()


@contextmanager
def _partial_file(final: Path) -> Iterator[Path]:
    """An empty file only this run owns (mode 600: backups hold password hashes), removed afterwards."""
    partial = final.with_name(final.name + ".partial")
    try:
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError as error:
        raise Conflict(f"{partial} exists: another backup is running, or one was interrupted.") from error
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)


def _publish(partial: Path, final: Path) -> None:
    """Give the finished copy its name; a hard link fails rather than replace a file."""
    try:
        os.link(partial, final)
    except FileExistsError as error:
        raise Conflict(f"{final} already exists; backups are never overwritten.") from error

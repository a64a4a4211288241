"""A backup taken while the app writes restores to one consistent moment, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import insert, select, update
from sqlalchemy.engine import make_url

from tests.services.backup_support import checksum, empty_database_url, engine_for, tables
from tracker.extensions import db
from tracker.models import AuditEvent, Investment, Programme, Setting
from tracker.services.backup.archive import (
    MIGRATIONS_DIR,
    check_restore,
    count_rows,
    create_backup,
    describe_size,
    restore_backup,
    revision_note,
)
from tracker.services.demo.seed import seed_demo
from tracker.services.errors import Conflict, Invalid, NotFound
from tracker.services.ratings.scan import scan_portfolio

SEQ = "backup-seq "
SEQ_KEY = "backup_test_sequence"
BASE_DAY = date(2027, 1, 1)
# Columns the writer keeps changing, checked against its sequence instead of the source.
MOVING = {"programme": frozenset({"forecast_end_date", "updated_at"}), "setting": frozenset({"updated_at"})}


class Writer(threading.Thread):
    """Commits transaction after transaction, each one inserting into two tables and updating two more.

    Transaction k adds investment and audit rows numbered k, moves one programme's forecast to
    BASE_DAY + k days and sets a setting to k; a consistent copy holds exactly 1..n of each."""

    def __init__(self, url: str, programme_id: int) -> None:
        super().__init__(daemon=True)
        self.engine = engine_for(url)
        self.programme_id = programme_id
        self.started_seq = 0  # every committed transaction has a number at most this
        self.committed_seq = 0  # every transaction up to this number has committed
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            seq = 0
            while not self.stop.is_set():
                seq += 1
                self.started_seq = seq
                with self.engine.begin() as connection:
                    self._write(connection, seq)
                self.committed_seq = seq
        except BaseException as error:  # reported by the test, not lost in the thread
            self.error = error
        finally:
            self.engine.dispose()

    def _write(self, connection, seq: int) -> None:
        connection.execute(
            insert(Investment).values(
                programme_id=self.programme_id,
                title=f"{SEQ}{seq:06d}",
                cost_type="capital",
                recurrence="one_off",
                financial_year=2026,
                requested=Decimal(seq) * Decimal("1000.01"),
                approved=Decimal(seq) * Decimal("999.99"),
            )
        )
        connection.execute(
            insert(AuditEvent).values(action="update", entity_type="investment", summary=f"{SEQ}{seq}")
        )
        connection.execute(
            update(Programme)
            .where(Programme.id == self.programme_id)
            .values(forecast_end_date=BASE_DAY + timedelta(days=seq))
        )
        connection.execute(update(Setting).where(Setting.key == SEQ_KEY).values(value=seq))

    def wait_for(self, seq: int) -> None:
        deadline = time.monotonic() + 60
        while self.committed_seq < seq and self.error is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.error is None, self.error
        assert self.committed_seq >= seq, "the writer stalled"

    def finish(self) -> None:
        self.stop.set()
        self.join(timeout=60)
        assert self.error is None, self.error


@pytest.fixture
def restored_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    with empty_database_url(database_url, tmp_path) as url:
        yield url


@pytest.fixture
def council(app: Flask) -> int:
    """The demo council with its risk ratings, plus the setting the writer counts in; a programme's id."""
    seed_demo(today=date(2026, 11, 27))
    scan_portfolio(today=date(2026, 11, 27))
    db.session.add(Setting(key=SEQ_KEY, value=0))
    db.session.commit()
    return db.session.scalar(select(Programme.id).order_by(Programme.id).limit(1))


def _writer_rows(connection) -> tuple[list[int], list[int], date | None, object]:
    investments = connection.scalars(
        select(Investment.title).where(Investment.title.startswith(SEQ)).order_by(Investment.id)
    )
    audits = connection.scalars(
        select(AuditEvent.summary).where(AuditEvent.summary.startswith(SEQ)).order_by(AuditEvent.id)
    )
    programme_day = connection.scalar(select(Programme.forecast_end_date).order_by(Programme.id).limit(1))
    setting = connection.scalar(select(Setting.value).where(Setting.key == SEQ_KEY))
    return (
        [int(title.removeprefix(SEQ)) for title in investments],
        [int(summary.removeprefix(SEQ)) for summary in audits],
        programme_day,
        setting,
    )


def _take_backup_while_writing(schema: str, programme_id: int, to_dir: Path):
    writer = Writer(schema, programme_id)
    writer.start()
    try:
        writer.wait_for(25)
        before = writer.committed_seq
        report = create_backup(schema, to_dir=to_dir)
        after = writer.started_seq
        writer.wait_for(after + 10)  # and the writes carried on afterwards
    finally:
        writer.finish()
    return report, before, after


def test_backup_while_writing_restores_a_consistent_snapshot(
    app: Flask, council: int, schema: str, restored_url: str, tmp_path: Path
) -> None:
    report, before, after = _take_backup_while_writing(schema, council, tmp_path / "backups")
    restored = restore_backup(report.path, restored_url)
    source, copy = engine_for(schema), engine_for(restored_url)
    try:
        with source.connect() as live, copy.connect() as back:
            # Every table: the same rows as the backup reported when it was taken.
            assert count_rows(back) == report.counts == restored.counts
            assert set(report.counts) == {table.name for table in tables()}
            assert all(report.counts[name] for name in ("programme", "investment", "risk_assessment", "user"))
            # The writer's transactions: a gap-free prefix 1..n, all four tables agreeing on n.
            investments, audits, programme_day, setting = _writer_rows(back)
            n = len(investments)
            assert before <= n <= after
            assert investments == audits == list(range(1, n + 1))
            assert programme_day == BASE_DAY + timedelta(days=n)
            assert setting == n
            # Key columns (ids, money, dates) of every table match the source at that moment.
            last_investment = back.scalar(select(Investment.id).order_by(Investment.id.desc()).limit(1))
            last_audit = back.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
            prefix = {
                "investment": Investment.id <= last_investment,
                "audit_event": AuditEvent.id <= last_audit,
            }
            for table in tables():
                leave_out = MOVING.get(table.name, frozenset())
                where = prefix.get(table.name)
                expected = checksum(live, table, leave_out=leave_out, where=where)
                assert checksum(back, table, leave_out=leave_out) == expected, table.name
                assert expected[0] == report.counts[table.name], table.name
    finally:
        source.dispose()
        copy.dispose()
    assert "Schema revision" in restored.revision_note and "matches this code" in restored.revision_note


def test_a_sqlite_restore_is_the_backup_file_row_for_row(
    app: Flask, council: int, schema: str, restored_url: str, tmp_path: Path
) -> None:
    if not schema.startswith("sqlite"):
        pytest.skip("the PostgreSQL dump is not a database to compare with")
    report, _, _ = _take_backup_while_writing(schema, council, tmp_path / "backups")
    assert report.path.stat().st_mode & 0o777 == 0o600
    assert not list(report.path.parent.glob("*.partial"))
    restore_backup(report.path, restored_url)
    backup, copy = engine_for(f"sqlite:///{report.path}"), engine_for(restored_url)
    try:
        with backup.connect() as taken, copy.connect() as back:
            for table in tables():
                assert checksum(back, table) == checksum(taken, table), table.name
    finally:
        backup.dispose()
        copy.dispose()


def test_backups_are_named_by_utc_time_and_never_overwritten(app: Flask, schema: str, tmp_path: Path) -> None:
    # 01:30 in London on 1 July is 00:30 UTC.
    now = datetime(2026, 7, 1, 0, 30, 5, tzinfo=UTC)
    first = create_backup(schema, to_dir=tmp_path, now=now)
    extension = "sqlite3" if schema.startswith("sqlite") else "dump"
    assert first.path.name == f"tracker-20260701-003005Z.{extension}"
    assert first.method == (
        "SQLite: online copy with SQLite's backup API"
        if extension == "sqlite3"
        else "PostgreSQL: pg_dump custom format"
    )
    taken = first.path.read_bytes()
    with pytest.raises(Conflict, match="never overwritten"):
        create_backup(schema, to_dir=tmp_path, now=now)
    assert first.path.read_bytes() == taken
    assert sorted(path.name for path in tmp_path.iterdir()) == [first.path.name]


def test_restore_refuses_a_database_with_tables(
    app: Flask, council: int, schema: str, tmp_path: Path
) -> None:
    report = create_backup(schema, to_dir=tmp_path)
    programmes = db.session.scalar(select(db.func.count(Programme.id)))
    with pytest.raises(Conflict, match=r"already has \d+ tables\. Restore only into an empty database"):
        restore_backup(report.path, schema)
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(Programme.id))) == programmes


def test_a_sqlite_file_holding_only_the_schema_revision_counts_as_empty(
    app: Flask, council: int, schema: str, tmp_path: Path
) -> None:
    if not schema.startswith("sqlite"):
        pytest.skip("PostgreSQL restores need a database with no tables at all")
    report = create_backup(schema, to_dir=tmp_path / "backups")
    target = tmp_path / "target.db"
    with closing(sqlite3.connect(target)) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        connection.execute("INSERT INTO alembic_version VALUES ('b1f1a18cb7c7')")
        connection.commit()
    restored = restore_backup(report.path, f"sqlite:///{target}")
    assert restored.counts == report.counts
    assert "matches this code" in restored.revision_note


def test_sizes_read_as_an_operator_expects() -> None:
    assert [describe_size(size) for size in (0, 1023, 1024, 290_816, 5 * 1024**3)] == [
        "0 bytes",
        "1,023 bytes",
        "1.0 KB",
        "284.0 KB",
        "5.0 GB",
    ]


def test_restore_names_the_wrong_kind_of_file(schema: str, tmp_path: Path) -> None:
    missing = tmp_path / "tracker-20260101-000000Z.sqlite3"
    with pytest.raises(NotFound, match="No backup file at"):
        check_restore(missing, schema)
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    with pytest.raises(Invalid, match="neither a SQLite backup nor a pg_dump"):
        check_restore(junk, schema)
    other = tmp_path / "other-kind"
    if schema.startswith("sqlite"):
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        message = "is a PostgreSQL dump .* restore it into a PostgreSQL database"
    else:
        other.write_bytes(b"SQLite format 3\x00" + bytes(100))
        message = "is a SQLite backup; restore it into a SQLite database"
    with pytest.raises(Invalid, match=message):
        check_restore(other, schema)


def test_backup_on_postgresql_needs_pg_dump(
    app: Flask, schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if schema.startswith("sqlite"):
        pytest.skip("SQLite needs no tools")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    with pytest.raises(Invalid, match="pg_dump was not found on PATH"):
        create_backup(schema, to_dir=tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


def test_pg_dump_gets_the_password_in_its_environment_not_its_arguments(
    app: Flask, schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if schema.startswith("sqlite"):
        pytest.skip("PostgreSQL only")
    tools = tmp_path / "tools"
    tools.mkdir()
    seen = tmp_path / "seen.txt"
    fake = tools / "pg_dump"
    fake.write_text(
        f'#!/bin/sh\necho "$@" > {seen}\necho "PGPASSWORD=$PGPASSWORD" >> {seen}\n'
        'echo "server closed the connection" >&2\nexit 1\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    url = make_url(schema).set(password="not-on-the-command-line")  # trust authentication ignores it
    with pytest.raises(Invalid, match="pg_dump failed: server closed the connection"):
        create_backup(url.render_as_string(hide_password=False), to_dir=tmp_path / "backups")
    arguments, environment = seen.read_text().splitlines()
    assert "not-on-the-command-line" not in arguments
    assert "--format=custom" in arguments and "--snapshot=" in arguments
    assert environment == "PGPASSWORD=not-on-the-command-line"
    assert list((tmp_path / "backups").iterdir()) == []


def test_revision_note_says_what_to_do() -> None:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert revision_note(head) == f"Schema revision {head}: matches this code."
    assert revision_note(None).startswith("No schema revision recorded")
    assert "newer version of the tracker" in revision_note("0123456789ab")
    base = script.get_base()
    if base != head:
        assert revision_note(base) == (
            f"Schema revision {base} is older than this code's {head}: run `flask db upgrade` before use."
        )

"""`flask backup create` and `flask backup restore`, as an operator runs them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import func, inspect, select

from tests.conftest import make_test_app
from tests.services.backup_support import empty_database_url, engine_for
from tracker.extensions import db
from tracker.models import Programme
from tracker.services.demo.seed import seed_demo

NAME = re.compile(r"tracker-\d{8}-\d{6}Z\.(sqlite3|dump)")


class Target:
    """An app configured with a new, empty database, to run `flask backup restore` against."""

    def __init__(self, app: Flask, url: str) -> None:
        self.app = app
        self.url = url

    def restore(self, *args: str, input: str | None = None) -> Result:
        # Commands use the app context already pushed: push this app's over the `app` fixture's.
        with self.app.app_context():
            return self.app.test_cli_runner().invoke(args=["backup", "restore", *args], input=input)


@pytest.fixture
def target(database_url: str, workdir: Path, tmp_path: Path) -> Iterator[Target]:
    with empty_database_url(database_url, tmp_path) as url:
        other = make_test_app(url, workdir)
        yield Target(other, url)
        with other.app_context():
            db.engine.dispose()


def _tables(url: str) -> set[str]:
    engine = engine_for(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _programmes(url: str) -> int:
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count(Programme.id)))
    finally:
        engine.dispose()


def _backup(app: Flask, folder: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "create", "--to", str(folder)])
    assert result.exit_code == 0, result.output
    (path,) = folder.iterdir()
    assert NAME.fullmatch(path.name)
    assert str(path) in result.output
    return path


def test_create_says_how_it_backed_up_and_what_it_holds(app: Flask, tmp_path: Path) -> None:
    seed_demo(today=date(2026, 11, 27))
    result = app.test_cli_runner().invoke(args=["backup", "create", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert "SQLite: online copy with SQLite's backup API" in result.output
        assert "Integrity check: ok." in result.output
    else:
        assert "PostgreSQL: pg_dump custom format" in result.output
        assert f"pg_restore --list reads it: data for {len(db.metadata.tables)} tables." in result.output
    assert "matches this code" in result.output
    assert re.search(r"^  programme +13$", result.output, re.MULTILINE)


def test_restore_asks_first_and_a_no_leaves_the_database_untouched(
    app: Flask, target: Target, tmp_path: Path
) -> None:
    seed_demo(today=date(2026, 11, 27))
    backup = _backup(app, tmp_path / "backups")

    declined = target.restore(str(backup), input="n\n")
    assert declined.exit_code == 1
    assert f"This will restore {backup} into the " in declined.output
    assert "Continue? [y/N]" in declined.output and "Aborted" in declined.output
    assert _tables(target.url) == set()

    accepted = target.restore(str(backup), input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert f"Restored {backup}" in accepted.output
    assert re.search(r"^  programme +13$", accepted.output, re.MULTILINE)
    assert _programmes(target.url) == 13


def test_restore_refuses_a_database_with_tables_even_with_yes(
    app: Flask, target: Target, tmp_path: Path
) -> None:
    seed_demo(today=date(2026, 11, 27))
    backup = _backup(app, tmp_path / "backups")
    assert target.restore(str(backup), "--yes").exit_code == 0
    again = target.restore(str(backup), "--yes")
    assert again.exit_code == 1
    assert "already has" in again.output and "Restore only into an empty database" in again.output
    assert _programmes(target.url) == 13


def test_restore_explains_a_missing_or_wrong_file(target: Target, tmp_path: Path) -> None:
    missing = target.restore(str(tmp_path / "nope.sqlite3"), "--yes")
    assert missing.exit_code == 1 and "No backup file at" in missing.output
    wrong = tmp_path / "wrong-kind"
    if target.url.startswith("sqlite"):
        wrong.write_bytes(b"PGDMP" + bytes(64))
        expected = "is a PostgreSQL dump (pg_dump custom format); restore it into a PostgreSQL database."
    else:
        wrong.write_bytes(b"SQLite format 3\x00" + bytes(64))
        expected = "is a SQLite backup; restore it into a SQLite database"
    result = target.restore(str(wrong), input="y\n")
    assert result.exit_code == 1 and expected in result.output
    assert "Continue?" not in result.output
    assert _tables(target.url) == set()

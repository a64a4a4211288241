"""Hostile and huge files: each refused with a message that says where, in seconds and little memory;
and a file far past the web's caps imports whole through the command line's service."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from tests.hostile_files import csv_file, dimension_bomb, parse_in_child, shared_string_bomb
from tracker.domain.imports import limits
from tracker.extensions import db
from tracker.models import Programme
from tracker.services import imports
from tracker.services.errors import Invalid

FAST = 5.0
LEAN_MB = 300


def refusal(data: bytes, name: str = "hostile.xlsx", **kwargs) -> tuple[str, float]:
    started = time.perf_counter()
    with pytest.raises(Invalid) as caught:
        imports.read_file(data, name, **kwargs)
    return caught.value.message, time.perf_counter() - started


def test_a_workbook_declaring_a1_to_xfd1048576_reads_its_real_rows_only(tmp_path: Path) -> None:
    bomb = dimension_bomb()
    assert len(bomb) < 10_000
    path = tmp_path / "dimension.xlsx"
    path.write_bytes(bomb)
    result = parse_in_child(path)
    assert result["message"] == "" and result["seconds"] < FAST and result["peak_mb"] < LEAN_MB
    sheet = imports.read_file(bomb, "dimension.xlsx").sheets[0]
    assert sheet.headers == ("Code", "Name", "Directorate") and len(sheet.rows) == 1


def test_a_huge_shared_string_is_refused_before_the_workbook_is_opened(tmp_path: Path) -> None:
    bomb = shared_string_bomb(200)
    assert len(bomb) < 2 * 1024 * 1024
    path = tmp_path / "strings.xlsx"
    path.write_bytes(bomb)
    result = parse_in_child(path)
    assert result["message"].startswith("The workbook unpacks to more than 48 MB in its table of text cells")
    assert result["seconds"] < FAST and result["peak_mb"] < LEAN_MB


def test_the_command_line_still_refuses_a_zip_bomb() -> None:
    message, _ = refusal(shared_string_bomb(300), limits=limits.CLI)
    assert "unpacks to more than 256 MB" in message


def test_too_many_columns_names_the_row_and_column() -> None:
    message, seconds = refusal(csv_file(3, columns=600), "wide.csv")
    assert message == (
        "wide row 1 has a value in column WB, past the 500 columns a sheet may have: remove the extra columns"
    )
    assert seconds < FAST


def test_a_huge_cell_names_its_row_and_column() -> None:
    message, seconds = refusal(csv_file(3, cell="y" * 100_000), "long.csv")
    assert message.startswith(
        "long row 2, column C holds 100,000 characters (at most 32,767), beginning 'yyy"
    )
    assert seconds < FAST
    message, _ = refusal(csv_file(3, cell="y" * 200_000), "longer.csv")
    assert message.startswith("longer cannot be read as CSV near row 2")


def test_the_web_reads_fifty_thousand_rows_and_points_larger_files_to_the_command_line() -> None:
    message, seconds = refusal(csv_file(50_001), "many.csv")
    assert message == (
        "many has more than 50,000 rows: import it with `flask import programmes FILE`, "
        "which reads files of any length"
    )
    assert seconds < FAST
    assert len(imports.read_file(csv_file(50_001), "many.csv", limits=limits.CLI).sheets[0].rows) == 50_001


def test_reading_stops_at_its_time_budget() -> None:
    ticks = iter(range(0, 10_000, 5))  # every look at the clock is five seconds later
    slow = limits.ReadLimits(seconds=20.0, clock=lambda: next(ticks))
    message, _ = refusal(csv_file(5_000), "slow.csv", limits=slow)
    assert message.startswith("slow took more than 20 seconds to read (stopped at row 2,560)")


@pytest.fixture
def few_variables(app):
    """SQLite with 8,500 variables a statement (the bulk inserts use 8,000): an IN list of every id fails."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's variable limit")

    def lower(dbapi_connection, _record) -> None:
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 8_500)

    engine.dispose()
    event.listen(engine, "connect", lower)
    yield
    event.remove(engine, "connect", lower)
    engine.dispose()


def test_an_import_far_past_the_variable_limit_commits_in_batches(few_variables) -> None:
    rows = 9_000
    lines = ["Code,Name,Directorate,Focus,Stage,Baseline end date,Budget"]
    lines += [
        f"IMP-{n:04d},Programme {n},Resources,both,delivery,31/03/2027,1000" for n in range(1, rows + 1)
    ]
    sources = imports.pick_sources(imports.read_file("\n".join(lines).encode(), "big.csv", limits=limits.CLI))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    report = imports.run_import(sources, mapping, user=None, source_name="big.csv", dry_run=False)
    assert report.committed and not report.problems and report.created == rows
    assert db.session.scalar(select(func.count(Programme.id))) == rows
    again = imports.run_import(sources, mapping, user=None, source_name="big.csv", dry_run=False)
    assert again.unchanged == rows


def test_a_date_past_2100_is_refused_in_an_import_with_the_forms_words(app) -> None:
    data = (
        b"Code,Name,Directorate,Focus,Stage,Baseline end date\nDIG-001,Forms,Resources,both,idea,31/12/9999\n"
    )
    sources = imports.pick_sources(imports.read_file(data, "dates.csv"))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    report = imports.run_import(sources, mapping, user=None, source_name="dates.csv", dry_run=False)
    assert [imports.describe(p) for p in report.problems] == [
        "dates row 2, Baseline end date (F): '31/12/9999' must be between 1950 and 2100"
    ]
    assert not report.committed

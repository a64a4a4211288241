"""Exports at scale: the CSV is streamed and the workbook sent from a file, with exactly the content
the exports had when they were built in memory (tests/web/golden/portfolio-export.json was written
by that earlier code from the portfolio below)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask.globals import _cv_app
from openpyxl import load_workbook

from tests.web.test_exports import portfolio
from tests.web.test_programme_list import add, milestone
from tracker.extensions import db
from tracker.models import Role

GOLDEN = json.loads((Path(__file__).parent / "golden" / "portfolio-export.json").read_text("utf-8"))
QUERY = "closed=1&sort=rating&order=desc"


@pytest.fixture
def today(time_machine) -> date:
    time_machine.move_to(datetime(2026, 11, 27, 12, 0, tzinfo=UTC), tick=False)
    return date(2026, 11, 27)


def golden_portfolio(make_user) -> None:
    """The portfolio the golden files were written from: the exports tests' own, and text Excel would run."""
    portfolio(make_user)
    guarded = add(
        "INJ-001",
        name='=HYPERLINK("http://evil.example","Click")',
        directorate="@Resources",
        external_reference="+44 ref",
    )
    milestone(guarded, "+cmd|' /C calc'!A0", date(2027, 1, 1), owner="-2+3")
    db.session.commit()


def cell_json(cell) -> list[object]:
    value = cell.value
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return [value, cell.data_type, cell.number_format, bool(cell.font.bold)]


def workbook_json(book) -> dict[str, object]:
    """Every cell of every sheet as value, type, number format and boldness, and each sheet's frozen pane."""
    return {
        sheet.title: {
            "freeze_panes": sheet.freeze_panes,
            "rows": [[cell_json(cell) for cell in row] for row in sheet.iter_rows()],
        }
        for sheet in book.worksheets
    }


@contextmanager
def as_in_production() -> Iterator[None]:
    """No app context held by the test around the request, so a streamed body is read as a server reads it."""
    held = _cv_app.get()
    held.pop()
    try:
        yield
    finally:
        held.push()


def test_the_csv_is_streamed_and_byte_for_byte_what_it_was(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.CIO)
    golden_portfolio(make_user)
    with as_in_production():
        response = client.get(f"/programmes/export.csv?{QUERY}", buffered=False)
        assert response.is_streamed
        body = response.get_data()
        response.close()
    assert response.headers["Content-Disposition"] == 'attachment; filename="portfolio-2026-11-27.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert body == GOLDEN["csv"].encode("utf-8")


def test_the_workbook_has_the_same_cells_as_before(client, auth, make_user, today) -> None:
    auth.sign_in_as(Role.CIO)
    golden_portfolio(make_user)
    response = client.get(f"/programmes/export.xlsx?{QUERY}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="portfolio-2026-11-27.xlsx"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.content_length == len(response.get_data())
    assert workbook_json(load_workbook(io.BytesIO(response.get_data()))) == GOLDEN["xlsx"]

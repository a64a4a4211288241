"""Hostile files through the wizard: refused on the upload page in seconds, a person's uploads capped,
and nobody else's save kept waiting while a big file is read."""

from __future__ import annotations

import io
import threading
import time
from datetime import timedelta

from openpyxl import Workbook as XlsxBook
from sqlalchemy import func, select, text

from tests.conftest import AuthActions, make_test_app
from tests.helpers import csrf_token_from
from tests.hostile_files import csv_file, dimension_bomb, shared_string_bomb
from tests.web.test_milestones import BASELINE, day_month_year, make_milestone, make_programme, row_data
from tracker.extensions import db
from tracker.models import ImportUpload, Milestone, Role
from tracker.services.imports import files as import_files


def upload(client, data: bytes, name: str):
    token = csrf_token_from(client.get("/imports/"))
    form = {"csrf_token": token, "unit": "pounds", "programmes": (io.BytesIO(data), name)}
    return client.post("/imports/", data=form, content_type="multipart/form-data")


def words(response) -> str:
    return " ".join(response.get_data(as_text=True).replace("&#39;", "'").split())


def test_a_shared_string_bomb_is_refused_on_the_upload_page_in_seconds(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    started = time.perf_counter()
    response = upload(client, shared_string_bomb(200), "strings.xlsx")
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    assert "The workbook unpacks to more than 48 MB in its table of text cells" in words(response)
    assert db.session.scalar(select(func.count(ImportUpload.id))) == 0


def test_a_workbook_declaring_every_cell_uploads_its_one_row(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    started = time.perf_counter()
    response = upload(client, dimension_bomb(), "dimension.xlsx")
    assert time.perf_counter() - started < 5
    assert response.status_code == 302 and "/columns" in response.headers["Location"]


def test_wide_files_and_long_cells_name_the_row_and_column(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    assert "wide row 1 has a value in column WB" in words(
        upload(client, csv_file(2, columns=600), "wide.csv")
    )
    page = words(upload(client, csv_file(2, cell="z" * 40_000), "long.csv"))
    assert "long row 2, column C holds 40,000 characters (at most 32,767)" in page


def test_a_sixth_upload_in_flight_is_refused_with_the_reason(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    for _ in range(import_files.MAX_UPLOADS):
        assert upload(client, csv_file(2), "portfolio.csv").status_code == 302
    response = upload(client, csv_file(2), "portfolio.csv")
    assert response.status_code == 200
    assert "You have 5 uploads (0.0 MB) waiting to be imported" in words(response)
    assert db.session.scalar(select(func.count(ImportUpload.id))) == import_files.MAX_UPLOADS


def slow_workbook(rows: int = 40_000) -> bytes:
    """A legitimate workbook that takes a few seconds to read: long enough to block others, were it to."""
    book = XlsxBook(write_only=True)
    sheet = book.create_sheet("Programmes")
    sheet.append(["Code", "Name", "Directorate", *(f"Note {n}" for n in range(9))])
    for n in range(rows):
        sheet.append([f"P-{n % 10000:04d}", f"Programme {n}", "Resources", *([n * 1.5] * 9)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_another_persons_save_goes_ahead_while_a_big_file_is_read(app, client, auth, make_user) -> None:
    saver, importer = client, app.test_client()
    manager = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    AuthActions(importer, make_user).sign_in_as(Role.CIO)
    programme = make_programme(manager)
    milestone = make_milestone(programme, "Go-live")
    page = saver.get("/programmes/DIG-001/milestones/update")
    moved = BASELINE + timedelta(days=7)
    data = {"csrf_token": csrf_token_from(page)}
    data |= row_data(0, milestone, forecast_date=day_month_year(moved), reason="Supplier late")
    workbook = slow_workbook()

    finished: dict[str, float] = {}

    def import_it() -> None:
        response = upload(importer, workbook, "big.xlsx")
        finished["upload"] = time.perf_counter()
        finished["upload_status"] = response.status_code

    thread = threading.Thread(target=import_it)
    started = time.perf_counter()
    thread.start()
    time.sleep(0.5)  # the upload is being read by now
    assert "upload" not in finished, "the workbook was read too fast to test anything: make it bigger"
    response = saver.post("/programmes/DIG-001/milestones/update", data=data)
    saved = time.perf_counter()
    thread.join(timeout=60)
    assert response.status_code == 302, words(response)
    assert saved - started < 4 and saved < finished["upload"], (saved - started, finished["upload"] - started)
    assert finished["upload_status"] == 302
    db.session.expire_all()
    assert db.session.get(Milestone, milestone.id).forecast_date == moved


def test_a_statement_the_database_refuses_is_the_problem_page_not_unavailable(schema, workdir) -> None:
    app = make_test_app(schema, workdir)

    @app.get("/too-many-variables")
    def too_many() -> str:
        """An IN list of 300,000 bound values: past Debian SQLite's 250,000 and PostgreSQL's 65,535."""
        names = [f"v{n}" for n in range(300_000)]
        sql = "SELECT 1 WHERE 1 IN (" + ", ".join(f":{name}" for name in names) + ")"
        db.session.execute(text(sql), dict.fromkeys(names, 2))
        return "unreachable"

    response = app.test_client().get("/too-many-variables")
    page = words(response)
    assert response.status_code == 500 and "cannot reach its database" not in page
    assert "Traceback" not in page

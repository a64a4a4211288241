"""Downloads of the portfolio list: the same query string as the list page gives the same programmes.

Neither download holds the portfolio in memory: the CSV is sent as its rows are read, and the
workbook is written to a temporary file (removed once sent) and sent from there.
"""

from __future__ import annotations

import tempfile

from flask import Blueprint, request, send_file, stream_with_context
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.spreadsheet import Sheet, csv_chunks, write_xlsx
from tracker.policy import Action, require
from tracker.services.portfolio.exports import export_date, portfolio_sheets, programmes_sheet
from tracker.web.programmes.forms import portfolio_query

blueprint = Blueprint("exports", __name__, url_prefix="/programmes")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_name(extension: str, stem: str = "portfolio") -> str:
    return f"{stem}-{export_date().isoformat()}.{extension}"


def _attachment(response: Response, extension: str, stem: str = "portfolio") -> Response:
    """A file named after today's date; never cached, as it holds what this person may see."""
    response.headers["Content-Disposition"] = f'attachment; filename="{_file_name(extension, stem)}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def csv_download(sheet: Sheet, stem: str) -> Response:
    """A sheet as a CSV download named `stem-<today>.csv`, sent as its rows are read, so a large one
    starts at once."""
    response = Response(stream_with_context(csv_chunks(sheet)), content_type="text/csv; charset=utf-8")
    return _attachment(response, "csv", stem)


@blueprint.route("/export.csv")
@login_required
def csv() -> Response:
    require(current_user, Action.VIEW_PORTFOLIO)
    return csv_download(programmes_sheet(current_user, portfolio_query(request.args)), "portfolio")


@blueprint.route("/export.xlsx")
@login_required
def xlsx() -> Response:
    require(current_user, Action.VIEW_PORTFOLIO)
    sheets = portfolio_sheets(current_user, portfolio_query(request.args))
    # An unnamed temporary file: the system removes it when the response closes it, sent or not.
    workbook = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    try:
        write_xlsx(sheets, workbook)
        size = workbook.tell()
        workbook.seek(0)
    except BaseException:
        workbook.close()
        raise
    response = send_file(workbook, mimetype=XLSX, download_name=_file_name("xlsx"), conditional=False)
    response.content_length = size
    return _attachment(response, "xlsx")

"""Downloads of the portfolio list: the same query string as the list page gives the same programmes."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.spreadsheet import csv_bytes, xlsx_bytes
from tracker.policy import Action, require
from tracker.services.portfolio.exports import export_date, portfolio_sheets, programmes_sheet
from tracker.web.programmes.forms import portfolio_query

blueprint = Blueprint("exports", __name__, url_prefix="/programmes")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body: bytes, mimetype: str, extension: str) -> Response:
    """A file named after today's date; never cached, as it holds what this person may see."""
    name = f"portfolio-{export_date().isoformat()}.{extension}"
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/export.csv")
@login_required
def csv() -> Response:
    require(current_user, Action.VIEW_PORTFOLIO)
    sheet = programmes_sheet(current_user, portfolio_query(request.args))
    return _download(csv_bytes(sheet), "text/csv; charset=utf-8", "csv")


@blueprint.route("/export.xlsx")
@login_required
def xlsx() -> Response:
    require(current_user, Action.VIEW_PORTFOLIO)
    sheets = portfolio_sheets(current_user, portfolio_query(request.args))
    return _download(xlsx_bytes(sheets), XLSX, "xlsx")

"""The benefits register: a page of every programme's benefits with the savings they add up to, and the
same rows as a CSV."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.policy import Action, require
from tracker.services.benefits import format_measure
from tracker.services.portfolio.benefits import benefits_page, benefits_sheet
from tracker.web.exports.views import csv_download
from tracker.web.portfolio_benefits.forms import STATUS_FILTER, TYPE_FILTER, benefits_query, chosen
from tracker.web.programmes.views import _pagination

blueprint = Blueprint("portfolio_benefits", __name__, url_prefix="/benefits")


@blueprint.route("/")
@login_required
def index() -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    query = benefits_query(request.args)
    page = benefits_page(current_user, query)
    return render_template(
        "portfolio_benefits/index.html",
        page=page,
        query=query,
        chosen=chosen(query),
        type_labels=TYPE_FILTER,
        status_labels=STATUS_FILTER,
        format_measure=format_measure,
        export_args={key: value for key, value in request.args.items() if key != "page"},
        pagination=_pagination(page.page, page.pages, "portfolio_benefits.index"),
    )


@blueprint.route("/export.csv")
@login_required
def csv() -> Response:
    """Every benefit the filters select, written as it is read."""
    require(current_user, Action.VIEW_PORTFOLIO)
    return csv_download(benefits_sheet(current_user, benefits_query(request.args)), "benefits")

"""The RAID view across the portfolio: a page of risks, actions, issues and decisions, and the same rows as
a CSV."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.policy import Action, require
from tracker.services.portfolio.raid_items import KIND_NAMES
from tracker.services.portfolio.register import register_page, register_sheet
from tracker.web.exports.views import csv_download
from tracker.web.portfolio_register.forms import (
    BAND_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    chosen,
    register_query,
)
from tracker.web.programmes.views import _pagination

blueprint = Blueprint("portfolio_register", __name__, url_prefix="/risks")


@blueprint.route("/")
@login_required
def index() -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    query = register_query(request.args)
    page = register_page(current_user, query)
    export_args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template(
        "portfolio_register/index.html",
        page=page,
        query=query,
        chosen=chosen(query),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        band_labels=BAND_LABELS,
        kind_names=KIND_NAMES,
        export_args=export_args,
        overdue_url=url_for("portfolio_register.index", **{**export_args, "status": "overdue"}),
        pagination=_pagination(page.page, page.pages, "portfolio_register.index"),
    )


@blueprint.route("/export.csv")
@login_required
def csv() -> Response:
    """Every row the filters select, written as it is read, so a large download starts at once."""
    require(current_user, Action.VIEW_PORTFOLIO)
    return csv_download(register_sheet(current_user, register_query(request.args)), "raid")

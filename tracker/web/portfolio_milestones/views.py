"""Milestones across the portfolio: a page of the overdue or upcoming ones, and the same rows as a CSV."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.policy import Action, require
from tracker.services.milestones.portfolio import milestones_page, milestones_sheet
from tracker.web.exports.views import csv_download
from tracker.web.portfolio_milestones.forms import WHEN_LABELS, chosen, milestone_query
from tracker.web.programmes.views import _pagination

blueprint = Blueprint("portfolio_milestones", __name__, url_prefix="/milestones")


@blueprint.route("/")
@login_required
def index() -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    query = milestone_query(request.args)
    page = milestones_page(current_user, query)
    values = chosen(query)
    return render_template(
        "portfolio_milestones/index.html",
        page=page,
        query=query,
        chosen=values,
        when_labels=WHEN_LABELS,
        when=WHEN_LABELS[values["when"]],
        export_args={key: value for key, value in request.args.items() if key != "page"},
        pagination=_pagination(page.page, page.pages, "portfolio_milestones.index"),
    )


@blueprint.route("/export.csv")
@login_required
def csv() -> Response:
    """Every row the filters select, written as it is read, so a large download starts at once."""
    require(current_user, Action.VIEW_PORTFOLIO)
    return csv_download(milestones_sheet(current_user, milestone_query(request.args)), "milestones")

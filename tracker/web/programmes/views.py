"""The programmes list (the landing page until the dashboard exists)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from tracker.policy import Action, require
from tracker.services.portfolio import PortfolioQuery, list_programmes

blueprint = Blueprint("programmes", __name__, url_prefix="/programmes")


@blueprint.route("/")
@login_required
def index() -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    query = PortfolioQuery(
        mine=request.args.get("scope") == "mine", include_closed=bool(request.args.get("closed"))
    )
    return render_template(
        "programmes/index.html", programmes=list_programmes(current_user, query), query=query
    )

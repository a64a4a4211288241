"""The portfolio dashboard page: read-only for everyone who may see the portfolio."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from tracker.domain.calendar import financial_year_label
from tracker.models import Trend
from tracker.policy import Action, can, require
from tracker.services.dashboard.capacity import dashboard_capacity
from tracker.services.dashboard.page import portfolio_dashboard
from tracker.web.dashboard.forms import DashboardFilterForm, dashboard_filters, describe_filters

blueprint = Blueprint("dashboard", __name__, url_prefix="/dashboard")
# The arrow is decoration; the word says the same for screen readers and in print.
TRENDS = {
    Trend.WORSE: ("\u25b2", "Worse"),
    Trend.BETTER: ("\u25bc", "Better"),
    Trend.SAME: ("\u25b6", "No change"),
    Trend.NEW: ("\u25cf", "New"),
    Trend.RESOLVED: ("\u2713", "Resolved"),
}


@blueprint.route("")
@login_required
def index() -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    filters = dashboard_filters(request.args)
    dashboard = portfolio_dashboard(current_user, filters)
    form = DashboardFilterForm(request.args)
    form.offer(dashboard.directorates, dashboard.managers)
    list_args = filters.list_args()
    capacity = dashboard_capacity([item.code for item in dashboard.attention])
    return render_template(
        "dashboard/index.html",
        dashboard=dashboard,
        form=form,
        year=financial_year_label(dashboard.financial_year),
        trends=TRENDS,
        list_args=list_args,
        heatmap_args={key: value for key, value in list_args.items() if key not in ("directorate", "rating")},
        tile_args={key: value for key, value in list_args.items() if key != "rating"},
        # The milestones page filters by scope, directorate and manager: the dashboard's filters it shares.
        milestone_args={
            key: value for key, value in list_args.items() if key in ("scope", "directorate", "manager")
        },
        filter_words=describe_filters(form, filters),
        filtered=any(key != "scope" for key in list_args),
        can_approve=can(current_user, Action.APPROVE_REBASELINE),
        capacity=capacity.heatmap,
        capacity_notes=capacity.notes,
    )

"""Admins change the risk thresholds here, and admins and CIOs the pipeline's weights and envelope; the
settings services validate and audit."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.calendar import financial_year_label, london_today
from tracker.domain.pipeline import CRITERIA, DEFAULT_WEIGHTS
from tracker.domain.thresholds import Thresholds
from tracker.models.types import utcnow
from tracker.policy import Action, require
from tracker.services.errors import Invalid
from tracker.services.pipeline.reads import next_financial_year
from tracker.services.pipeline.settings import current_settings, settings_problems, update_settings
from tracker.services.settings import (
    InvalidThresholds,
    check_thresholds,
    current_thresholds,
    update_thresholds,
)
from tracker.web.forms_support import add_service_error, validate_all
from tracker.web.pipeline.forms import PipelineSettingsForm
from tracker.web.settings.forms import ThresholdsForm

blueprint = Blueprint("settings", __name__, url_prefix="/admin/settings")


@blueprint.route("/risk-thresholds", methods=["GET", "POST"])
@login_required
def risk_thresholds() -> Response | str:
    require(current_user, Action.MANAGE_SETTINGS)
    form = ThresholdsForm()
    if not form.is_submitted():
        form.fill(current_thresholds())
    elif form.validate():
        try:
            update_thresholds(form.values(), user_id=current_user.id)
        except InvalidThresholds as error:
            add_service_error(form, error)
        else:
            flash("Risk thresholds saved. They apply from the next risk scan.", "success")
            return redirect(url_for("settings.risk_thresholds"))
    else:
        # Some fields failed their own checks: the rest are still checked, so every problem shows at once.
        try:
            check_thresholds({name: value for name, value in form.values().items() if not form[name].errors})
        except InvalidThresholds as error:
            add_service_error(form, error)
    return render_template("settings/risk_thresholds.html", form=form, defaults=Thresholds().as_dict())


@blueprint.route("/pipeline", methods=["GET", "POST"])
@login_required
def pipeline() -> Response | str:
    """The pipeline's criteria weights and next financial year's envelope: admins and CIOs."""
    require(current_user, Action.MANAGE_PIPELINE)
    year = next_financial_year(london_today(utcnow()))
    form = PipelineSettingsForm()
    if not form.is_submitted():
        form.fill(current_settings(), year)
    elif validate_all(form, lambda: settings_problems(form.weights(), form.envelope.data)):
        try:
            update_settings(
                {key: value or "" for key, value in form.weights().items()},
                form.envelope.data or "",
                year=year,
                user_id=current_user.id,
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash("Pipeline settings saved", "success")
            return redirect(url_for("pipeline.index"))
    return render_template(
        "settings/pipeline.html",
        form=form,
        year_label=financial_year_label(year),
        criteria=CRITERIA,
        defaults=DEFAULT_WEIGHTS,
    )

"""Admins change the risk thresholds here; the settings service validates and audits."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.thresholds import Thresholds
from tracker.policy import Action, require
from tracker.services.settings import (
    InvalidThresholds,
    check_thresholds,
    current_thresholds,
    update_thresholds,
)
from tracker.web.forms_support import add_service_error
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

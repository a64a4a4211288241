"""Changing your own password: other sessions end, this one carries on."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.policy import landing_endpoint
from tracker.services.accounts.users import change_password
from tracker.services.errors import Invalid
from tracker.web.account.forms import ChangePasswordForm
from tracker.web.auth.views import safe_next
from tracker.web.forms_support import add_service_error

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.route("/password", methods=["GET", "POST"])
@login_required
def password() -> Response | str:
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.person = (user.email, user.name)
    forced = user.must_change_password
    if form.validate_on_submit():
        try:
            change_password(
                user,
                current=form.current_password.data or "",
                new=form.new_password.data or "",
                keep_session_id=user.session_id,
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(
                "Your password has been changed. You have been signed out on your other devices, and your "
                "API tokens and calendar links have been revoked.",
                "success",
            )
            if forced:  # they were stopped on their way somewhere: carry on there
                return redirect(safe_next(request.args.get("next")) or _landing())
            return redirect(url_for("account.password"))
    return render_template("account/password.html", form=form, must_change=user.must_change_password)


def _landing() -> str:
    endpoint, args = landing_endpoint(current_user)
    return url_for(endpoint, **args)

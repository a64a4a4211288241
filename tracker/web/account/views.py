"""Your own account: changing your password (other sessions end, this one carries on), and the devices
you are signed in on, any of which you can sign out."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from tracker.policy import landing_endpoint
from tracker.services.accounts import sessions
from tracker.services.accounts.users import change_password
from tracker.services.errors import Invalid, NotFound
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
    if not user.password_hash:
        # Someone who signs in through the directory has no password here to change.
        return render_template("account/password.html", form=form, must_change=False, no_password=True)
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


@blueprint.route("/devices")
@login_required
def devices() -> str:
    user = current_user._get_current_object()
    return render_template(
        "account/devices.html", devices=sessions.live_sessions(user), current=user.session_id
    )


@blueprint.route("/devices/<int:session_id>/end", methods=["POST"])
@login_required
def end_device(session_id: int) -> Response:
    """Sign out one of your devices; this one, from here, is the same as signing out."""
    user = current_user._get_current_object()
    this_device = session_id == user.session_id
    try:
        sessions.end(
            session_id, reason="Signed out" if this_device else "Signed out from another device", owner=user
        )
    except NotFound:
        abort(404)
    if this_device:
        return signed_out()
    flash("That device has been signed out. Anyone using it must sign in again.", "success")
    return redirect(url_for("account.devices"))


@blueprint.route("/devices/end-others", methods=["POST"])
@login_required
def end_other_devices() -> Response:
    user = current_user._get_current_object()
    ended = sessions.end_all(user, by=user, keep_session_id=user.session_id)
    if ended:
        flash(
            "You have been signed out on your other devices. You are still signed in on this one.", "success"
        )
    else:
        flash("You were not signed in on any other device.", "success")
    return redirect(url_for("account.devices"))


def signed_out() -> Response:
    """Forget this device's cookie once its session has ended, as signing out does."""
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))

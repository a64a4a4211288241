"""Admins add people, change their name, role or access, force a password reset, and see and end the
sessions of anyone's signed-in devices."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.models import User
from tracker.policy import Action, require
from tracker.services.accounts import sessions, users
from tracker.services.accounts.sign_in_log import recent_sign_ins
from tracker.services.errors import Conflict, Invalid, NotFound
from tracker.web.account.views import signed_out
from tracker.web.admin.user_forms import EditUserForm, NewUserForm
from tracker.web.forms_support import add_problems, add_service_error

blueprint = Blueprint("users", __name__, url_prefix="/users")

NOT_KEPT = {"Cache-Control": "no-store"}
"""The page with a temporary password on it: no cache keeps a copy."""


def _user_or_404(user_id: int) -> User:
    try:
        return users.get_user(user_id)
    except NotFound:
        abort(404)


@blueprint.route("")
@login_required
def index() -> str:
    require(current_user, Action.MANAGE_USERS)
    return render_template("admin/users.html", users=users.list_users())


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def create() -> Response | str:
    require(current_user, Action.MANAGE_USERS)
    form = NewUserForm()
    # With passwords off, people sign in through the directory: no password to give them.
    directory_only = not current_app.config["LOCAL_SIGN_IN"]
    if directory_only:
        del form.password
    fields = ("email", "name") if directory_only else ("email", "name", "password")
    if form.is_submitted() and not form.validate():
        # The form refused some fields: what the service would refuse in the others shows with them.
        typed = {name: None if form[name].errors else form[name].data or "" for name in fields}
        add_problems(form, users.new_user_problems(**typed, **({"password": None} if directory_only else {})))
    elif form.is_submitted():
        try:
            user = users.create_user(
                form.email.data or "",
                name=form.name.data or "",
                role=form.selected_role(),
                password=None if directory_only else form.password.data or "",
                created_by_id=current_user.id,
                must_change_password=True,
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            if directory_only:
                label = current_app.config["OIDC_LABEL"]
                message = (
                    f"{user.name} was added. They sign in with the button “{label}”, as {user.email}: "
                    "their account is linked at their first sign-in."
                )
            else:
                message = f"{user.name} was added. They must choose a new password when they first sign in."
            flash(message, "success")
            return redirect(url_for("admin.users.index"))
    return render_template("admin/users_new.html", form=form, directory_only=directory_only)


@blueprint.route("/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit(user_id: int) -> Response | str:
    require(current_user, Action.MANAGE_USERS)
    user = _user_or_404(user_id)
    form = EditUserForm()
    was_active = user.active
    if form.validate_on_submit():
        try:
            users.update_user(
                user.id,
                name=form.name.data or "",
                role=form.selected_role(),
                active=form.active.data == "yes",
                by=current_user._get_current_object(),
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            if was_active and not user.active:
                flash(
                    f"{user.name}'s account is deactivated. All their sessions have ended and their API "
                    "tokens and calendar links are revoked; reactivating them brings none of these back.",
                    "success",
                )
            else:
                flash(f"Changes to {user.name} were saved.", "success")
            return redirect(url_for("admin.users.index"))
    elif not form.is_submitted():
        form.name.data, form.role.data = user.name, user.role.value
        form.active.data = "yes" if user.active else "no"
    return render_template(
        "admin/users_edit.html",
        form=form,
        user=user,
        is_self=user.id == current_user.id,
        devices=len(sessions.live_sessions(user)),
        sign_ins=recent_sign_ins(user),
    )


@blueprint.route("/<int:user_id>/sessions")
@login_required
def user_sessions(user_id: int) -> str:
    require(current_user, Action.MANAGE_USERS)
    user = _user_or_404(user_id)
    return render_template(
        "admin/users_sessions.html",
        user=user,
        devices=sessions.live_sessions(user),
        current=current_user.session_id,
        sign_ins=recent_sign_ins(user),
    )


@blueprint.route("/<int:user_id>/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(user_id: int, session_id: int) -> Response:
    require(current_user, Action.MANAGE_USERS)
    user = _user_or_404(user_id)
    try:
        sessions.end(
            session_id, reason="Ended by an admin", owner=user, by=current_user._get_current_object()
        )
    except NotFound:
        abort(404)
    if session_id == current_user.session_id:  # an admin's own device, from here: as signing out
        return signed_out()
    flash(f"That session has ended: {user.name} must sign in again on that device.", "success")
    return redirect(url_for("admin.users.user_sessions", user_id=user.id))


@blueprint.route("/<int:user_id>/sessions/end-all", methods=["POST"])
@login_required
def end_all_sessions(user_id: int) -> Response:
    """End every session of theirs; an admin ending their own keeps the device they are using."""
    require(current_user, Action.MANAGE_USERS)
    user = _user_or_404(user_id)
    keep = current_user.session_id if user.id == current_user.id else None
    ended = sessions.end_all(user, by=current_user._get_current_object(), keep_session_id=keep)
    if keep is not None:
        flash(
            "Your sessions on your other devices have ended. You are still signed in on this one.", "success"
        )
    elif ended:
        flash(f"All {user.name}'s sessions have ended: they must sign in again on every device.", "success")
    else:
        flash(f"{user.name} was not signed in anywhere.", "success")
    return redirect(url_for("admin.users.user_sessions", user_id=user.id))


@blueprint.route("/<int:user_id>/force-reset", methods=["POST"])
@login_required
def force_reset(user_id: int) -> Response | tuple[str, int, dict[str, str]]:
    """Reset and show the temporary password in the answer to the POST, once: it is never stored, not
    even in the session. A reload sends the POST again with the generation it was made from, which the
    reset has moved on, so it is refused rather than resetting the password a second time."""
    require(current_user, Action.MANAGE_USERS)
    user = _user_or_404(user_id)
    generation = request.form.get("generation", "")
    try:
        user, temporary = users.force_password_reset(
            user_id,
            by=current_user._get_current_object(),
            expected_generation=int(generation) if generation.isdigit() and len(generation) < 10 else None,
        )
    except Invalid as error:
        flash(error.message, "error")
        return redirect(url_for("admin.users.edit", user_id=user_id))
    except Conflict as error:
        page = render_template("admin/users_reset.html", user=user, temporary=None, refused=error.message)
        return page, 409, NOT_KEPT
    return render_template("admin/users_reset.html", user=user, temporary=temporary), 200, NOT_KEPT

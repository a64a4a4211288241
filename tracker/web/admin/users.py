"""Admins add people, change their name, role or access, and force a password reset."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.models import User
from tracker.policy import Action, require
from tracker.services.accounts import users
from tracker.services.errors import Invalid, NotFound
from tracker.web.admin.user_forms import EditUserForm, NewUserForm
from tracker.web.forms_support import add_problems, add_service_error

blueprint = Blueprint("users", __name__, url_prefix="/users")

# The temporary password waits here between the reset and the page that shows it, and is taken
# out when shown, so reloading that page neither shows it again nor resets the password again.
REVEAL = "temporary_password"


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
    if form.is_submitted() and not form.validate():
        # The form refused some fields: what the service would refuse in the others shows with them.
        typed = {
            name: None if form[name].errors else form[name].data or ""
            for name in ("email", "name", "password")
        }
        add_problems(form, users.new_user_problems(**typed))
    elif form.is_submitted():
        try:
            user = users.create_user(
                form.email.data or "",
                name=form.name.data or "",
                role=form.selected_role(),
                password=form.password.data or "",
                created_by_id=current_user.id,
                must_change_password=True,
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(
                f"{user.name} was added. They must choose a new password when they first sign in.", "success"
            )
            return redirect(url_for("admin.users.index"))
    return render_template("admin/users_new.html", form=form)


@blueprint.route("/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit(user_id: int) -> Response | str:
    require(current_user, Action.MANAGE_USERS)
    user = _user_or_404(user_id)
    form = EditUserForm()
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
            flash(f"Changes to {user.name} were saved.", "success")
            return redirect(url_for("admin.users.index"))
    elif not form.is_submitted():
        form.name.data, form.role.data = user.name, user.role.value
        form.active.data = "yes" if user.active else "no"
    return render_template("admin/users_edit.html", form=form, user=user, is_self=user.id == current_user.id)


@blueprint.route("/<int:user_id>/force-reset", methods=["POST"])
@login_required
def force_reset(user_id: int) -> Response:
    require(current_user, Action.MANAGE_USERS)
    _user_or_404(user_id)
    try:
        user, temporary = users.force_password_reset(user_id, by=current_user._get_current_object())
    except Invalid as error:
        flash(error.message, "error")
        return redirect(url_for("admin.users.edit", user_id=user_id))
    session[REVEAL] = {"user_id": user.id, "password": temporary}
    return redirect(url_for("admin.users.reset_done", user_id=user.id))


@blueprint.route("/<int:user_id>/password-reset")
@login_required
def reset_done(user_id: int) -> tuple[str, int, dict[str, str]]:
    """Shows the temporary password once: a reload or a second visit shows only that it was reset."""
    require(current_user, Action.MANAGE_USERS)
    user = _user_or_404(user_id)
    waiting = session.get(REVEAL)
    temporary = None
    if isinstance(waiting, dict) and waiting.get("user_id") == user.id:
        temporary = session.pop(REVEAL)["password"]
    page = render_template("admin/users_reset.html", user=user, temporary=temporary)
    return page, 200, {"Cache-Control": "no-store"}

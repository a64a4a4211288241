"""Admins create and revoke the tokens the directory's provisioning service (SCIM) calls with."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.models import ScimToken
from tracker.policy import Action, require
from tracker.services.errors import Invalid, NotFound
from tracker.services.scim import tokens
from tracker.web.admin.provisioning_forms import CreateScimTokenForm, RevokeScimTokenForm
from tracker.web.forms_support import add_service_error

blueprint = Blueprint("provisioning", __name__, url_prefix="/provisioning")


def scim_base_url() -> str:
    """The Tenant URL to paste into Entra ID."""
    return str(current_app.config["BASE_URL"]).rstrip("/") + "/scim/v2"


def _token_or_404(token_id: int) -> ScimToken:
    try:
        return tokens.get_token(token_id)
    except NotFound:
        abort(404)


def _index_page(form: CreateScimTokenForm) -> str:
    return render_template(
        "admin/provisioning.html", form=form, tokens=tokens.list_tokens(), scim_url=scim_base_url()
    )


@blueprint.route("")
@login_required
def index() -> str:
    require(current_user, Action.MANAGE_USERS)
    return _index_page(CreateScimTokenForm())


@blueprint.route("/new", methods=["POST"])
@login_required
def create() -> Response | str:
    """The token is on this response only: never stored in plain, flashed, logged or cached."""
    require(current_user, Action.MANAGE_USERS)
    form = CreateScimTokenForm()
    if form.validate_on_submit():
        try:
            token, plaintext = tokens.create_token(
                name=form.name.data or "", by=current_user._get_current_object()
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            page = render_template(
                "admin/provisioning_created.html", token=token, plaintext=plaintext, scim_url=scim_base_url()
            )
            response = make_response(page)
            response.headers["Cache-Control"] = "no-store"
            return response
    return _index_page(form)


@blueprint.route("/<int:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke(token_id: int) -> Response | str:
    """Ask first: once revoked, provisioning stops until a new token is pasted into Entra ID."""
    require(current_user, Action.MANAGE_USERS)
    token = _token_or_404(token_id)
    form = RevokeScimTokenForm()
    if form.validate_on_submit():
        tokens.revoke_token(token.id, by=current_user._get_current_object())
        flash(
            f'Provisioning token "{token.name}" revoked: the directory\'s calls with it are now refused.',
            "success",
        )
        return redirect(url_for("admin.provisioning.index"))
    return render_template("admin/provisioning_revoke.html", token=token, form=form)

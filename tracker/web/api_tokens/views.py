"""API tokens for the signed-in user. Every role may have them: what a token can do is what its
owner can do, so a viewer's token reads and never writes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.services.accounts.tokens import create_token, list_tokens, revoke_token
from tracker.services.errors import Invalid, NotFound
from tracker.web.api_tokens.forms import CreateApiTokenForm
from tracker.web.forms_support import add_service_error

blueprint = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")
PURPOSE = "api"


def _index_page(form: CreateApiTokenForm) -> str:
    return render_template(
        "api_tokens/index.html", form=form, tokens=list_tokens(current_user, purpose=PURPOSE)
    )


@blueprint.route("")
@login_required
def index() -> str:
    return _index_page(CreateApiTokenForm())


@blueprint.route("/new", methods=["POST"])
@login_required
def create() -> Response | str:
    """The token is on this response only: never stored in plain, flashed, logged or cached."""
    form = CreateApiTokenForm()
    if form.validate_on_submit():
        try:
            token, plaintext = create_token(current_user, name=form.name.data or "", purpose=PURPOSE)
        except Invalid as error:
            add_service_error(form, error)
        else:
            response = make_response(
                render_template("api_tokens/created.html", token=token, plaintext=plaintext)
            )
            response.headers["Cache-Control"] = "no-store"
            return response
    return _index_page(form)


@blueprint.route("/<int:token_id>/revoke", methods=["POST"])  # CSRF checked app-wide
@login_required
def revoke(token_id: int) -> Response:
    try:
        token = revoke_token(current_user, token_id, purpose=PURPOSE)
    except NotFound:
        abort(404)
    flash(f'Token "{token.name}" revoked: requests using it are now refused.', "success")
    return redirect(url_for("api_tokens.index"))

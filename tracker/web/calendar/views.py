"""Calendar feed links on the account pages, and the feed itself, which Outlook fetches without a session."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.policy import Action, can
from tracker.services.accounts.tokens import create_token, list_tokens, revoke_token
from tracker.services.editing import get_programme
from tracker.services.errors import Invalid, NotFound
from tracker.services.milestones.calendar_feed import PURPOSE, feed_path, programme_feed
from tracker.web.calendar.forms import CreateTokenForm
from tracker.web.forms_support import add_service_error

blueprint = Blueprint("calendar", __name__)
ICS = "text/calendar; charset=utf-8"


def _base_url() -> str:
    return str(current_app.config["BASE_URL"]).rstrip("/")


def _programme_code(value: str | None) -> str | None:
    """The programme a person came from, if it exists and they may see it; anything else is ignored."""
    if not value or len(value) > 20:
        return None
    try:
        programme = get_programme(value)
    except NotFound:
        return None
    return programme.code if can(current_user, Action.VIEW_PROGRAMME, programme) else None


def _tokens_page(form: CreateTokenForm, programme: str | None) -> str:
    return render_template(
        "calendar/tokens.html",
        form=form,
        tokens=list_tokens(current_user, purpose=PURPOSE),
        programme=programme,
    )


@blueprint.route("/account/calendar")
@login_required
def tokens() -> str:
    programme = _programme_code(request.args.get("programme"))
    form = CreateTokenForm(programme=programme or "")
    return _tokens_page(form, programme)


@blueprint.route("/account/calendar/new", methods=["POST"])
@login_required
def create() -> str:
    """The new link is shown on this response only: it is never stored, flashed or logged."""
    form = CreateTokenForm()
    programme = _programme_code(form.programme.data)
    if form.validate_on_submit():
        try:
            _, plaintext = create_token(current_user, name=form.name.data, purpose=PURPOSE)
        except Invalid as error:
            add_service_error(form, error)
        else:
            return render_template(
                "calendar/created.html",
                programme=programme,
                feed_url=_base_url() + feed_path(plaintext, programme) if programme else None,
                pattern=_base_url() + feed_path(plaintext, "CODE"),
            )
    return _tokens_page(form, programme)


@blueprint.route("/account/calendar/<int:token_id>/revoke", methods=["POST"])  # CSRF checked app-wide
@login_required
def revoke(token_id: int) -> Response:
    try:
        token = revoke_token(current_user, token_id, purpose=PURPOSE)
    except NotFound:
        abort(404)
    flash(f'The feed link "{token.name}" is revoked: calendars using it will stop updating.', "success")
    return redirect(url_for("calendar.tokens"))


@blueprint.route("/calendar/<token>/programmes/<code>.ics")
def feed(token: str, code: str) -> Response:
    """Reached with the token alone (calendar apps have no session); any refusal is a plain 404."""
    try:
        text = programme_feed(token, code, base_url=_base_url())
    except NotFound:
        abort(404)
    response = Response(text, content_type=ICS)
    response.headers["Content-Disposition"] = 'inline; filename="milestones.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response

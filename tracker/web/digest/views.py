"""The weekly digest in the app: preview it, send a test copy, and choose whether to get it."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.services.digest.account import (
    preview_digest,
    receives_digest,
    send_test_digest,
    set_digest_preference,
    set_pack_attachment,
)
from tracker.services.digest.compose import Scope, preview_scope
from tracker.services.digest.pack_attachment import may_attach_pack
from tracker.services.errors import ServiceError
from tracker.web.digest.forms import PreferencesForm

blueprint = Blueprint("digest", __name__, url_prefix="")

# The preview is the email itself: inline styles only, nothing to load, no scripts, no forms.
EMAIL_PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@blueprint.route("/digest/preview")
@login_required
def preview() -> Response:
    """The HTML part exactly as this week's email would carry it, as a page of its own; only a <main>
    around the body is added, so that the page, unlike an email, has its main landmark."""
    rendered = preview_digest(current_user._get_current_object())
    head, opening, rest = rendered.html.partition("<body")
    start, closing, body = rest.partition(">")
    content, _, tail = body.rpartition("</body>")
    response = make_response(f"{head}{opening}{start}{closing}<main>{content}</main></body>{tail}")
    response.headers["Content-Security-Policy"] = EMAIL_PREVIEW_CSP
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/digest/test", methods=["POST"])
@login_required
def send_test() -> Response:
    try:
        address = send_test_digest(current_user._get_current_object())
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"A test digest was sent to {address}. It may take a minute to arrive.", "success")
    return redirect(url_for("digest.preferences"))


@blueprint.route("/account/preferences", methods=["GET", "POST"])
@login_required
def preferences() -> Response | str:
    user = current_user._get_current_object()
    form = PreferencesForm()
    offer_pack = may_attach_pack(user)
    if form.validate_on_submit():
        receive = form.receive.data == "yes"
        set_digest_preference(user, receive=receive)
        if offer_pack and form.pack.data in ("yes", "no"):
            set_pack_attachment(user, attach=form.pack.data == "yes")
        flash(
            "You will get the weekly risk digest." if receive else "You will not get the weekly risk digest.",
            "success",
        )
        return redirect(url_for("digest.preferences"))
    if not form.is_submitted():
        form.receive.data = "yes" if receives_digest(user) else "no"
        form.pack.data = "yes" if user.digest_pack_pdf else "no"
    return render_template(
        "digest/preferences.html",
        form=form,
        receives=receives_digest(user),
        covers_own=preview_scope(user) is Scope.OWN,
        offer_pack=offer_pack,
    )

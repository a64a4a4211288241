"""Home sends people where their role starts; the accessibility statement and help, open to everyone;
/healthz tells operators whether the database answers."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.policy import landing_endpoint
from tracker.services.accounts.users import active_admins
from tracker.services.health import database_reachable

blueprint = Blueprint("main", __name__)


@blueprint.route("/")
def index() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    endpoint, args = landing_endpoint(current_user)
    return redirect(url_for(endpoint, **args))


@blueprint.route("/healthz")
def healthz() -> tuple[Response, int]:
    ok, detail = database_reachable()
    body = {"status": "ok" if ok else "unavailable", "database": "reachable" if ok else "unreachable"}
    if not ok:
        body["detail"] = detail
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if ok else 503


@blueprint.route("/accessibility")
def accessibility() -> str:
    return render_template(
        "pages/accessibility.html", contact_email=current_app.config["ACCESSIBILITY_CONTACT_EMAIL"]
    )


@blueprint.route("/help", endpoint="help")
def help_page() -> str:
    # Admins' names and addresses are for colleagues: someone signed out sees the council's contact only.
    admins = active_admins() if current_user.is_authenticated else []
    return render_template(
        "pages/help.html", admins=admins, contact_email=current_app.config["ACCESSIBILITY_CONTACT_EMAIL"]
    )


@blueprint.route("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for this whatever the page says. The GOV.UK icons are the crown, which is not
    ours to use, so answer with nothing rather than a 404 in every log."""
    response = Response(status=204)
    response.headers["Cache-Control"] = "public, max-age=604800"
    return response

"""Home sends people where their role starts; /healthz tells operators whether the database answers."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.policy import landing_endpoint
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

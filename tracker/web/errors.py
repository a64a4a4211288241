"""Error pages in the GOV.UK style, and JSON errors for the API."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from tracker.policy import ProgrammeClosed
from tracker.services.errors import Conflict
from tracker.web.scim.errors import is_scim_request, scim_error

API_PREFIX = "/api/"
OUT_OF_REACH = (
    "unable to open",
    "disk i/o",
    "connect",  # connection refused, reset, lost; could not connect
    "server closed",
    "terminat",
    "timeout",
    "timed out",
    "shutting down",
    "starting up",
    "recovery mode",
)
"""Words of an OperationalError that mean the database is out of reach. Anything else the driver calls
operational ("too many SQL variables", "no such table") is our fault, shown as the problem page."""

# Status codes with a page of their own; other 4xx get the generic 400 page.
TEMPLATES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/404.html",  # a wrong method is, to a person, a page that is not there
    410: "errors/404.html",
}


def register_errorhandlers(app: Flask) -> None:
    """Every HTTP error, the CSRF failure and any unhandled exception get a proper page."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(StaleDataError, _changed_meanwhile)
    app.register_error_handler(Conflict, _changed_meanwhile)  # a view that did not show it beside the form
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(HTTPException, _http_error)


def wants_json() -> bool:
    """API clients (and the provisioning service) get JSON errors; people get pages."""
    return request.path.startswith(API_PREFIX) or is_scim_request()


def _json_error(message: str, status: int) -> Response:
    if is_scim_request():
        return scim_error(status, message)
    response = jsonify(error=message, status=status)
    response.status_code = status
    return response


def _http_error(error: HTTPException) -> Response | tuple[str, int] | HTTPException:
    """Render the page for this status, keeping headers such as Allow on a 405."""
    status = error.code or 500
    if status < 400:
        return error
    if status >= 500:
        return _server_error(error)
    if is_scim_request():
        response = scim_error(status, error.description or error.name)
    elif wants_json():
        response = _api_error(error, status)
    else:
        closed = isinstance(error, ProgrammeClosed)
        template = "errors/closed.html" if closed else TEMPLATES.get(status, "errors/400.html")
        # A view's own reason (abort(400, "...")) is shown; werkzeug's stock wording is not.
        reason = error.description if error.description != type(error).description else None
        response = current_app.make_response((render_template(template, reason=reason), status))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _api_error(error: HTTPException, status: int) -> Response:
    """The API's error body: our message, webargs' field messages flattened, the challenge on a 401."""
    data = getattr(error, "data", None) or {}
    fields = dict(data.get("fields") or {})
    general = []
    for found in (data.get("messages") or {}).values():  # {location: {field: [messages]}} from webargs
        if isinstance(found, dict):
            fields.update(_flat_messages(found))
        else:
            general.append(" ".join(map(str, found)) if isinstance(found, list) else str(found))
    named = f"Check these fields: {', '.join(sorted(fields))}." if fields else ""
    message = data.get("message") or " ".join(general) or named or error.description or error.name
    response = jsonify({"error": message, "status": status} | ({"fields": fields} if fields else {}))
    response.status_code = status
    challenge = dict(error.get_headers()).get("WWW-Authenticate")
    if challenge:
        response.headers["WWW-Authenticate"] = challenge
    return response


def _flat_messages(messages: dict, prefix: str = "") -> dict[str, str]:
    """{"rows": {"0": ["Not a date."]}} becomes {"rows.0": "Not a date."}."""
    flat: dict[str, str] = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flat_messages(value, f"{name}."))
        else:
            flat[name] = " ".join(map(str, value)) if isinstance(value, list) else str(value)
    return flat


def _csrf_error(error: CSRFError) -> Response | tuple[str, int]:
    """A missing or stale CSRF token means the page expired: say so, never a field error."""
    if wants_json():
        return _json_error(error.description, 400)
    try:
        return render_template("errors/csrf.html"), 400
    except OperationalError as down:  # the page shows who is signed in, and the database holds that
        return _database_unavailable(down)


def _database_unavailable(error: OperationalError) -> Response | tuple[str, int]:
    """Database down, unreachable or busy past the wait: a 503 saying nothing was saved, no trace.

    Only then: a statement the database refuses is not an outage, and saying "cannot reach its
    database" sends the person to wait for a fix that never comes."""
    text = str(error.orig or error).lower()
    reason = "busy" if "locked" in text or "busy" in text else "unavailable"
    invalidated = isinstance(error, DBAPIError) and error.connection_invalidated
    if reason == "unavailable" and not invalidated and not any(words in text for words in OUT_OF_REACH):
        current_app.logger.error(
            "Database refused a statement during %s %s", request.method, request.path, exc_info=error
        )
        return _server_error(InternalServerError())
    current_app.logger.error(
        "Database %s during %s %s (%s%s)",
        reason,
        request.method,
        request.path,
        type(error.orig or error).__name__,
        ", connection discarded" if invalidated else "",
    )
    _forget_session()
    if wants_json():
        response = _json_error("The service is unavailable. Try again later.", 503)
    else:
        try:
            response = current_app.make_response((render_template("errors/503.html", reason=reason), 503))
        except Exception:  # the page itself failed; a plain answer beats none
            current_app.logger.exception("Could not render the error page.")
            response = current_app.make_response(("Sorry, the service is unavailable. Try again later.", 503))
    response.headers["Retry-After"] = "30"
    response.headers["Cache-Control"] = "no-store"
    return response


def _changed_meanwhile(error: StaleDataError | Conflict) -> Response | tuple[str, int]:
    """Two saves of one record at the same moment, caught past the service's own check: a 409, not a 500."""
    current_app.logger.warning(
        "Concurrent save refused during %s %s: %s", request.method, request.path, error
    )
    _forget_session()
    if wants_json():
        return _json_error(
            "This record was changed by someone else while you were saving. Nothing was saved.", 409
        )
    return render_template("errors/409.html"), 409


def _forget_session() -> None:
    """Roll back (the connection may be dead) and keep Flask-Login from querying for the page."""
    try:
        from tracker.extensions import db

        db.session.rollback()
    except Exception:  # no database bound, or the rollback failed: still answer
        current_app.logger.warning("Could not roll back the session after an error.", exc_info=True)
    # Flask-Login's context processor would otherwise load the user from the database.
    g.setdefault("_login_user", AnonymousUserMixin())


def _server_error(error: HTTPException) -> Response | tuple[str, int]:
    """Show the problem page without touching the database, which may be what failed."""
    status = error.code if error.code and error.code >= 500 else 500
    _forget_session()
    if wants_json():
        return _json_error("Internal server error", status)
    try:
        return render_template("errors/500.html"), status
    except Exception:  # the page itself failed; a plain answer beats none
        current_app.logger.exception("Could not render the error page.")
        return "Sorry, there is a problem with the service. Try again later.", status

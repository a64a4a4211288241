"""Who is calling the API: a bearer token, never the session cookie, which is why the API needs no
CSRF token. Every API blueprint is made here, so none can forget the check."""

from __future__ import annotations

import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

from flask import g, request
from flask_smorest import Blueprint, abort
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from tracker.extensions import csrf
from tracker.models import Programme, User
from tracker.policy import Action, require
from tracker.services.accounts import tokens
from tracker.services.editing import get_programme
from tracker.services.errors import NotFound

URL_PREFIX = "/api/v1"
CODE = re.compile(r"[A-Za-z0-9-]{1,20}")
F = TypeVar("F", bound=Callable[..., Any])


class StrictParser(FlaskParser):
    """Reads arguments as their schema says, unknown query parameters included: webargs would
    otherwise drop them, so a misspelt filter (`?ratng=red`) would list everything without a word."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictParser()


def api_blueprint(name: str, description: str) -> Blueprint:
    """A blueprint under /api/v1 whose every view needs a live API token."""
    blueprint = ApiBlueprint(name, __name__, url_prefix=URL_PREFIX, description=description)
    blueprint.before_request(authenticate)
    csrf.exempt(blueprint)  # no cookie is trusted here, so there is nothing to forge
    return blueprint


def authenticate() -> None:
    """Find the token's user, or answer 401 with the Bearer challenge."""
    scheme, _, plaintext = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not plaintext.strip():
        _refuse("Send an API token in the Authorization header: 'Bearer <token>'.")
    user = tokens.authenticate(plaintext.strip(), purpose="api")
    if user is None:
        _refuse(
            "The API token is not valid: it may have been revoked. Create a new one on your account page."
        )
    g.api_user = user


def _refuse(message: str) -> None:
    raise Unauthorized(message, www_authenticate=WWWAuthenticate("bearer"))


def api_user() -> User:
    """The user whose token signed this request."""
    return g.api_user


def programme_for(code: str, action: Action) -> Programme:
    """The programme in the URL (404 if there is none), once the caller may take `action` on it."""
    if not CODE.fullmatch(code):
        abort(404, message=f"There is no programme {code[:20]!r}")
    try:
        programme = get_programme(code)
    except NotFound as error:
        abort(404, message=error.message)
    require(api_user(), action, programme)
    return programme


def documents(blueprint: Blueprint, *statuses: int) -> Callable[[F], F]:
    """Name the error statuses a view can answer with, each with our JSON error body, in the document."""

    def decorate(view: F) -> F:
        for status in (401, *statuses):
            view = blueprint.alt_response(status, response=HTTPStatus(status).name)(view)
        return view

    return decorate
